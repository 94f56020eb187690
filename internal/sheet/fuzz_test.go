package sheet

import (
	"errors"
	"testing"
	"unicode/utf8"
)

// The seed corpus of each target lives in testdata/fuzz/<target>/ and runs
// as an ordinary test under `make test`; `go test -fuzz=FuzzReadSheet`
// explores further.

func FuzzReadSheet(f *testing.F) {
	f.Add([]byte(frenchCSV))
	f.Add([]byte(japaneseCSV))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := Read(data, Options{})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Key == "" {
				t.Fatalf("a fault without a message key: %v", err)
			}
			return
		}
		if len(tab.Rows) == 0 || len(tab.Rows) != len(tab.Lines) || len(tab.Rows) > MaxRows+1 {
			t.Fatalf("%d rows, %d lines", len(tab.Rows), len(tab.Lines))
		}
		for i, r := range tab.Rows {
			if i > 0 && tab.Lines[i] <= tab.Lines[i-1] {
				t.Fatalf("lines out of order: %v", tab.Lines)
			}
			for _, c := range r {
				if !utf8.ValidString(c) {
					t.Fatalf("cell %q is not UTF-8", c)
				}
			}
		}
	})
}

func FuzzDetectEncoding(f *testing.F) {
	f.Add([]byte("Nom;Courriel\r\nH\xe9l\xe8ne;h@example.org\r\n"))
	f.Add([]byte("\x8e\xa9\x8e\xa1\x91\xcc\x96\xbc\r\n"))
	f.Add([]byte("\xef\xbb\xbfNom\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		enc, text, err := DetectEncoding(data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || (e.Key != "bad_encoding") {
				t.Fatalf("unexpected fault %v", err)
			}
			return
		}
		if !utf8.ValidString(text) {
			t.Fatalf("%s text is not UTF-8", enc)
		}
		if utf8.Valid(data) && enc != EncUTF8 && enc != EncUTF8BOM {
			t.Fatalf("valid UTF-8 read as %s", enc)
		}
	})
}

func FuzzMatchHeader(f *testing.F) {
	for _, h := range []string{"Collectivité", "自治体名", "Code INSEE", "ﾌﾘｶﾞﾅ", "E-mail (pro)", ""} {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, h string) {
		got := MatchHeader(h)
		if !ValidField(got) {
			t.Fatalf("MatchHeader(%q) = unknown field %q", h, got)
		}
		// Case and surrounding spaces never change the answer.
		if again := MatchHeader(" " + h + " "); again != got {
			t.Fatalf("MatchHeader(%q) = %q but with spaces %q", h, got, again)
		}
	})
}
