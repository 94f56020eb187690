package web

import (
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// An amendment's diffs: French by words, Japanese by characters, a
// language still to translate marked pending, a deletion all deleted.
func TestAmendmentDiffs(t *testing.T) {
	base := rencontres.Text{"fr": "Les collectivités coopèrent.", "ja": "自治体は協力する。"}
	render := func(ops []DiffOp) string {
		s := ""
		for _, o := range ops {
			switch o.Kind {
			case "insert":
				s += "[+" + o.Text + "]"
			case "delete":
				s += "[-" + o.Text + "]"
			default:
				s += o.Text
			}
		}
		return s
	}
	a := &rencontres.Amendment{Kind: rencontres.AmendChange, Lang: rencontres.Japanese, Text: rencontres.Text{"ja": "自治体は対等に協力する。"}}
	d := amendmentDiffs(a, base)
	if len(d) != 2 || d[0].Lang != "fr" || !d[0].Pending || d[0].Ops != nil {
		t.Fatalf("French still to translate: %+v", d)
	}
	if got := render(d[1].Ops); got != "自治体は[+対等に]協力する。" {
		t.Errorf("Japanese by characters: %s", got)
	}
	a.Text["fr"] = "Les collectivités coopèrent d’égal à égal."
	if got := render(amendmentDiffs(a, base)[0].Ops); got != "Les collectivités coopèrent[+ d’égal à égal]." {
		t.Errorf("French by words: %s", got)
	}
	del := amendmentDiffs(&rencontres.Amendment{Kind: rencontres.AmendDelete}, base)
	if render(del[0].Ops) != "[-Les collectivités coopèrent.]" || del[0].Pending {
		t.Errorf("deletion: %+v", del[0])
	}
}
