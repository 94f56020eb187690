package letter

import "github.com/rencontres/rencontres/internal/rencontres"

// Default returns a starting template in a language, modelled on the
// invitation to the 8th Rencontres' first steering committee (seed 001):
// the secretariat edits it, names the signatories and saves it. Unknown
// languages get the French one.
func Default(lang rencontres.Lang) Template {
	switch lang {
	case rencontres.Japanese:
		return Template{
			Lang:       rencontres.Japanese,
			Letterhead: DefaultLetterhead(lang),
			Subject:    "{{meeting.title}}のご案内",
			Body: `さて、{{event.title}}は、{{event.dates}}に{{event.city}}において開催されることとなりました。

つきましては、下記のとおり{{meeting.title}}を開催いたしますので、ご案内申し上げます。本会議では、開催都市をご紹介し、プログラム案についてご説明するとともに、分科会のテーマ等について皆様のご意見を伺います。{{meeting.within}}

記

- 日時：{{meeting.day}}　{{meeting.times}}
- 会場：{{meeting.venue}}（{{meeting.city}}）
- 回答期限：{{deadline}}
- 出欠のご回答：{{link}}

以上`,
			Closing:     "ご多忙のところ誠に恐縮ですが、ぜひご出席くださいますようお願い申し上げます。",
			Signatories: []Signatory{{Name: "氏名", Function: []string{"一般財団法人自治体国際化協会パリ事務所長"}}},
			Attachments: []string{"会議次第（案）", "{{event.title}}プログラム及びテーマ案"},
			Frame:       true,
		}
	case rencontres.English:
		return Template{
			Lang:       rencontres.English,
			Letterhead: DefaultLetterhead(lang),
			Place:      "Paris",
			Subject:    "Invitation: {{meeting.title}}",
			Body: `I am pleased to invite you to the following meeting: {{meeting.title}}.

The {{event.title}} will take place in {{event.city}}, {{event.dates}}. These biennial meetings began in Nancy in October 2008, when France and Japan celebrated 150 years of diplomatic relations. Under the auspices of the French Ministry for Europe and Foreign Affairs and the Japanese Ministry of Internal Affairs and Communications, they are co-organised by Cités Unies France and CLAIR Paris.

The meeting will be held:

**{{meeting.day}}, {{meeting.times}},
{{meeting.venue}}, {{meeting.city}}.**

{{meeting.within}}

It will present the host city and the draft programme, and gather your suggestions for the workshops and themes.

Please answer before {{deadline}} through your personal registration link: {{link}}`,
			Closing:     "I look forward to your participation.\n\nYours sincerely,",
			Signatories: []Signatory{{Name: "Given FAMILY", Function: []string{"Chair of the French steering committee"}}},
			Attachments: []string{"Draft agenda", "{{event.title}}: draft programme and themes"},
		}
	}
	// French: no article is written before a field whose gender and
	// number are unknown (a meeting's title, a venue); the edition's
	// title is plural (« les 8es Rencontres »), as every edition of the
	// Rencontres is. The closing is the one written to elected officials.
	return Template{
		Lang:       rencontres.French,
		Letterhead: DefaultLetterhead(lang),
		Place:      "Paris",
		Subject:    "{{meeting.title}} — invitation",
		Body: `J'ai le plaisir de vous inviter à la réunion suivante : {{meeting.title}}.

Les {{event.title}} se tiendront {{event.dates}}, à {{event.city}}. Ces Rencontres biennales ont été initiées à Nancy en octobre 2008, à l'occasion de la commémoration des 150 ans des relations diplomatiques franco-japonaises. Placées sous l'égide du ministère de l'Europe et des Affaires étrangères français et du ministère de l'Intérieur et des Communications japonais, elles sont co-organisées par Cités Unies France et CLAIR Paris.

La réunion aura lieu :

**{{meeting.day}}, {{meeting.times}},
{{meeting.venue}}, {{meeting.city}}.**

{{meeting.within}}

Elle permettra de présenter la ville hôte et de faire le point sur le programme prévisionnel des Rencontres. Ce sera également l'occasion de recueillir les suggestions des collectivités territoriales concernant notamment les ateliers et les thématiques proposés.

Toutes les collectivités souhaitant participer aux {{event.title}} sont conviées à cette réunion : veuillez nous répondre avant le {{deadline}} par le bulletin de participation en ligne : {{link}}`,
		Closing:     "Je compte sur votre participation et vous prie d'agréer, {{recipient.salutation}}, l'expression de ma haute considération.",
		Signatories: []Signatory{{Name: "Prénom NOM", Function: []string{"Présidente du Comité de pilotage français"}}},
		Attachments: []string{"Ordre du jour prévisionnel", "{{event.title}} : proposition du programme et des thèmes"},
	}
}

// DefaultLetterhead names the two organisers in a language.
func DefaultLetterhead(lang rencontres.Lang) []Organiser {
	switch lang {
	case rencontres.Japanese:
		return []Organiser{
			{Name: "フランス都市連合（CUF）", Lines: []string{"国際協力に取り組むフランス地方自治体の連合"}},
			{Name: "自治体国際化協会パリ事務所", Lines: []string{"CLAIR Paris"}},
		}
	case rencontres.English:
		return []Organiser{
			{Name: "Cités Unies France", Lines: []string{"French local authorities in international action"}},
			{Name: "CLAIR Paris", Lines: []string{"Council of Local Authorities for International Relations"}},
		}
	}
	return []Organiser{
		{Name: "Cités Unies France", Lines: []string{"Les collectivités territoriales françaises dans l'action internationale"}},
		{Name: "CLAIR Paris", Lines: []string{"Centre japonais des collectivités locales"}},
	}
}
