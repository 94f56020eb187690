package contactimport

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/sheet"
)

func org(key string, kind rencontres.OrgKind, country rencontres.Country, code, fr, ja, kana string) *rencontres.Organisation {
	return &rencontres.Organisation{Key: key, Kind: kind, Country: country, Code: code, Kana: kana,
		Name: rencontres.Text{rencontres.French: fr, rencontres.English: fr, rencontres.Japanese: ja}}
}

// directory is a small directory shaped like the reference data.
func directory() []*rencontres.Organisation {
	return []*rencontres.Organisation{
		org("fr-13001", rencontres.Commune, rencontres.France, "13001", "Aix-en-Provence", "エクス＝アン＝プロヴァンス", ""),
		org("fr-76351", rencontres.Commune, rencontres.France, "76351", "Le Havre", "ル・アーヴル", ""),
		org("fr-dep-13", rencontres.Departement, rencontres.France, "13", "Bouches-du-Rhône", "ブーシュ＝デュ＝ローヌ県", ""),
		org("fr-97411", rencontres.Commune, rencontres.France, "97411", "Saint-Denis", "", ""),
		org("fr-93066", rencontres.Commune, rencontres.France, "93066", "Saint-Denis", "", ""),
		org("jp-430005", rencontres.Prefecture, rencontres.Japan, "430005", "Kumamoto", "熊本県", "くまもとけん"),
		org("jp-431001", rencontres.Municipality, rencontres.Japan, "431001", "Kumamoto", "熊本市", "くまもとし"),
		org("jp-260002", rencontres.Prefecture, rencontres.Japan, "260002", "Kyoto", "京都府", "きょうとふ"),
		org("jp-261009", rencontres.Municipality, rencontres.Japan, "261009", "Kyoto", "京都市", "きょうとし"),
		org("jp-130001", rencontres.Prefecture, rencontres.Japan, "130001", "Tokyo", "東京都", "とうきょうと"),
	}
}

