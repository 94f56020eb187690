package sheet

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
)

const frenchCSV = "Collectivité;Civilité;Nom;Fonction;Courriel\r\n" +
	"Ville d’Aix-en-Provence;Mme;Hélène Févrièr;Chargée de mission coopération;helene@example.org\r\n" +
	"Compiègne;M.;Benoît Gaël;Directeur général des services;benoit@example.org\r\n"

const japaneseCSV = "自治体名,氏名,ふりがな,役職,メール\r\n" +
	"熊本市,熊本　花子,くまもと はなこ,国際交流課長,hanako@example.org\r\n" +
	"静岡県,静岡 太郎,しずおか たろう,主査,taro@example.org\r\n"

func mustEncode(t *testing.T, s string, sjis bool) []byte {
	t.Helper()
	var b []byte
	var err error
	if sjis {
		b, err = japanese.ShiftJIS.NewEncoder().Bytes([]byte(s))
	} else {
		b, err = charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReadsCSVInEveryEncoding(t *testing.T) {
	for name, tc := range map[string]struct {
		data      []byte
		enc       string
		sep       rune
		wantCell  string // row 1, column 0
		wantLines []int
	}{
		"Windows-1252 with semicolons": {mustEncode(t, frenchCSV, false), EncWindows1252, ';', "Ville d’Aix-en-Provence", []int{1, 2, 3}},
		"Shift_JIS with commas":        {mustEncode(t, japaneseCSV, true), EncShiftJIS, ',', "熊本市", []int{1, 2, 3}},
		"UTF-8 with a BOM":             {append([]byte("\xEF\xBB\xBF"), japaneseCSV...), EncUTF8BOM, ',', "熊本市", []int{1, 2, 3}},
		"UTF-8 without":                {[]byte(frenchCSV), EncUTF8, ';', "Ville d’Aix-en-Provence", []int{1, 2, 3}},
		"tabs, a blank line":           {[]byte("Nom\tCourriel\n\nA\ta@example.org\n"), EncUTF8, '\t', "A", []int{1, 3}},
	} {
		t.Run(name, func(t *testing.T) {
			tab, err := Read(tc.data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if tab.Encoding != tc.enc || tab.Separator != tc.sep {
				t.Errorf("encoding %q separator %q, want %q %q", tab.Encoding, tab.Separator, tc.enc, tc.sep)
			}
			if tab.Rows[1][0] != tc.wantCell {
				t.Errorf("first cell %q, want %q", tab.Rows[1][0], tc.wantCell)
			}
			if len(tab.Lines) != len(tc.wantLines) || tab.Lines[len(tab.Lines)-1] != tc.wantLines[len(tc.wantLines)-1] {
				t.Errorf("lines %v, want %v", tab.Lines, tc.wantLines)
			}
		})
	}
}

func writeWorkbook(t *testing.T, sheets map[string][][]string, order []string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range order {
		if i == 0 {
			f.SetSheetName("Sheet1", name)
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sheets[name] {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				f.SetCellValue(name, cell, v)
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReadsTheChosenSheetOfAWorkbook(t *testing.T) {
	data := writeWorkbook(t, map[string][][]string{
		"Notes":    {{"Liste tenue par CLAIR Paris"}},
		"Contacts": {{"自治体名", "氏名", "メール"}, {"熊本市", "熊本 花子", "hanako@example.org"}},
	}, []string{"Notes", "Contacts"})
	tab, err := Read(data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tab.Format != "xlsx" || strings.Join(tab.Sheets, ",") != "Notes,Contacts" || tab.Sheet != "Notes" {
		t.Fatalf("got %s %v %q", tab.Format, tab.Sheets, tab.Sheet)
	}
	tab, err = Read(data, Options{Sheet: "Contacts"})
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != 2 || tab.Rows[1][0] != "熊本市" || tab.Lines[1] != 2 {
		t.Fatalf("rows %v lines %v", tab.Rows, tab.Lines)
	}
	var e *Error
	if _, err := Read(data, Options{Sheet: "Feuil3"}); !errors.As(err, &e) || e.Key != "no_sheet" {
		t.Fatalf("unknown sheet: %v", err)
	}
}

func TestRefusesWhatIsNoSpreadsheet(t *testing.T) {
	big := &bytes.Buffer{}
	big.WriteString("Nom,Courriel\n")
	for range MaxRows + 1 {
		big.WriteString("a,a@example.org\n")
	}
	for name, tc := range map[string]struct {
		data     []byte
		opt      Options
		key      string
		line, co int
	}{
		"a PNG":                  {[]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), Options{}, "not_spreadsheet", 3, 1},
		"a broken zip":           {[]byte("PK\x03\x04garbage"), Options{}, "not_spreadsheet", 0, 0},
		"an empty file":          {[]byte(" \r\n"), Options{}, "empty", 0, 0},
		"UTF-16":                 {[]byte("\xFF\xFEN\x00o\x00m\x00"), Options{}, "bad_encoding", 1, 1},
		"Latin-1 read as UTF-8":  {[]byte("Nom\nH\xE9l\xE8ne\n"), Options{Encoding: EncUTF8}, "bad_encoding", 2, 2},
		"an unknown encoding":    {[]byte("Nom\n"), Options{Encoding: "EBCDIC"}, "unknown_encoding", 0, 0},
		"an empty sheet":         {writeWorkbook(t, map[string][][]string{"Vide": nil}, []string{"Vide"}), Options{}, "empty", 0, 0},
		"more than 100,000 rows": {big.Bytes(), Options{}, "too_many_rows", MaxRows + 2, 1},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Read(tc.data, tc.opt)
			var e *Error
			if !errors.As(err, &e) || e.Key != tc.key || e.Line != tc.line || e.Column != tc.co {
				t.Fatalf("got %v, want %s at %d:%d", err, tc.key, tc.line, tc.co)
			}
		})
	}
}

func TestMatchesHeadersInThreeLanguages(t *testing.T) {
	for h, want := range map[string]Field{
		"Collectivité": OrgName, "自治体名": OrgName, "Authority": OrgName, "Nom": Name, "氏名": NameJa,
		"Courriel": Email, "メール": Email, "E-mail *": Email, "Fonction": Function, "役職": Function,
		"Code INSEE": OrgCode, "ＣＯＤＥ　ＩＮＳＥＥ": OrgCode, "団体コード": OrgCode, "Téléphone": Phone, "TEL": Phone,
		"Civilité": Civility, "Service": Service, "部署": Service, "Adresse": PostalAddress, "Langue": Lang,
		"Formule d'appel": AddressForm, "Formule d’appel": AddressForm, "Prénom": GivenName, "Nom de famille": FamilyName,
		"ふりがな": Kana, "ﾌﾘｶﾞﾅ": Kana, "カナ": Kana, "Courriel (professionnel)": Email, "Remarques": None,
	} {
		if got := MatchHeader(h); got != want {
			t.Errorf("MatchHeader(%q) = %q, want %q", h, got, want)
		}
	}
	got := MatchHeaders([]string{"Prénom", "Nom", "Courriel", "Mail"})
	if want := []Field{GivenName, FamilyName, Email, None}; strings.Join(fieldStrings(got), ",") != strings.Join(fieldStrings(want), ",") {
		t.Errorf("MatchHeaders = %v, want %v", got, want)
	}
}

func fieldStrings(fs []Field) []string {
	var out []string
	for _, f := range fs {
		out = append(out, string(f))
	}
	return out
}

func TestColumnName(t *testing.T) {
	for col, want := range map[int]string{1: "A", 26: "Z", 27: "AA", 53: "BA"} {
		if got := ColumnName(col); got != want {
			t.Errorf("ColumnName(%d) = %q, want %q", col, got, want)
		}
	}
}
