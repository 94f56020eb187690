package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// authorityKey matches an organisation's key as the directory stores it.
var authorityKey = regexp.MustCompile(`\b(?:fr|jp)-(?:reg-|dep-|epci-)?\d+\b|\binst-[a-z-]+\b`)

// visibleText is what a page shows to read: its text without tags,
// attributes and scripts, and without its forms, whose hints tell how to
// type a key where one is asked.
func visibleText(body string) string {
	body = regexp.MustCompile(`(?s)<script.*?</script>|<head>.*?</head>|<form.*?</form>`).ReplaceAllString(body, "")
	return regexp.MustCompile(`<[^>]*>`).ReplaceAllString(body, " ")
}

// page gets a page as role and fails unless it answers 200.
func (f *fixture) page(t *testing.T, role rencontres.Role, path string) string {
	t.Helper()
	code, b, _ := f.call(t, role, "GET", path, nil)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d", path, code)
	}
	return string(b)
}

// The pages that name authorities show their names in the reader's
// language, linked, never their keys: the committee page, a meeting's
// agenda, the registrations list, the check-in card and the people list.
func TestPagesNameAuthorities(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		seventh, err := st.Edition(ctx, "rencontres-franco-japonaises", 7)
		if err != nil {
			t.Fatal(err)
		}
		meeting := seventh.Committees[0].Meetings[0]
		regs, err := st.Registrations(ctx, rencontres.RegistrationFilter{EventID: f.edition, OrgKey: "jp-431001"})
		if err != nil || len(regs) == 0 {
			t.Fatalf("Kumamoto's delegation to the 7th: %v", err)
		}
		for _, tc := range []struct {
			path string
			want []string
		}{
			{fmt.Sprintf("/fr/committees/%d", f.committee), []string{`<a href="/fr/organisations/fr-13001">Aix-en-Provence (<span lang="ja">エクス＝アン＝プロヴァンス</span>)</a>`, "Cités Unies France"}},
			{fmt.Sprintf("/ja/committees/%d", f.committee), []string{`<a href="/ja/organisations/fr-13001">エクス＝アン＝プロヴァンス（<span lang="fr">Aix-en-Provence</span>）</a>`}},
			{fmt.Sprintf("/fr/events/%d", meeting.ID), []string{`Nadia BENSAÏD</span>, <a href="/fr/organisations/fr-13001">Aix-en-Provence`, "Cités Unies France"}},
			{fmt.Sprintf("/ja/events/%d", meeting.ID), []string{`、<a href="/ja/organisations/inst-cuf">フランス自治体国際連合（CUF）`}},
			{fmt.Sprintf("/fr/events/%d/registrations", f.edition), []string{`>Kumamoto (<span lang="ja">熊本市</span>)</a>`, `>Nancy (<span lang="ja">ナンシー</span>)</a>`}},
			{fmt.Sprintf("/ja/events/%d/registrations", f.edition), []string{`>熊本市（<span lang="fr">Kumamoto</span>）</a>`, "森 健二"}},
			{fmt.Sprintf("/fr/events/%d/checkin?code=%s", f.edition, regs[0].Code), []string{`Kumamoto (<span lang="ja">熊本市</span>)`}},
			{fmt.Sprintf("/ja/events/%d/checkin?code=%s", f.edition, regs[0].Code), []string{`熊本市（<span lang="fr">Kumamoto</span>）`}},
			{"/fr/admin/people", []string{`<a href="/fr/manage/organisations/jp-431001">Kumamoto (<span lang="ja">熊本市</span>)</a>`}},
			{"/ja/admin/people", []string{`<a href="/ja/manage/organisations/jp-431001">熊本市（<span lang="fr">Kumamoto</span>）</a>`,
				// A Japanese contact's name, in Japanese first.
				`中村 博 <span class="other-script" lang="ja-Latn">Hiroshi NAKAMURA</span>`}},
		} {
			body := f.page(t, rencontres.Secretariat, tc.path)
			if keys := authorityKey.FindAllString(visibleText(body), -1); len(keys) > 0 {
				t.Errorf("%s shows authority keys where names belong: %v", tc.path, keys)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s lacks %s", tc.path, w)
				}
			}
		}
	})
}

// Every seat of the demo's committees shows its mandate.
func TestCommitteeSeatsShowTheirMandate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		for path, want := range map[string]string{
			fmt.Sprintf("/fr/committees/%d", f.committee): "<td>12 octobre 2018 – 31 décembre 2022</td>",
			fmt.Sprintf("/ja/committees/%d", f.committee): "<td>2018年10月12日 – 2022年12月31日</td>",
		} {
			body := f.page(t, rencontres.Secretariat, path)
			if got := strings.Count(body, want); got != 3 {
				t.Errorf("%s: the mandate %s shows on %d seats, want the 3 of the French committee", path, want, got)
			}
		}
	})
}

