package web

import (
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/textdiff"
)

// diffOps compares two texts of one language for reading: word by word
// in French and English, character by character in Japanese, which is
// written without spaces.
func diffOps(l rencontres.Lang, a, b string) []DiffOp {
	ops := textdiff.Words(a, b)
	if l == rencontres.Japanese {
		ops = textdiff.Chars(a, b)
	}
	out := make([]DiffOp, 0, len(ops))
	for _, o := range ops {
		k := "equal"
		switch o.Kind {
		case textdiff.Insert:
			k = "insert"
		case textdiff.Delete:
			k = "delete"
		}
		out = append(out, DiffOp{Kind: k, Text: o.Text})
	}
	return out
}
