package declpdf_test

import (
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

func seg(kind rencontres.SegmentKind, fr, ja string) *rencontres.Segment {
	return &rencontres.Segment{Kind: kind, Text: rencontres.Text{rencontres.French: fr, rencontres.Japanese: ja,
		rencontres.English: "English is never printed"}}
}

// longItems are the paragraphs of the very long article, which runs over
// a page.
var longItemsFr = []string{
	"1. Les collectivités créent ensemble un répertoire des compétences de leurs services, tenu à jour chaque année, afin que chacune sache à qui s'adresser: urbanisme, eau, transports, culture.",
	"2. Elles accueillent des agents de l'autre pays pour des séjours de deux à six semaines, logés et accompagnés, et publient un compte rendu de chaque séjour dans les deux langues.",
	"3. Elles consacrent une part de leur budget de coopération à la formation linguistique des agents: cours de japonais en France, cours de français au Japon, échanges de conversation en ligne.",
	"4. Elles réunissent une fois par an leurs services de l'environnement pour comparer leurs plans climat, leurs mesures de sobriété et leurs résultats, chiffres à l'appui.",
	"5. Elles associent les universités et les lycées de leur territoire aux projets, afin que les étudiants y trouvent des stages et des sujets de recherche.",
	"6. Elles ouvrent leurs marchés publics aux entreprises de l'autre pays dans le respect des règles de chacun, et les informent des appels d'offres qui les concernent.",
	"7. Elles soutiennent les associations de jumelage, qui font vivre l'amitié entre les habitants, par des subventions, des salles et une aide à la traduction.",
	"8. Elles partagent les retours d'expérience des catastrophes naturelles, séismes, inondations, canicules, et organisent des exercices communs de gestion de crise.",
	"9. Elles valorisent le patrimoine et l'artisanat de chacune lors de manifestations croisées, et veillent à ce que les artisans y soient présents et rémunérés.",
	"10. Elles rendent compte de la mise en œuvre de cet article aux prochaines Rencontres, par un rapport commun rédigé dans les deux langues.",
}

var longItemsJa = []string{
	"一　署名自治体は、各部局の専門分野（都市計画、水道、交通、文化等）の一覧を共同で作成し、毎年更新する。",
	"二　相手国の職員を二週間から六週間受け入れ、宿泊及び同行を確保し、各研修の報告を両言語で公表する。",
	"三　協力予算の一部を職員の語学研修に充てる。フランスにおける日本語講座、日本におけるフランス語講座、オンライン会話交流等である。",
	"四　年に一度、環境部局を集め、気候変動対策計画、省エネルギー施策及びその成果を、数値に基づいて比較する。",
	"五　地域の大学及び高等学校を事業に参加させ、学生が研修先や研究課題を見いだせるようにする。",
	"六　各国の規則を尊重しつつ、公共調達を相手国の企業に開放し、関係する入札情報を提供する。",
	"七　住民間の友好を支える姉妹都市協会を、補助金、会場の提供及び翻訳支援により支援する。",
	"八　地震、洪水、猛暑等の自然災害の経験を共有し、危機管理の合同訓練を実施する。",
	"九　相互の催しにおいてそれぞれの文化遺産及び伝統工芸を紹介し、職人の参加と適正な報酬を確保する。",
	"十　本条の実施状況について、次回会議において、両言語で作成する共同報告により報告する。",
}

// fixture is a declaration of the 7th edition (fictitious text): a
// preamble, headings, seven articles (one of them very long), a segment
// longer in French than in Japanese and one the other way round, a
// deleted segment and a closing paragraph; it runs over two pages.
func fixture() *rencontres.Declaration {
	adopted := time.Date(2022, 10, 6, 15, 30, 0, 0, time.UTC)
	d := &rencontres.Declaration{
		ID: 7, EditionID: 7, State: rencontres.DeclarationAdopted, Mode: rencontres.AdoptionEndorsement,
		Title:     rencontres.Text{rencontres.French: "Déclaration d'Aix-en-Provence", rencontres.Japanese: "エクス＝アン＝プロヴァンス宣言"},
		AdoptedAt: &adopted, TimeZone: "Europe/Paris",
	}
	d.Segments = []*rencontres.Segment{
		seg(rencontres.SegmentPreamble,
			"Les collectivités territoriales françaises et japonaises, réunies à Aix-en-Provence du 3 au 6 octobre 2022, conscientes de ce que leurs échanges ont apporté à leurs habitants depuis plus de soixante ans, adoptent la déclaration suivante:",
			"2022年10月3日から6日までエクス＝アン＝プロヴァンスに集まった日仏の地方自治体は、60年以上にわたる交流が住民にもたらしたものを踏まえ、次のとおり宣言する。"),
		seg(rencontres.SegmentHeading, "Titre I – L'économie", "第1章　経済"),
		seg(rencontres.SegmentArticle,
			"Les collectivités signataires favorisent les échanges entre leurs entreprises: salons, missions et \"jumelages économiques\".",
			"署名自治体は、見本市、経済使節団及び「経済姉妹都市」を通じて、企業間の交流を促進する。"),
		// Longer in French than in Japanese.
		seg(rencontres.SegmentArticle,
			"Elles accompagnent les petites et moyennes entreprises qui veulent s'implanter dans l'autre pays: information sur le droit, les usages et les aides; mise en relation avec des partenaires fiables; accueil dans des pépinières d'entreprises; présence commune dans les salons professionnels de chacun des deux pays. Pourquoi attendre? Les premières missions partiront dès le printemps prochain!",
			"中小企業の相手国進出を支援する。"),
		seg(rencontres.SegmentArticle, "Ce texte a été supprimé.", "この条文は削除された。"),
		seg(rencontres.SegmentHeading, "Titre II – La société", "第2章　社会"),
		// Longer in Japanese than in French.
		seg(rencontres.SegmentArticle,
			"Les jeunes sont au cœur de nos échanges.",
			"青少年は交流の中心である。署名自治体は、中学生、高校生及び大学生の相互訪問を毎年実施し、ホームステイ、学校での授業参加、地域行事への参加等を通じて、相手国の日常生活に触れる機会を設ける。また、帰国後の報告会を開催し、その成果を地域住民と共有する。「若者交流基金」（仮称）の設置についても検討する。"),
		seg(rencontres.SegmentArticle,
			strings.Join(longItemsFr, "\n"),
			strings.Join(longItemsJa, "\n")),
		seg(rencontres.SegmentHeading, "Titre III – L'environnement", "第3章　環境"),
		seg(rencontres.SegmentArticle,
			"Les collectivités signataires se fixent des objectifs communs de réduction de leurs émissions et publient chaque année leurs progrès.",
			"署名自治体は、温室効果ガス排出削減の共通目標を定め、毎年その進捗を公表する。"),
		seg(rencontres.SegmentArticle,
			"Elles échangent leurs savoir-faire en matière de gestion de l'eau, des déchets et des forêts.",
			"水、廃棄物及び森林の管理に関する知見を交換する。"),
		seg(rencontres.SegmentArticle,
			"La présente déclaration est transmise aux gouvernements des deux pays.",
			"本宣言は、両国政府に送付する。"),
		seg(rencontres.SegmentParagraph,
			"Fait à Aix-en-Provence, en français et en japonais, les deux textes faisant également foi.",
			"本宣言は、フランス語及び日本語により作成し、両言語の本文をひとしく正文とする。"),
	}
	d.Segments[4].Deleted = true
	for i, s := range d.Segments {
		s.ID, s.Position = int64(i+1), i+1
	}
	return d
}

func org(key string, country rencontres.Country, choice rencontres.AdoptionChoice, fr, ja string) *rencontres.Adoption {
	return &rencontres.Adoption{OrgKey: key, Country: country, Choice: choice,
		OrgName: rencontres.Text{rencontres.French: fr, rencontres.Japanese: ja}}
}

// adoptions are endorsements of four authorities, and one vote against,
// which is not listed.
func adoptions() []*rencontres.Adoption {
	return []*rencontres.Adoption{
		org("kumamoto", rencontres.Japan, rencontres.Endorse, "Ville de Kumamoto", "熊本市"),
		org("orleans", rencontres.France, rencontres.Endorse, "Ville d’Orléans", "オルレアン市"),
		org("okayama", rencontres.Japan, rencontres.Endorse, "Préfecture d’Okayama", "岡山県"),
		org("aix", rencontres.France, rencontres.Endorse, "Ville d’Aix-en-Provence", "エクス＝アン＝プロヴァンス市"),
		org("evry", rencontres.France, rencontres.VoteAgainst, "Ville d’Évry", "エヴリー市"),
	}
}

// kana are the readings of the Japanese authorities.
var kana = map[string]string{"kumamoto": "くまもとし", "okayama": "おかやまけん"}