// The delegation form asks the family name first in Japanese, and labels
// two session choices by their rank.
func TestDelegationFormOrderAndChoiceLabels(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		order := func(body string, ids ...string) bool {
			last := -1
			for _, id := range ids {
				i := strings.Index(body, `id="`+id+`"`)
				if i < last {
					return false
				}
				last = i
			}
			return true
		}
		page := fmt.Sprintf("/%%s/events/%d/delegation?org=jp-431001", f.edition)
		ja := f.page(t, rencontres.Secretariat, fmt.Sprintf(page, "ja"))
		if !order(ja, "family_name", "given_name", "family_name_ja", "given_name_ja", "family_kana", "given_kana") {
			t.Error("the Japanese form does not ask the family name before the given name")
		}
		for _, w := range []string{`<label for="family_name_ja">姓</label>`, `<label for="given_name_ja">名</label>`,
			`<label for="family_kana">セイ</label>`, `<label for="given_kana">メイ</label>`,
			`<label for="choice_1">第1希望</label>`, `<label for="choice_2">第2希望</label>`} {
			if !strings.Contains(ja, w) {
				t.Errorf("the Japanese form lacks %s", w)
			}
		}
		fr := f.page(t, rencontres.Secretariat, fmt.Sprintf(page, "fr"))
		if !order(fr, "given_name", "family_name", "family_name_ja", "given_name_ja") {
			t.Error("the French form does not ask the given name first, then the Japanese name family name first")
		}
		for _, w := range []string{`<label for="choice_1">1<sup>er</sup> choix</label>`, `<label for="choice_2">2<sup>e</sup> choix</label>`} {
			if !strings.Contains(fr, w) {
				t.Errorf("the French form lacks %s", w)
			}
		}
		if strings.Contains(fr, "Session choisie") {
			t.Error("the French form labels a choice « Session choisie » among two")
		}
		// A person registered with the form shows with the name split
		// back into its fields when changed.
		regs, _ := st.Registrations(context.Background(), rencontres.RegistrationFilter{EventID: f.edition, OrgKey: "jp-431001"})
		edit := f.page(t, rencontres.Secretariat, fmt.Sprintf(page, "ja")+fmt.Sprintf("&edit=%d", regs[0].ID))
		if !strings.Contains(edit, `id="family_name_ja" name="family_name_ja" type="text" value="森"`) ||
			!strings.Contains(edit, `id="given_kana" name="given_kana" type="text" value="けんじ"`) {
			t.Error("changing Kenji MORI's registration does not show his name in Japanese in its two fields")
		}
	})
}

// The timetable writes its times as each language does, and its title
// says whether the programme is published.
func TestTimetableTimesAndTitle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		eighth, err := st.Edition(context.Background(), "rencontres-franco-japonaises", 8)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			path string
			want []string
			not  string
		}{
			{fmt.Sprintf("/fr/events/%d/timetable", f.edition), []string{`<th scope="row">9h30</th>`, `<th scope="row">14h00</th>`,
				"<h1>Programme publié — 7<sup>e</sup> Rencontres franco-japonaises</h1>"}, `<th scope="row">09:30</th>`},
			{fmt.Sprintf("/ja/events/%d/timetable", f.edition), []string{`<th scope="row">9:30</th>`, "<h1>プログラム（公開中） ― 第7回日仏自治体交流会議</h1>"}, `<th scope="row">09:30</th>`},
			{fmt.Sprintf("/en/events/%d/timetable", f.edition), []string{`<th scope="row">9:30</th>`, "<h1>Published programme — 7th"}, `<th scope="row">09:30</th>`},
			{fmt.Sprintf("/fr/events/%d/timetable", eighth.ID), []string{"<h1>Programme en préparation, non publié — 8<sup>e</sup> Rencontres franco-japonaises</h1>"}, "Programme publié"},
			{fmt.Sprintf("/ja/events/%d/timetable", eighth.ID), []string{"<h1>プログラム（作成中・未公開） ― 第8回日仏自治体交流会議</h1>"}, "公開中）"},
		} {
			body := f.page(t, rencontres.Secretariat, tc.path)
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s lacks %s", tc.path, w)
				}
			}
			if strings.Contains(body, tc.not) {
				t.Errorf("%s shows %s", tc.path, tc.not)
			}
		}
	})
}

