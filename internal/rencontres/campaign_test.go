package rencontres

import "testing"

// The extra recipients' parts are separated by ";" or, as a Japanese
// keyboard types it and the Japanese hint shows it, "；", with ordinary or
// full-width spaces around them.
func TestParseExtraSeparators(t *testing.T) {
	f := &RecipientFilter{Extra: []string{
		"claire.duval@example.org; fr-06029; Claire DUVAL; fr",
		"k.mori@example.org；jp-221007；森 健二；ja",
		"　a.sato@example.org　；　jp-221007　;　Aiko SATO　",
		"",
		"pas-une-adresse；fr-06029",
		"x.dupont@example.org；；Xavier DUPONT",
	}}
	got, problems := f.ParseExtra()
	want := []Recipient{
		{Email: "claire.duval@example.org", OrgKey: "fr-06029", Name: "Claire DUVAL", Lang: French, Line: 1},
		{Email: "k.mori@example.org", OrgKey: "jp-221007", Name: "森 健二", Lang: Japanese, Line: 2},
		{Email: "a.sato@example.org", OrgKey: "jp-221007", Name: "Aiko SATO", Lang: French, Line: 3},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d recipients, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Email != w.Email || g.OrgKey != w.OrgKey || g.Name != w.Name || g.Lang != w.Lang || g.Line != w.Line {
			t.Errorf("line %d: got %+v, want %+v", w.Line, *g, w)
		}
	}
	wantProblems := []struct {
		line  int
		key   string
		value any
	}{
		{5, "campaign.problem_extra_address", "pas-une-adresse"},
		{6, "campaign.problem_extra_organisation", nil},
	}
	if len(problems) != len(wantProblems) {
		t.Fatalf("problems: %+v", problems)
	}
	for i, w := range wantProblems {
		if p := problems[i]; p.Line != w.line || p.Key != w.key || (w.value != nil && p.Args["Value"] != w.value) {
			t.Errorf("problem %d: %+v, want line %d %s %v", i, p, w.line, w.key, w.value)
		}
	}
}
