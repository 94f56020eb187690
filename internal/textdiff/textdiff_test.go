package textdiff

import (
	"strings"
	"testing"
)

func render(ops []Op) string {
	var sb strings.Builder
	for _, o := range ops {
		switch o.Kind {
		case Insert:
			sb.WriteString("[+" + o.Text + "]")
		case Delete:
			sb.WriteString("[-" + o.Text + "]")
		default:
			sb.WriteString(o.Text)
		}
	}
	return sb.String()
}

// rebuild returns the old and the new text the ops describe.
func rebuild(ops []Op) (string, string) {
	var a, b strings.Builder
	for _, o := range ops {
		if o.Kind != Insert {
			a.WriteString(o.Text)
		}
		if o.Kind != Delete {
			b.WriteString(o.Text)
		}
	}
	return a.String(), b.String()
}

func TestWordsNeverCutsAWord(t *testing.T) {
	a := "Les collectivités s’engagent à renforcer leurs échanges."
	b := "Les collectivités territoriales s’engagent à développer leurs échanges."
	ops := Words(a, b)
	if got, want := render(ops), "Les collectivités [+territoriales ]s’engagent à [-renforcer][+développer] leurs échanges."; got != want {
		t.Errorf("Words:\n got %s\nwant %s", got, want)
	}
	if x, y := rebuild(ops); x != a || y != b {
		t.Errorf("the ops do not rebuild the texts: %q %q", x, y)
	}
}

func TestCharsJapanese(t *testing.T) {
	a := "両国の自治体は交流を強化する。"
	b := "両国の地方自治体は交流を一層強化する。"
	ops := Chars(a, b)
	if got, want := render(ops), "両国の[+地方]自治体は交流を[+一層]強化する。"; got != want {
		t.Errorf("Chars:\n got %s\nwant %s", got, want)
	}
	if x, y := rebuild(ops); x != a || y != b {
		t.Errorf("the ops do not rebuild the texts: %q %q", x, y)
	}
}

func TestEqualAndEmpty(t *testing.T) {
	if ops := Words("même texte", "même texte"); Changed(ops) || len(ops) != 1 {
		t.Errorf("equal texts: %v", ops)
	}
	if got := render(Words("", "nouveau")); got != "[+nouveau]" {
		t.Errorf("from empty: %s", got)
	}
	if got := render(Chars("削除", "")); got != "[-削除]" {
		t.Errorf("to empty: %s", got)
	}
}

func TestManyDistinctWords(t *testing.T) {
	// more distinct words than runes below the surrogates
	var a, b strings.Builder
	for i := 0; i < 60000; i++ {
		a.WriteString("w")
		a.WriteString(strings.Repeat("x", i%7))
		a.WriteString(string(rune('a' + i%26)))
		a.WriteString(itoa(i))
		a.WriteString(" ")
	}
	b.WriteString(a.String())
	b.WriteString("fin")
	ops := Words(a.String(), b.String())
	if x, y := rebuild(ops); x != a.String() || y != b.String() {
		t.Fatal("the ops do not rebuild the texts")
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var d []byte
	for ; i > 0; i /= 10 {
		d = append([]byte{byte('0' + i%10)}, d...)
	}
	return string(d)
}
