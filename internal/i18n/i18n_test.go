package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// keys flattens a catalogue into its message IDs. A table whose keys are
// plural categories is one message.
func keys(t *testing.T, lang rencontres.Lang) map[string]bool {
	t.Helper()
	var m map[string]any
	if _, err := toml.DecodeFS(locales, "locales/"+string(lang)+".toml", &m); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	walkMessages("", m, func(id string, msg any) {
		if text, ok := msg.(string); ok && strings.TrimSpace(text) == "" {
			t.Errorf("%s: %s is empty", lang, id)
		}
		out[id] = true
	})
	return out
}

// Every catalogue has exactly the keys of every other.
func TestCataloguesHaveTheSameKeys(t *testing.T) {
	fr := keys(t, rencontres.French)
	for _, l := range rencontres.Langs {
		other := keys(t, l)
		for k := range fr {
			if !other[k] {
				t.Errorf("%s.toml misses %q", l, k)
			}
		}
		for k := range other {
			if !fr[k] {
				t.Errorf("fr.toml misses %q (present in %s.toml)", k, l)
			}
		}
	}
}

// Every key the code and templates name literally exists, and every key
// they build from a domain value ("kind." + kind) exists for every value.
func TestUsedKeysExist(t *testing.T) {
	known := keys(t, rencontres.French)
	literal := regexp.MustCompile(`\.T "([a-z_.]+)"|T\("([a-z_.]+)"|Key: +"([a-z_.]+)"|"(error\.[a-z_]+)"|(?:field|entry) \$p (?:"[^"]+"|\([^)]*\)) "([a-z_.]+)"`)
	var files []string
	for _, glob := range []string{"../web/templates/*.html", "../web/*.go", "../api/*.go", "../rencontres/*.go", "../store/*.go", "../auth/*.go", "../registration/*.go", "../letter/*.go", "../export/*.go", "../declpdf/*.go", "*.go"} {
		m, _ := filepath.Glob(glob)
		files = append(files, m...)
	}
	if len(files) < 10 {
		t.Fatalf("found only %d files to scan", len(files))
	}
	used := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			for _, k := range m[1:] {
				if k != "" && strings.Contains(k, ".") && !strings.HasSuffix(k, ".") && !strings.HasSuffix(k, "_") {
					used[k] = true
				}
			}
		}
	}
	for _, k := range rencontres.OrgKinds {
		used["kind."+string(k)] = true
	}
	for _, s := range []rencontres.Status{rencontres.Planned, rencontres.Postponed, rencontres.Held, rencontres.Cancelled} {
		used["status."+string(s)] = true
	}
	for _, r := range []rencontres.Rhythm{rencontres.Annual, rencontres.Biennial, rencontres.Irregular} {
		used["rhythm."+string(r)] = true
	}
	for _, r := range []rencontres.EditionRole{rencontres.CoOrganiser, rencontres.Patron, rencontres.Partner} {
		used["role."+string(r)] = true
	}
	for _, k := range []rencontres.PartnershipKind{rencontres.Jumelage, rencontres.PacteAmitie, rencontres.Convention, rencontres.ExchangeCity} {
		used["partnership."+string(k)] = true
	}
	for _, r := range rencontres.AccountRoles {
		used["user_role."+string(r)] = true
	}
	for _, d := range []string{"invited", "bound", "disabled", "enabled", "erased"} {
		used["people.done_"+d] = true
	}
	for _, r := range rencontres.SeatRoles {
		used["committee_role."+r] = true
	}
	for _, k := range rencontres.EventKinds {
		used["event_kind."+string(k)] = true
	}
	for _, k := range rencontres.SessionKinds {
		used["session_kind."+string(k)] = true
	}
	for _, s := range []rencontres.DecisionStatus{rencontres.DecisionOpen, rencontres.DecisionDone, rencontres.DecisionDrop} {
		used["decision_status."+string(s)] = true
	}
	for _, l := range rencontres.Langs {
		used["lang."+string(l)] = true
	}
	for _, st := range []rencontres.SeatStatus{rencontres.Confirmed, rencontres.Waitlisted, rencontres.Withdrawn} {
		used["reg_status."+string(st)] = true
	}
	for _, k := range rencontres.QuestionKinds {
		used["question_kind."+string(k)] = true
	}
	for _, d := range []string{"added", "changed", "withdrawn"} {
		used["registration.done_"+d] = true
	}
	for _, w := range []string{"registered", "changed", "withdrawn", "promoted", "promoted_session", "delegation"} {
		used["mail.reg_subject_"+w] = true
		used["mail.reg_body_"+w] = true
	}
	for _, k := range rencontres.CommitteeKinds {
		used["committee_kind."+k] = true
	}
	for _, d := range []string{"created", "saved", "cancelled", "agenda", "minutes", "decision", "document", "committee"} {
		used["events.done_"+d] = true
	}
	for _, d := range []string{"seat", "seat_removed"} {
		used["committee.done_"+d] = true
	}
	for _, d := range []string{"session", "deleted", "room", "published", "unpublished"} {
		used["timetable.done_"+d] = true
	}
	for _, st := range []rencontres.CampaignStatus{rencontres.CampaignDraft, rencontres.CampaignSending, rencontres.CampaignCancelled} {
		used["campaign_status."+string(st)] = true
	}
	for _, st := range rencontres.RecipientStates {
		used["recipient_state."+string(st)] = true
	}
	for _, d := range []string{"created", "saved", "sent", "cancelled"} {
		used["campaign.done_"+d] = true
	}
	for _, l := range rencontres.Langs {
		used["campaign.letter_in_"+string(l)] = true
	}
	var missing []string
	for k := range used {
		if !known[k] {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	for _, k := range missing {
		t.Errorf("key %q is used but not in the catalogues", k)
	}
}

func TestDateRange(t *testing.T) {
	c := MustLoad()
	d := func(s string) rencontres.Date {
		v, err := rencontres.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		lang       rencontres.Lang
		start, end string
		want       string
	}{
		{"fr", "2022-10-03", "2022-10-06", "du 3 au 6 octobre 2022"},
		{"ja", "2022-10-03", "2022-10-06", "2022年10月3日〜6日"},
		{"en", "2022-10-03", "2022-10-06", "3–6 October 2022"},
		{"fr", "2012-08-28", "2012-09-01", "du 28 août au 1er septembre 2012"},
		{"ja", "2012-08-28", "2012-09-01", "2012年8月28日〜9月1日"},
		{"en", "2012-08-28", "2012-09-01", "28 August – 1 September 2012"},
		{"fr", "2021-12-30", "2022-01-02", "du 30 décembre 2021 au 2 janvier 2022"},
		{"ja", "2021-12-30", "2022-01-02", "2021年12月30日〜2022年1月2日"},
		{"fr", "2017-10-10", "2017-10-10", "le 10 octobre 2017"},
		{"fr", "2024-11-01", "2024-11-01", "le 1er novembre 2024"},
		{"en", "2017-10-10", "2017-10-10", "10 October 2017"},
	} {
		if got := c.Printer(tc.lang).DateRange(d(tc.start), d(tc.end)); got != tc.want {
			t.Errorf("%s DateRange(%s, %s) = %q, want %q", tc.lang, tc.start, tc.end, got, tc.want)
		}
	}
	if got, want := c.Printer("fr").LongDate(d("2023-09-18")), "lundi 18 septembre 2023"; got != want {
		t.Errorf("LongDate = %q, want %q", got, want)
	}
	if got, want := c.Printer("ja").LongDate(d("2023-09-18")), "2023年9月18日（月）"; got != want {
		t.Errorf("LongDate = %q, want %q", got, want)
	}
}

func TestOrdinals(t *testing.T) {
	c := MustLoad()
	short := rencontres.Text{"fr": "Rencontres franco-japonaises", "ja": "日仏自治体交流会議", "en": "Franco-Japanese Meetings"}
	for _, tc := range []struct {
		lang rencontres.Lang
		n    int
		text string
		html string
	}{
		{"fr", 7, "7e Rencontres franco-japonaises", "7<sup>e</sup> Rencontres franco-japonaises"},
		{"fr", 1, "1res Rencontres franco-japonaises", "1<sup>res</sup> Rencontres franco-japonaises"},
		{"ja", 7, "第7回日仏自治体交流会議", "第7回日仏自治体交流会議"},
		{"en", 1, "1st Franco-Japanese Meetings", "1st Franco-Japanese Meetings"},
		{"en", 2, "2nd Franco-Japanese Meetings", "2nd Franco-Japanese Meetings"},
		{"en", 3, "3rd Franco-Japanese Meetings", "3rd Franco-Japanese Meetings"},
		{"en", 11, "11th Franco-Japanese Meetings", "11th Franco-Japanese Meetings"},
		{"en", 22, "22nd Franco-Japanese Meetings", "22nd Franco-Japanese Meetings"},
	} {
		p := c.Printer(tc.lang)
		if got := p.EditionTitleText(tc.n, short); got != tc.text {
			t.Errorf("%s EditionTitleText(%d) = %q, want %q", tc.lang, tc.n, got, tc.text)
		}
		if got := string(p.EditionTitle(tc.n, short)); got != tc.html {
			t.Errorf("%s EditionTitle(%d) = %q, want %q", tc.lang, tc.n, got, tc.html)
		}
	}
}

func TestPluralsAndNumbers(t *testing.T) {
	c := MustLoad()
	for _, tc := range []struct {
		lang  rencontres.Lang
		count int
		want  string
	}{
		{"fr", 0, "0 résultat"}, // French: 0 is singular
		{"fr", 1, "1 résultat"},
		{"fr", 2, "2 résultats"},
		{"en", 0, "0 results"},
		{"en", 1, "1 result"},
		{"ja", 2, "2件"},
	} {
		if got := c.Printer(tc.lang).T("directory.results", "Count", tc.count); got != tc.want {
			t.Errorf("%s results(%d) = %q, want %q", tc.lang, tc.count, got, tc.want)
		}
	}
	n := 2103778
	if got, want := c.Printer("en").Number(&n), "2,103,778"; got != want {
		t.Errorf("en Number = %q, want %q", got, want)
	}
	if got := c.Printer("fr").Number(&n); got != "2\u00a0103\u00a0778" && got != "2\u202f103\u202f778" {
		t.Errorf("fr Number = %q, want 2 103 778 with no-break spaces", got)
	}
	var unknown *int
	if got := c.Printer("fr").Number(unknown); got != "" {
		t.Errorf("Number(nil) = %q, want empty", got)
	}
	if got, want := c.Printer("fr").Quote("Gouvernance"), "«\u00a0Gouvernance\u00a0»"; got != want {
		t.Errorf("fr Quote = %q, want %q", got, want)
	}
}

func TestTimeRange(t *testing.T) {
	c := MustLoad()
	paris, _ := time.LoadLocation("Europe/Paris")
	start := time.Date(2020, 9, 22, 16, 0, 0, 0, paris)
	end := start.Add(90 * time.Minute)
	for lang, want := range map[rencontres.Lang]string{"fr": "de 16h00 à 17h30", "ja": "16:00〜17:30", "en": "16:00–17:30"} {
		if got := c.Printer(lang).TimeRange(start, end); got != want {
			t.Errorf("%s TimeRange = %q, want %q", lang, got, want)
		}
	}
}

// A clash names the other session in the reader's language.
func TestErrorWithTranslatedArgument(t *testing.T) {
	c := MustLoad()
	err := &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.room_taken",
		Args: map[string]any{"Other": rencontres.Text{"fr": "Table ronde 1", "ja": "パネルディスカッション1"}}}
	if got, want := c.Printer("ja").Error(err), "この会場は同じ時刻に「パネルディスカッション1」で使用中です。"; got != want {
		t.Errorf("ja: %q, want %q", got, want)
	}
	if got, want := c.Printer("fr").Error(err), "La salle est déjà occupée à ce moment par «\u00a0Table ronde 1\u00a0»."; got != want {
		t.Errorf("fr: %q, want %q", got, want)
	}
}

