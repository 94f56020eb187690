package i18n_test

import (
	"testing"

	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// French ordinals agree with a plural noun (« les 8es Rencontres », « les
// 1res Rencontres »); the other languages write them as usual.
func TestOrdinalPlural(t *testing.T) {
	c := i18n.MustLoad()
	for _, tc := range []struct {
		lang rencontres.Lang
		n    int
		want string
	}{
		{rencontres.French, 1, "1res"}, {rencontres.French, 8, "8es"}, {rencontres.French, 11, "11es"},
		{rencontres.Japanese, 8, "第8回"}, {rencontres.English, 1, "1st"}, {rencontres.English, 11, "11th"},
	} {
		if got := c.Printer(tc.lang).OrdinalPlural(tc.n); got != tc.want {
			t.Errorf("%s %d: %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
}