// The menu marks the section a page belongs to, and only it.
func TestCurrentMenuItem(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		for path, want := range map[string]string{
			"/fr/manage/events":   `<a href="/fr/manage/events" aria-current="page">`,
			"/fr/organisations":   `<a href="/fr/organisations" aria-current="page">`,
			"/fr/admin/people":    `<a href="/fr/admin/people" aria-current="page">`,
			"/fr/account":         `<a href="/fr/account" aria-current="page">`,
			"/fr/accessibility":   `<a href="/fr/accessibility" aria-current="page">`,
			"/ja/series/raict/11": `<a href="/ja/series/raict" aria-current="page">`,
			fmt.Sprintf("/fr/events/%d/programme", f.edition):               `<a href="/fr/series/rencontres-franco-japonaises" aria-current="page">`,
			fmt.Sprintf("/fr/committees/%d", f.committee):                   `<a href="/fr/manage/events" aria-current="page">`,
			fmt.Sprintf("/fr/events/%d/delegation?org=fr-54395", f.edition): `<a href="/fr/manage/events" aria-current="page">`,
		} {
			body := f.page(t, rencontres.Secretariat, path)
			if !strings.Contains(body, want) {
				t.Errorf("%s does not mark %s", path, want)
			}
			if n := strings.Count(body, `aria-current="page"`); n != 1 {
				t.Errorf("%s marks %d items as the current page, want 1", path, n)
			}
		}
	})
}

// An unknown page under /ja/ answers in Japanese, whatever the browser
// prefers.
func TestNotFoundInThePathsLanguage(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	for path, want := range map[string]string{
		"/ja/unknown":   "このページは存在しません。",
		"/en/nope/nope": "This page does not exist.",
		"/fr/inconnue":  "Cette page n",
	} {
		code, b, _ := f.call(t, rencontres.Public, "GET", path, nil, "Accept-Language", "de, fr;q=0.5")
		lang := path[1:3]
		if body := string(b); code != http.StatusNotFound || !strings.Contains(body, `<html lang="`+lang+`"`) || !strings.Contains(body, want) {
			t.Errorf("GET %s: %d, want 404 in %s", path, code, lang)
		}
	}
}

// The accessibility statement exists in three languages at a stable
// address, in the RGAA's form, and every page's footer links to it.
func TestAccessibilityStatement(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		for lang, want := range map[string][]string{
			"fr": {"<h1>Déclaration d’accessibilité</h1>", "État de conformité", "non conforme", "Dérogations pour charge disproportionnée",
				"Retour d’information et coordonnées", "Défenseur des droits", "Libre réponse 71120"},
			"ja": {"<h1>アクセシビリティに関する宣言</h1>", "適合状況", "Défenseur des droits"},
			"en": {"<h1>Accessibility statement</h1>", "Compliance status", "Défenseur des droits"},
		} {
			body := f.page(t, rencontres.Public, "/"+lang+"/accessibility")
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("/%s/accessibility lacks %s", lang, w)
				}
			}
		}
		// Every page the secretariat may open, and an error page.
		pages := []string{"/ja/unknown"}
		for _, r := range f.routes {
			method, pattern, _ := strings.Cut(r, " ")
			pattern, _, _ = strings.Cut(pattern, " ")
			if method == "GET" && !strings.HasPrefix(pattern, "/api/") && !strings.Contains(pattern, "{token}") {
				pages = append(pages, f.examplePath(pattern))
			}
		}
		for _, path := range pages {
			code, b, h := f.call(t, rencontres.Secretariat, "GET", path, nil)
			if !strings.HasPrefix(h.Get("Content-Type"), "text/html") || code == http.StatusSeeOther {
				continue
			}
			lang := path[1:3]
			if link := `<footer class="site">`; !strings.Contains(string(b), link) ||
				!strings.Contains(string(b)[strings.Index(string(b), link):], `href="/`+lang+`/accessibility"`) {
				t.Errorf("%s (%d): the footer does not link to the accessibility statement", path, code)
			}
		}
	})
}

