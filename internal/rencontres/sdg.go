package rencontres

import "fmt"

// SDG is one of the 17 Sustainable Development Goals, with its official
// short name in each language: the United Nations' French and English
// lists, and the Japanese of the UN Information Centre in Tokyo.
type SDG struct {
	Number int  `json:"number"`
	Name   Text `json:"name"`
}

// SDGs lists the 17 goals in order; SDGs[n-1] is goal n.
var SDGs = []SDG{
	{1, Text{French: "Pas de pauvreté", Japanese: "貧困をなくそう", English: "No poverty"}},
	{2, Text{French: "Faim «\u00a0zéro\u00a0»", Japanese: "飢餓をゼロに", English: "Zero hunger"}},
	{3, Text{French: "Bonne santé et bien-être", Japanese: "すべての人に健康と福祉を", English: "Good health and well-being"}},
	{4, Text{French: "Éducation de qualité", Japanese: "質の高い教育をみんなに", English: "Quality education"}},
	{5, Text{French: "Égalité entre les sexes", Japanese: "ジェンダー平等を実現しよう", English: "Gender equality"}},
	{6, Text{French: "Eau propre et assainissement", Japanese: "安全な水とトイレを世界中に", English: "Clean water and sanitation"}},
	{7, Text{French: "Énergie propre et d’un coût abordable", Japanese: "エネルギーをみんなに そしてクリーンに", English: "Affordable and clean energy"}},
	{8, Text{French: "Travail décent et croissance économique", Japanese: "働きがいも経済成長も", English: "Decent work and economic growth"}},
	{9, Text{French: "Industrie, innovation et infrastructure", Japanese: "産業と技術革新の基盤をつくろう", English: "Industry, innovation and infrastructure"}},
	{10, Text{French: "Inégalités réduites", Japanese: "人や国の不平等をなくそう", English: "Reduced inequalities"}},
	{11, Text{French: "Villes et communautés durables", Japanese: "住み続けられるまちづくりを", English: "Sustainable cities and communities"}},
	{12, Text{French: "Consommation et production responsables", Japanese: "つくる責任 つかう責任", English: "Responsible consumption and production"}},
	{13, Text{French: "Mesures relatives à la lutte contre les changements climatiques", Japanese: "気候変動に具体的な対策を", English: "Climate action"}},
	{14, Text{French: "Vie aquatique", Japanese: "海の豊かさを守ろう", English: "Life below water"}},
	{15, Text{French: "Vie terrestre", Japanese: "陸の豊かさも守ろう", English: "Life on land"}},
	{16, Text{French: "Paix, justice et institutions efficaces", Japanese: "平和と公正をすべての人に", English: "Peace, justice and strong institutions"}},
	{17, Text{French: "Partenariats pour la réalisation des objectifs", Japanese: "パートナーシップで目標を達成しよう", English: "Partnerships for the goals"}},
}

// SDGByNumber returns goal n, or an error when n is not 1 to 17.
func SDGByNumber(n int) (SDG, error) {
	if n < 1 || n > len(SDGs) {
		return SDG{}, &Error{Code: EINVALID, Key: "error.bad_sdg", Field: "sdgs", Message: fmt.Sprintf("there is no SDG %d", n), Args: map[string]any{"Value": n}}
	}
	return SDGs[n-1], nil
}
