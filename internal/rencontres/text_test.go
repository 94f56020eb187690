package rencontres

import (
	"encoding/json"
	"maps"
	"testing"
)

// scanJSON is what Text.Scan gave before its fast path: encoding/json.
func scanJSON(s string) (Text, error) {
	m := map[Lang]string{}
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, err
	}
	return m, nil
}

var textSamples = []string{
	`{}`, ` { } `, `{"fr":"Lyon"}`, `{"fr":"Lyon","ja":"リヨン","en":"Lyon"}`,
	`{"fr": "Aix-en-Provence", "ja": "エクス＝アン＝プロヴァンス"}`, "{\n\t\"fr\" : \"x\" ,\r\n\"ja\":\"y\"}",
	`{"fr":"Saint-\u00c9tienne"}`, `{"fr":"a\"b"}`, `{"fr":"a\\b"}`, `{"fr":"a\/b"}`,
	`{"fr":"x","fr":"y"}`, `{"fr":""}`, `null`, `[]`, `"fr"`, `{"fr":1}`, `{"fr":null}`,
	`{"fr":"x",}`, `{"fr":"x"`, `{"fr":"x"} x`, `{"fr" "x"}`, `{fr:"x"}`, "{\"fr\":\"a\x01b\"}",
	"{\"fr\":\"a\xffb\"}", "{\"f\xffr\":\"ab\"}", `{"fr":"x"}}`, ``, ` `, `{"ja":"熊本県","fr":"Kumamoto"}`,
}

// TestTextScanIsJSON: the fast path of Text.Scan gives what encoding/json
// gives, or an error where it fails, for strings and bytes alike.
func TestTextScanIsJSON(t *testing.T) {
	for _, s := range textSamples {
		checkTextScan(t, s)
	}
}

func checkTextScan(t *testing.T, s string) {
	t.Helper()
	want, wantErr := scanJSON(s)
	for _, src := range []any{s, []byte(s)} {
		var got Text
		err := got.Scan(src)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("Scan(%T %q): error %v, encoding/json %v", src, s, err, wantErr)
		}
		if err == nil && !maps.Equal(got, want) {
			t.Fatalf("Scan(%T %q) = %v, encoding/json %v", src, s, got, want)
		}
	}
	// The fast path alone must never accept what it gets wrong.
	if m, ok := parseFlatText(s); ok && (wantErr != nil || !maps.Equal(m, want)) {
		t.Fatalf("parseFlatText(%q) = %v, encoding/json %v (%v)", s, m, want, wantErr)
	}
}

func FuzzTextScan(f *testing.F) {
	for _, s := range textSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkTextScan(t, s) })
}

// TestTextScanFastPath: the names stored by the product take the fast
// path (a test of the shape parseFlatText accepts, which could otherwise
// silently fall back everywhere).
func TestTextScanFastPath(t *testing.T) {
	for _, s := range []string{`{}`, `{"fr":"Lyon","ja":"リヨン"}`, `{"fr": "Lyon", "ja": "リヨン"}`} {
		if _, ok := parseFlatText(s); !ok {
			t.Errorf("parseFlatText(%q) fell back to encoding/json", s)
		}
	}
}