// Japanese members of a committee show by their name in Japanese on
// Japanese pages, with the Latin form after it, and the other way round in
// French; a seat given with a reading not in kana is refused next to the
// field, and nothing is saved.
func TestCommitteeSeatsInJapanese(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		seventh, err := st.Edition(ctx, "rencontres-franco-japonaises", 7)
		if err != nil {
			t.Fatal(err)
		}
		japanese := seventh.Committees[1]
		if japanese.Kind != "japanese" {
			t.Fatalf("the 7th edition's second committee is %s", japanese.Kind)
		}
		for path, want := range map[string]string{
			fmt.Sprintf("/ja/committees/%d", japanese.ID):              `森 健二 <span class="other-script" lang="ja-Latn">Kenji MORI</span>`,
			fmt.Sprintf("/fr/committees/%d", japanese.ID):              `Kenji MORI <span class="other-script" lang="ja">森 健二</span>`,
			"/ja/series/rencontres-franco-japonaises/7":                `委員長：森 健二 <span class="other-script" lang="ja-Latn">Kenji MORI</span>`,
			"/fr/series/rencontres-franco-japonaises/7":                "Présidence\u00a0: Nadia BENSAÏD",
			fmt.Sprintf("/ja/committees/%d", seventh.Committees[2].ID): `石井 隆 <span class="other-script" lang="ja-Latn">Takashi ISHII</span>`,
		} {
			if body := f.page(t, rencontres.Secretariat, path); !strings.Contains(body, want) {
				t.Errorf("%s lacks %s", path, want)
			}
		}
		path := fmt.Sprintf("/ja/committees/%d/members", japanese.ID)
		code, body, _ := f.post(t, path, url.Values{"person": {"Aoi YAMADA"}, "person_ja": {"山田 葵"}, "kana": {"yamada aoi"}, "role": {"member"}})
		if code != http.StatusBadRequest || !strings.Contains(body, `<p class="error" id="kana-error">ふりがなはひらがなまたはカタカナで入力してください。</p>`) || !strings.Contains(body, `value="山田 葵"`) {
			t.Errorf("a reading in Latin letters: %d", code)
		}
		code, _, _ = f.post(t, path, url.Values{"person": {"Aoi YAMADA"}, "person_ja": {"山田 葵"}, "kana": {"やまだ あおい"}, "role": {"member"},
			"mandate_start": {"2021-04-01"}, "mandate_end": {"2022-12-31"}})
		if code != http.StatusSeeOther {
			t.Fatalf("a seat with its name in Japanese: %d", code)
		}
		after, _ := st.Edition(ctx, "rencontres-franco-japonaises", 7)
		if seats := after.Committees[1].Members; len(seats) != len(japanese.Members)+1 || seats[len(seats)-1].Kana != "やまだ あおい" {
			t.Errorf("after one refusal and one seat given: %d seats, want %d", len(seats), len(japanese.Members)+1)
		}
	})
}

// Japanese speakers show by their name in Japanese on the Japanese
// programme, and the timetable's speaker lines take that name after a
// fourth bar, kept when the session is opened again.
func TestSpeakersInJapanese(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		for path, want := range map[string]string{
			fmt.Sprintf("/ja/events/%d/programme", f.edition): `森 健二 <span class="other-script" lang="ja-Latn">Kenji MORI</span>`,
			fmt.Sprintf("/fr/events/%d/programme", f.edition): `Kenji MORI <span class="other-script" lang="ja">森 健二</span>`,
		} {
			if body := f.page(t, rencontres.Public, path); !strings.Contains(body, want) {
				t.Errorf("%s lacks %s", path, want)
			}
		}
		session := url.Values{"kind": {"workshop"}, "title_fr": {"Atelier numérique"}, "day": {"2022-10-06"}, "start": {"16:00"}, "end": {"17:00"},
			"speakers": {"Aoi YAMADA | speaker | jp-431001 | 山田 葵"}}
		code, _, h := f.post(t, fmt.Sprintf("/ja/events/%d/sessions", f.edition), session)
		if code != http.StatusSeeOther {
			t.Fatalf("a session with a speaker named in Japanese: %d", code)
		}
		id := regexp.MustCompile(`session-(\d+)`).FindStringSubmatch(h.Get("Location"))
		body := f.page(t, rencontres.Secretariat, fmt.Sprintf("/ja/events/%d/timetable", f.edition))
		if !strings.Contains(body, `山田 葵 <span class="other-script" lang="ja-Latn">Aoi YAMADA</span>`) {
			t.Error("the timetable does not show the new speaker by her name in Japanese")
		}
		if id == nil {
			t.Fatalf("after saving, the timetable goes to %s, not to the session", h.Get("Location"))
		}
		edit := f.page(t, rencontres.Secretariat, fmt.Sprintf("/ja/events/%d/timetable?edit=%s", f.edition, id[1]))
		if !strings.Contains(edit, "Aoi YAMADA | speaker | jp-431001 | 山田 葵</textarea>") {
			t.Error("the session opened again loses the speaker's name in Japanese")
		}
	})
}