func keys(list []*rencontres.Organisation) string {
	var out []string
	for _, o := range list {
		out = append(out, o.Key)
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

func TestMatchesNamesInEveryScript(t *testing.T) {
	x := NewIndex(directory())
	for name, want := range map[string]string{
		"Ville d'Aix-en-Provence": "fr-13001", "Ville d’Aix-en-Provence": "fr-13001", "Aix en Provence": "fr-13001",
		"AIX-EN-PROVENCE": "fr-13001", "Havre": "fr-76351", "Le Havre": "fr-76351", "Mairie du Havre": "fr-76351",
		"Conseil départemental des Bouches-du-Rhône": "fr-dep-13", "Département des Bouches du Rhone": "fr-dep-13",
		"熊本市": "jp-431001", "くまもとし": "jp-431001", "クマモトシ": "jp-431001", "Kumamoto-shi": "jp-431001",
		"kumamoto shi": "jp-431001", "Kumamoto City": "jp-431001", "熊本県": "jp-430005", "Kumamoto-ken": "jp-430005",
		"Kumamoto": "jp-430005 jp-431001", "熊本": "jp-430005 jp-431001", "京都": "jp-260002 jp-261009",
		"きょうと": "jp-260002 jp-261009", "Kyoto-fu": "jp-260002", "東京都": "jp-130001", "Tokyo-to": "jp-130001",
		"Saint-Denis": "fr-93066 fr-97411", "Ville de Saint Denis": "fr-93066 fr-97411", "Nulle-part": "",
	} {
		if got := keys(x.ByName(name)); got != want {
			t.Errorf("ByName(%q) = %q, want %q", name, got, want)
		}
	}
	for code, want := range map[string]string{"13001": "fr-13001", "431001": "jp-431001", "43100": "jp-431001",
		"４３１００１": "jp-431001", "13": "fr-dep-13", "99999": ""} {
		if got := keys(x.ByCode(code)); got != want {
			t.Errorf("ByCode(%q) = %q, want %q", code, got, want)
		}
	}
}

func table(rows ...[]string) *sheet.Table {
	t := &sheet.Table{Format: "csv", Encoding: sheet.EncUTF8, Separator: ','}
	for i, r := range rows {
		t.Rows, t.Lines = append(t.Rows, r), append(t.Lines, i+1)
	}
	return t
}

func TestPreviewSaysWhatEachRowDoes(t *testing.T) {
	x := NewIndex(directory())
	known := map[string]*rencontres.KnownContact{
		"same@example.org": {User: rencontres.User{ID: 1, Email: "same@example.org", Name: "Anne Même", Lang: "fr", Role: rencontres.AuthorityContact},
			Memberships: []rencontres.ImportMembership{{OrgKey: "fr-13001"}}},
		"moved@example.org": {User: rencontres.User{ID: 2, Email: "moved@example.org", Name: "Paul Parti", Lang: "fr", Role: rencontres.AuthorityContact, Function: "Maire"},
			Memberships: []rencontres.ImportMembership{{OrgKey: "fr-13001"}}},
	}
	tab := table(
		[]string{"Collectivité", "Code INSEE", "Nom", "Courriel", "Fonction", "Civilité"},
		[]string{"Ville d'Aix-en-Provence", "", "Anne Même", "same@example.org", "", ""},             // unchanged
		[]string{"Aix en Provence", "", "Paul Parti", "moved@example.org", "Adjoint au maire", "M."}, // updated
		[]string{"熊本市", "", "熊本 花子", "hanako@example.org", "国際交流課長", ""},                             // created
		[]string{"Kumamoto", "", "Kumamoto Taro", "taro@example.org", "", ""},                        // ambiguous
		[]string{"", "99999", "Nadia Nulle", "nadia@example.org", "", ""},                            // unknown code
		[]string{"Le Havre", "", "Bad Mail", "pas-une-adresse", "", ""},                              // bad email
		[]string{"Le Havre", "", "Hanako Twice", "Hanako@example.org", "", ""},                       // duplicate
		[]string{"Le Havre", "", "", "nobody@example.org", "", ""},                                   // empty name
		[]string{"Le Havre", "", "Odd Title", "odd@example.org", "", "Professeur"},                   // bad civility
		[]string{"Kyoto", "", "Kyo Skip", "kyo@example.org", "", ""},                                 // skipped
		[]string{"Saint-Denis", "", "Denis Choisi", "denis@example.org", "", ""},                     // chosen
	)
	p := Build(Input{Table: tab, Index: x, Known: known, Choices: map[int]string{11: Skip, 12: "fr-93066"}})
	if len(p.Problems) > 0 {
		t.Fatalf("file problems %+v", p.Problems)
	}
	want := []struct {
		status Status
		key    string
		col    int
	}{
		{Unchanged, "", 0}, {Updated, "", 0}, {Created, "", 0}, {Ambiguous, "", 0}, {Refused, "unknown_code", 2},
		{Refused, "bad_email", 4}, {Refused, "duplicate", 4}, {Refused, "empty_name", 3}, {Refused, "bad_civility", 6},
		{Skipped, "", 0}, {Created, "", 0},
	}
	for i, w := range want {
		r := p.Rows[i]
		if r.Status != w.status {
			t.Errorf("line %d: %s, want %s (%+v)", r.Line, r.Status, w.status, r.Problems)
			continue
		}
		if w.key != "" && (len(r.Problems) != 1 || r.Problems[0].Key != w.key || r.Problems[0].Column != w.col || r.Problems[0].Line != r.Line) {
			t.Errorf("line %d: problems %+v, want %s at column %d", r.Line, r.Problems, w.key, w.col)
		}
	}
	if got := p.Rows[1].Changes; strings.Join(got, ",") != "civility,function" {
		t.Errorf("changes %v", got)
	}
	if r := p.Rows[2]; r.Contact.Lang != rencontres.Japanese || r.Contact.NameJa != "熊本 花子" || r.Org.Key != "jp-431001" {
		t.Errorf("created row %+v", r.Contact)
	}
	if r := p.Rows[3]; keys(r.Candidates) != "jp-430005 jp-431001" {
		t.Errorf("candidates %q", keys(r.Candidates))
	}
	if r := p.Rows[10]; r.Org == nil || r.Org.Key != "fr-93066" || r.MatchedBy != "choice" {
		t.Errorf("chosen row %+v", r)
	}
	if p.Ready() {
		t.Error("a preview with refused rows is ready")
	}
	if w := p.Writes(); len(w) != 3 {
		t.Errorf("%d writes, want 3", len(w))
	}
	if p.Counts[Refused] != 5 || p.Counts[Created] != 2 || p.Matched != 8 {
		t.Errorf("counts %v matched %d", p.Counts, p.Matched)
	}
}

func TestPreviewRefusesAFileItCannotRead(t *testing.T) {
	x := NewIndex(directory())
	for name, tc := range map[string]struct {
		rows    [][]string
		mapping []sheet.Field
		want    string
	}{
		"no header matches":   {[][]string{{"Foo", "Bar"}, {"a", "b"}}, nil, "no_header:0"},
		"no email column":     {[][]string{{"Collectivité", "Nom"}, {"Le Havre", "A"}}, nil, "missing_column:email"},
		"no authority column": {[][]string{{"Nom", "Courriel"}, {"A", "a@example.org"}}, nil, "missing_column:organisation"},
		"mapping corrected": {[][]string{{"Ville", "Qui", "Adresse mél"}, {"Le Havre", "A", "a@example.org"}},
			[]sheet.Field{sheet.OrgName, sheet.Name, sheet.Email}, ""},
	} {
		t.Run(name, func(t *testing.T) {
			p := Build(Input{Table: table(tc.rows...), Mapping: tc.mapping, Index: x})
			var got []string
			for _, pr := range p.Problems {
				if pr.Field == "" {
					got = append(got, pr.Key+":0")
				} else {
					got = append(got, pr.Key+":"+string(pr.Field))
				}
			}
			if strings.Join(got, " ") != tc.want {
				t.Fatalf("problems %v, want %q", got, tc.want)
			}
			if tc.want == "" && (p.Counts[Created] != 1 || !p.Ready()) {
				t.Fatalf("counts %v", p.Counts)
			}
		})
	}
}

func TestPreviewOfTwentyThousandRows(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	dir := directory()
	for i := range 38000 {
		dir = append(dir, org(fmt.Sprintf("fr-x%05d", i), rencontres.Commune, rencontres.France, fmt.Sprintf("X%05d", i), fmt.Sprintf("Commune %d", i), "", ""))
	}
	rows := [][]string{{"Collectivité", "Nom", "Courriel"}}
	for i := range 20000 {
		rows = append(rows, []string{fmt.Sprintf("Ville de Commune %d", i), fmt.Sprintf("Personne %d", i), fmt.Sprintf("p%d@example.org", i)})
	}
	p := Build(Input{Table: table(rows...), Index: NewIndex(dir)})
	if p.Counts[Created] != 20000 {
		t.Fatalf("counts %v", p.Counts)
	}
}
