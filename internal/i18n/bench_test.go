package i18n

import (
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// A line of a confirmation (two arguments), filled (fill.go) and through
// go-i18n; and a message without arguments.
func BenchmarkT(b *testing.B) {
	p := MustLoad().Printer(rencontres.Japanese)
	args := []any{"Label", "分科会", "Value", "登録済み"}
	b.Run("filled", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p.T("registration.line", args...)
		}
	})
	b.Run("go-i18n", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p.localize("registration.line", args)
		}
	})
	b.Run("no arguments", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p.T("registration.event_seat")
		}
	})
}
