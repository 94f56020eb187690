package web

import (
	"github.com/rencontres/rencontres/internal/rencontres"
)

// diffOps compares two texts of one language for reading.
func diffOps(l rencontres.Lang, a, b string) []DiffOp {
	var out []DiffOp
	if a != "" {
		out = append(out, DiffOp{Kind: "delete", Text: a})
	}
	if b != "" {
		out = append(out, DiffOp{Kind: "insert", Text: b})
	}
	return out
}