// A day or a time is followed by its zone, in full-width brackets in
// Japanese: 16:30〜18:00（パリ時間）. The times are given as text, so that
// the test holds whatever each language's clock looks like.
func TestInZone(t *testing.T) {
	c := MustLoad()
	for _, tc := range []struct {
		lang rencontres.Lang
		when string
		zone string
		want string
	}{
		{rencontres.Japanese, "16:30〜18:00", "Europe/Paris", "16:30〜18:00（パリ時間）"},
		{rencontres.Japanese, "16:30〜18:00", "Asia/Tokyo", "16:30〜18:00（日本時間）"},
		{rencontres.French, "de 16h30 à 18h00", "Europe/Paris", "de 16h30 à 18h00 (heure de Paris)"},
		{rencontres.English, "16:30–18:00", "Asia/Tokyo", "16:30–18:00 (Tokyo time)"},
		{rencontres.English, "16:30–18:00", "America/Montreal", "16:30–18:00 (America/Montreal)"},
	} {
		if got := c.Printer(tc.lang).InZone(tc.when, tc.zone); got != tc.want {
			t.Errorf("%s, %s: %q, want %q", tc.lang, tc.zone, got, tc.want)
		}
	}
}

// A range of clock times takes 〜 in Japanese and the en dash elsewhere.
func TestThrough(t *testing.T) {
	c := MustLoad()
	for l, want := range map[rencontres.Lang]string{rencontres.Japanese: "〜", rencontres.French: "–", rencontres.English: "–"} {
		if got := c.Printer(l).Through(); got != want {
			t.Errorf("%s: %q, want %q", l, got, want)
		}
	}
}
