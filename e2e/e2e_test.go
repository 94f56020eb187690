// Package e2e drives the real server in headless Chromium, as a person
// would: the real Main on a free port, a temporary SQLite database with the
// demo data (a new one for each test, so that tests stay independent and
// pass again with -count=2), Debian's Chromium, and axe-core from the npm
// registry for the accessibility scan.
package e2e

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/server"
)

// requiredEnv, when set to 1, makes a missing Chromium or axe-core a
// failure instead of a skip: CI sets it so that browser tests never pass by
// not running.
const requiredEnv = "RENCONTRES_E2E_REQUIRED"

var (
	baseURL    string
	browserCtx context.Context
	axeJS      string
	srv        *server.Main
	dataDir    string
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	required := os.Getenv(requiredEnv) == "1"
	chromium := os.Getenv("RENCONTRES_CHROMIUM")
	if chromium == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				chromium = p
				break
			}
		}
	}
	if chromium == "" {
		if required {
			fmt.Fprintln(os.Stderr, "e2e: Chromium not found and "+requiredEnv+"=1: install it with `apt-get install -y chromium`")
			return 1
		}
		fmt.Fprintln(os.Stderr, "e2e: Chromium not found, browser tests skipped (apt-get install -y chromium)")
		return 0
	}
	axe, err := os.ReadFile(filepath.Join("..", "node_modules", "axe-core", "axe.min.js"))
	if err != nil && required {
		fmt.Fprintln(os.Stderr, "e2e: axe-core is missing: run `make refdata` (npm ci)")
		return 1
	}
	axeJS = string(axe)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	profile, err := os.MkdirTemp("", "rencontres-chromium")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(profile)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	// The first context starts the browser; each test opens its own
	// browser context (a fresh cookie jar) inside it.
	var cancelBrowser context.CancelFunc
	browserCtx, cancelBrowser = chromedp.NewContext(alloc)
	defer cancelBrowser()
	if err := chromedp.Do(browserCtx); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: start Chromium (%s): %v\n", chromium, err)
		return 1
	}
	return m.Run()
}

// fresh gives the test a server of its own, on a new copy of the demo
// data in a new folder, so that what one test changes (accounts created,
// a programme built, people registered, emails in the outbox) reaches no
// other test, nor the same test run again (go test -count=2).
func fresh(t *testing.T) {
	t.Helper()
	start(t, server.Config{DataDir: t.TempDir(), Demo: true})
}

// start runs a server of the test's own with cfg (on a free port, its log
// discarded) until the test ends; the package's baseURL, srv and dataDir
// point to it meanwhile.
func start(t *testing.T, cfg server.Config) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	dir := cfg.DataDir
	cfg.Addr = "127.0.0.1:0"
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	m, err := server.New(ctx, cfg)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		m.Run(ctx)
		close(done)
	}()
	baseURL, srv, dataDir = m.URL(), m, dir
	t.Cleanup(func() {
		cancel()
		<-done
		m.Close()
		baseURL, srv, dataDir = "", nil, ""
	})
}

// tabLimit bounds a tab's whole life, so that a page that never loads
// fails the test instead of hanging it. It is generous: a test that scans
// a dozen pages with axe-core takes over a minute on a loaded machine.
const tabLimit = 3 * time.Minute

// tab opens a fresh browser context (its own cookies) with a time limit.
func tab(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, tabLimit)
	t.Cleanup(cancelT)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1200, 900)); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

func do(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

func get[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// click follows a link or submits a form and waits for the next page.
func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
}

func path(t *testing.T, ctx context.Context) string {
	t.Helper()
	return strings.TrimPrefix(get(t, ctx, chromedp.Location()), baseURL)
}

// A reader opens the French archive, follows an edition, switches to
// Japanese and stays on the same edition.
func TestArchiveAndLanguageSwitch(t *testing.T) {
	fresh(t)
	ctx := tab(t)
	do(t, ctx, chromedp.Navigate(baseURL+"/fr/series/rencontres-franco-japonaises"))
	if got := get(t, ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); got != "fr" {
		t.Errorf("html lang = %q, want fr", got)
	}
	timeline := get(t, ctx, chromedp.Text(chromedp.CSS("ol.timeline")))
	for _, want := range []string{"Prévues du 17 au 19 novembre 2020, reportées du 18 au 21 octobre 2021", "du 3 au 6 octobre 2022", "Kumamoto"} {
		if !strings.Contains(timeline, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}
	click(t, ctx, `a[href="/fr/series/rencontres-franco-japonaises/7"]`)
	if got := get(t, ctx, chromedp.Text(chromedp.CSS("h1"))); !strings.HasPrefix(got, "7e Rencontres franco-japonaises") {
		t.Errorf("French edition title = %q", got)
	}
	click(t, ctx, `nav.lang a[hreflang="ja"]`)
	if got, want := path(t, ctx), "/ja/series/rencontres-franco-japonaises/7"; got != want {
		t.Errorf("after switching to Japanese: at %s, want %s", got, want)
	}
	if got := get(t, ctx, chromedp.Text(chromedp.CSS("h1"))); !strings.HasPrefix(got, "第7回日仏自治体交流会議") {
		t.Errorf("Japanese edition title = %q", got)
	}
	if got := get(t, ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); got != "ja" {
		t.Errorf("html lang = %q, want ja", got)
	}
	if got := get(t, ctx, chromedp.Text(chromedp.CSS(".facts"))); !strings.Contains(got, "2022年10月3日〜6日") {
		t.Errorf("Japanese dates missing from %q", got)
	}
}

// A reader types Kumamoto's name in kana and finds the city.
func TestFindKumamotoByKana(t *testing.T) {
	fresh(t)
	ctx := tab(t)
	do(t, ctx, chromedp.Navigate(baseURL+"/fr/organisations"),
		chromedp.SendKeys(chromedp.ID("q"), "くまもと"))
	click(t, ctx, `form.search button[type=submit]`)
	results := get(t, ctx, chromedp.Text(chromedp.CSS("ul.results")))
	if !strings.Contains(results, "熊本市") {
		t.Fatalf("results for くまもと lack 熊本市: %q", results)
	}
	click(t, ctx, `ul.results a[href="/fr/organisations/jp-431001"]`)
	if got := get(t, ctx, chromedp.Text(chromedp.CSS("h1"))); !strings.Contains(got, "Kumamoto") {
		t.Errorf("authority page title = %q", got)
	}
	if got := get(t, ctx, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(got, "Aix-en-Provence") {
		t.Error("Kumamoto's page does not list Aix-en-Provence as partner")
	}
}

func fontSize(t *testing.T, ctx context.Context) string {
	return get(t, ctx, chromedp.Evaluate[string](`getComputedStyle(document.documentElement).fontSize`))
}

// A+ makes the text larger at once, the choice survives a reload, A resets
// it; without JavaScript the same links work through the server.
func TestTextSize(t *testing.T) {
	fresh(t)
	for _, js := range []bool{true, false} {
		t.Run(fmt.Sprintf("javascript=%v", js), func(t *testing.T) {
			ctx := tab(t)
			if !js {
				if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
					t.Fatal(err)
				}
			}
			do(t, ctx, chromedp.Navigate(baseURL+"/fr/series/rencontres-franco-japonaises"))
			before := fontSize(t, ctx)
			if js {
				do(t, ctx, chromedp.Click(chromedp.CSS(`.textsize a[data-step="up"]`)))
			} else {
				click(t, ctx, `.textsize a[data-step="up"]`)
				if got, want := path(t, ctx), "/fr/series/rencontres-franco-japonaises"; got != want {
					t.Errorf("after A+ without JavaScript: at %s, want %s", got, want)
				}
			}
			after := fontSize(t, ctx)
			if before != "16px" || after != "18px" {
				t.Errorf("font size before/after A+ = %s/%s, want 16px/18px", before, after)
			}
			do(t, ctx, chromedp.Reload())
			if got := fontSize(t, ctx); got != "18px" {
				t.Errorf("font size after reload = %s, want 18px", got)
			}
			if js {
				do(t, ctx, chromedp.Click(chromedp.CSS(`.textsize a[data-step="reset"]`)))
			} else {
				click(t, ctx, `.textsize a[data-step="reset"]`)
			}
			if got := fontSize(t, ctx); got != "16px" {
				t.Errorf("font size after A = %s, want 16px", got)
			}
		})
	}
}

// The first Tab reaches the skip link, which leads to the main content.
func TestKeyboard(t *testing.T) {
	fresh(t)
	ctx := tab(t)
	do(t, ctx, chromedp.Navigate(baseURL+"/ja/"), chromedp.KeyEvent("\t"))
	if got := get(t, ctx, chromedp.Evaluate[string](`document.activeElement.className`)); got != "skip" {
		t.Fatalf("first Tab focuses %q, want the skip link", got)
	}
	do(t, ctx, chromedp.KeyEvent("\r"))
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if get(t, ctx, chromedp.Evaluate[string](`document.activeElement.id`)) == "main" {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Error("Enter on the skip link does not move focus to the main content")
}

// On a phone-sized screen no page scrolls sideways.
func TestPhoneWidth(t *testing.T) {
	fresh(t)
	ctx := tab(t)
	do(t, ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	for _, p := range []string{"/fr/", "/ja/series/rencontres-franco-japonaises", "/fr/series/rencontres-franco-japonaises/7", "/ja/organisations?q=熊本",
		"/fr/news", "/ja/news/1", "/fr/news/1"} {
		do(t, ctx, chromedp.Navigate(baseURL+p))
		over := get(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
		if over > 0 {
			t.Errorf("%s scrolls sideways by %dpx at 360px wide", p, over)
		}
	}
}

// An authority contact invited by the secretariat receives a sign-in link
// by email, opens it, signs in, sees its own organisation and is refused
// another's.
func TestContactSignsInByLink(t *testing.T) {
	fresh(t)
	ctx := tab(t)
	u := &rencontres.User{Email: "contact.kumamoto@example.org", Name: "Haruka SUZUKI", NameJa: "鈴木 遥", Lang: rencontres.Japanese,
		Role: rencontres.AuthorityContact}
	if err := srv.Store.InviteUser(context.Background(), u, "jp-431001"); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Navigate(baseURL+"/ja/login"), chromedp.SendKeys(chromedp.ID("link-email"), u.Email))
	click(t, ctx, `form[action="/ja/login/link"] button`)
	if got := get(t, ctx, chromedp.Text(chromedp.CSS(".notice"))); !strings.Contains(got, "ログイン用リンクを送信しました") {
		t.Errorf("after asking for a link: %q", got)
	}
	m := waitMail(t, func(m *mail.Received) bool { return m.To[0].Email == u.Email })
	if m == nil {
		t.Fatal("no sign-in link in the outbox")
	}
	link := regexp.MustCompile(`http://\S+/login/link/\S+`).FindString(m.Text)
	if !strings.Contains(m.Text, "鈴木 遥 様") {
		t.Errorf("the email does not greet the contact in Japanese: %q", m.Text)
	}
	do(t, ctx, chromedp.Navigate(link))
	click(t, ctx, "#use-link")
	if got, want := path(t, ctx), "/ja/account"; got != want {
		t.Fatalf("after using the link: at %s, want %s", got, want)
	}
	checkAccessibility(t, ctx, "/ja/account")
	click(t, ctx, `a[href="/ja/manage/organisations/jp-431001"]`)
	checkAccessibility(t, ctx, "/ja/manage/organisations/jp-431001")
	if got := get(t, ctx, chromedp.Text(chromedp.CSS("h1"))); !strings.Contains(got, "熊本市") {
		t.Errorf("own organisation page title = %q", got)
	}
	status := get(t, ctx, chromedp.Evaluate[int](`fetch('/ja/manage/organisations/fr-13001').then(r => r.status)`, chromedp.EvalAwaitPromise))
	if status != 403 {
		t.Errorf("another organisation's page: %d, want 403", status)
	}
}

// The secretariat sets the 9th edition's dates, builds a small programme
// in the timetable (a room, a round table, a refused clash), publishes it;
// a reader then reads it in Japanese, in Tokyo time, prints it on A4 and
// downloads its iCalendar file.
func TestBuildPublishAndReadProgramme(t *testing.T) {
	fresh(t)
	bg := context.Background()
	hash, err := auth.HashPassword("programme de Cannes 2026")
	if err != nil {
		t.Fatal(err)
	}
	staff := &rencontres.User{Email: "programme@example.org", Name: "Camille PETIT", Lang: rencontres.French, Role: rencontres.Secretariat}
	if err := srv.Store.CreateUser(bg, staff, hash); err != nil {
		t.Fatal(err)
	}
	ninth, err := srv.Store.Edition(bg, "rencontres-franco-japonaises", 9)
	if err != nil {
		t.Fatal(err)
	}
	id := fmt.Sprint(ninth.ID)

	ctx := tab(t)
	do(t, ctx, chromedp.Navigate(baseURL+"/fr/login"),
		chromedp.SendKeys(chromedp.ID("email"), staff.Email), chromedp.SendKeys(chromedp.ID("password"), "programme de Cannes 2026"))
	click(t, ctx, `form[action="/fr/login"] button`)

	// The edition's dates, in the event form.
	do(t, ctx, chromedp.Navigate(baseURL+"/fr/events/"+id+"/edit"),
		chromedp.SetValue(chromedp.ID("start"), "2026-10-12"), chromedp.SetValue(chromedp.ID("end"), "2026-10-15"),
		// A change of days says whether it corrects or postpones.
		chromedp.Click(chromedp.CSS(`input[name="date_change"][value="postponement"]`)))
	click(t, ctx, `main form button[type="submit"]`)
	if got := get(t, ctx, chromedp.Text(chromedp.CSS(".notice"))); !strings.Contains(got, "enregistré") {
		t.Fatalf("after saving the dates: %q at %s", got, path(t, ctx))
	}

	// A room, then a round table in it.
	do(t, ctx, chromedp.Navigate(baseURL+"/fr/events/"+id+"/timetable"))
	checkAccessibility(t, ctx, "/fr/events/"+id+"/timetable")
	do(t, ctx, chromedp.SendKeys(chromedp.ID("room_name_fr"), "Salle Croisette"), chromedp.SendKeys(chromedp.ID("room_name_ja"), "クロワゼット会議室"),
		chromedp.SendKeys(chromedp.ID("room_capacity"), "120"))
	click(t, ctx, `form[action="/fr/events/`+id+`/rooms"] button`)
	addSession := func(fr, ja, start, end string) {
		t.Helper()
		do(t, ctx,
			chromedp.SetValue(chromedp.ID("kind"), "round_table"),
			chromedp.SendKeys(chromedp.ID("title_fr"), fr), chromedp.SendKeys(chromedp.ID("title_ja"), ja),
			chromedp.SetValue(chromedp.ID("day"), "2026-10-13"), chromedp.SetValue(chromedp.ID("start"), start), chromedp.SetValue(chromedp.ID("end"), end),
			chromedp.Evaluate[chromedp.Void](`document.getElementById('room').selectedIndex = 1`),
			chromedp.SendKeys(chromedp.ID("speakers"), "Nadia BENSAÏD | moderator | fr-13001\nKenji MORI | speaker | jp-431001"),
			chromedp.Click(chromedp.CSS(`input[name="sdgs"][value="11"]`)),
			chromedp.Click(chromedp.CSS(`input[name="interpretation"]`)))
		click(t, ctx, `form[action="/fr/events/`+id+`/sessions"] button[type="submit"]`)
	}
	addSession("Table ronde : la ville durable", "パネルディスカッション：持続可能な都市", "10:00", "11:30")
	if got := get(t, ctx, chromedp.Text(chromedp.CSS("table.timetable"))); !strings.Contains(got, "Table ronde : la ville durable") || !strings.Contains(got, "10h00–11h30") {
		t.Fatalf("timetable after adding the round table: %q", got)
	}
	// The same room at an overlapping time is refused, the clash named.
	addSession("Atelier en trop", "余分な分科会", "11:00", "12:00")
	if got := get(t, ctx, chromedp.Text(chromedp.ID("room-error"))); !strings.Contains(got, "«\u00a0Table ronde : la ville durable\u00a0»") {
		t.Errorf("room clash message = %q", got)
	}
	do(t, ctx, chromedp.Navigate(baseURL+"/fr/events/"+id+"/timetable"))
	click(t, ctx, `form[action="/fr/events/`+id+`/publish"] button`)
	if got := get(t, ctx, chromedp.Text(chromedp.CSS(".notice"))); !strings.Contains(got, "publié") {
		t.Errorf("after publishing: %q", got)
	}

	// A reader, not signed in, in Japanese.
	reader := tab(t)
	do(t, reader, chromedp.Navigate(baseURL+"/ja/series/rencontres-franco-japonaises/9"))
	click(t, reader, `a[href="/ja/events/`+id+`/programme"]`)
	checkAccessibility(t, reader, "/ja/events/"+id+"/programme")
	text := get(t, reader, chromedp.Text(chromedp.CSS("main")))
	for _, want := range []string{"パネルディスカッション：持続可能な都市", "2026年10月13日（火）", "10:00", "クロワゼット会議室", "SDG 11：住み続けられるまちづくりを", "日仏通訳あり", "モデレーター：", "熊本市"} {
		if !strings.Contains(text, want) {
			t.Errorf("the Japanese programme lacks %q", want)
		}
	}
	// In Tokyo time, 10:00–11:30 in Cannes (summer time) is 17:00〜18:30,
	// written with the Japanese 〜.
	do(t, reader, chromedp.SetValue(chromedp.ID("zone"), "Asia/Tokyo"))
	click(t, reader, `form[method="get"] button`)
	if got := get(t, reader, chromedp.Text(chromedp.CSS("li.session .when"))); !strings.HasPrefix(got, "17:00〜18:30") {
		t.Errorf("in Tokyo time the session is %q, want 17:00〜18:30", got)
	}
	// The iCalendar file the page links to.
	ics := get(t, reader, chromedp.Evaluate[string](`fetch(document.querySelector('a[download][href$="/calendar.ics"]').href).then(r => r.text())`, chromedp.EvalAwaitPromise))
	for _, want := range []string{"BEGIN:VTIMEZONE\r\nTZID:Europe/Paris", "DTSTART;TZID=Europe/Paris:20261013T100000\r\n", "SUMMARY:パネルディスカッション：持続可能な都市", "LOCATION:クロワゼット会議室"} {
		if !strings.Contains(ics, want) {
			t.Errorf("the calendar file lacks %q:\n%s", want, ics)
		}
	}
	// The print view fits the width of an A4 page (182 mm between margins).
	do(t, reader, chromedp.Navigate(baseURL+"/ja/events/"+id+"/programme/print"), chromedp.EmulateViewport(688, 1000))
	if _, err := chromedp.Call(reader, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if over := get(t, reader, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth`)); over {
		t.Error("the print view is wider than an A4 page")
	}
	yes := true
	res, err := chromedp.Call(reader, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69, PreferCSSPageSize: &yes})
	if err != nil {
		t.Fatal(err)
	}
	pages := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(res.Data, -1))
	if !strings.HasPrefix(string(res.Data), "%PDF") || pages != 1 {
		t.Errorf("the print view of a one-session programme prints on %d A4 pages, want 1", pages)
	}
}

// signedIn opens a tab signed in as a new account of role for org.
func signedIn(t *testing.T, u *rencontres.User, org string) context.Context {
	t.Helper()
	bg := context.Background()
	if err := srv.Store.InviteUser(bg, u, org); err != nil {
		t.Fatal(err)
	}
	tok, hash := auth.NewSessionToken()
	if err := srv.Store.CreateSession(bg, hash, u.ID, time.Now(), time.Now().Add(time.Hour), "127.0.0.1", "e2e"); err != nil {
		t.Fatal(err)
	}
	ctx := tab(t)
	host := strings.TrimPrefix(baseURL, "http://")
	if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: auth.CookieName, Value: tok,
		Domain: host[:strings.IndexByte(host, ':')], Path: "/"}); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// A contact registers its delegation in Japanese: two people for a
// workshop of one seat, a change, a withdrawal that gives the seat to the
// one waiting, who is told; then staff check the second person in.
func TestDelegationRegistersAndChecksIn(t *testing.T) {
	fresh(t)
	bg := context.Background()
	e8, err := srv.Store.Edition(bg, "rencontres-franco-japonaises", 8)
	if err != nil {
		t.Fatal(err)
	}
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	ws := &rencontres.Session{EditionID: e8.ID, Kind: rencontres.WorkshopKind, Title: rencontres.Text{"fr": "Atelier tourisme", "ja": "観光分科会"},
		Start: time.Date(2024, 11, 19, 14, 0, 0, 0, tokyo), End: time.Date(2024, 11, 19, 16, 0, 0, 0, tokyo), Capacity: 1}
	if err := srv.Store.SaveSession(bg, ws); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Store.SaveRegistrationForm(bg, &rencontres.RegistrationForm{EventID: e8.ID, Opens: time.Now().Add(-time.Hour),
		Deadline: time.Now().Add(time.Hour), MaxChoices: 1, Contact: "japon@example.org"}); err != nil {
		t.Fatal(err)
	}
	contact := signedIn(t, &rencontres.User{Email: "contact.shizuoka@example.org", Name: "Yui ITO", NameJa: "伊藤 結衣", Lang: rencontres.Japanese,
		Role: rencontres.AuthorityContact}, "jp-221007")
	page := fmt.Sprintf("/ja/events/%d/delegation", e8.ID)
	do(t, contact, chromedp.Navigate(baseURL+page))
	checkAccessibility(t, contact, page)
	add := func(given, family, ja, email string) {
		t.Helper()
		familyJa, givenJa, _ := strings.Cut(ja, " ")
		do(t, contact, chromedp.SendKeys(chromedp.ID("given_name"), given), chromedp.SendKeys(chromedp.ID("family_name"), family),
			chromedp.SendKeys(chromedp.ID("family_name_ja"), familyJa), chromedp.SendKeys(chromedp.ID("given_name_ja"), givenJa),
			chromedp.SendKeys(chromedp.ID("email"), email),
			chromedp.SetValue(chromedp.ID("choice_1"), fmt.Sprint(ws.ID)))
		click(t, contact, `#person-form button[type="submit"]`)
	}
	add("Taro", "Yamada", "山田 太郎", "t.yamada@example.org")
	add("Hanako", "Suzuki", "鈴木 花子", "h.suzuki@example.org")
	table := get(t, contact, chromedp.Text(chromedp.CSS("table")))
	if !strings.Contains(table, "山田 太郎") || !strings.Contains(table, "観光分科会 — 登録済み") || !strings.Contains(table, "観光分科会 — キャンセル待ち (1番目)") {
		t.Fatalf("delegation after two registrations:\n%s", table)
	}
	// A change: the first person's function.
	click(t, contact, `tr:first-child a[href*="edit="]`)
	do(t, contact, chromedp.SendKeys(chromedp.ID("function"), "観光課長"))
	click(t, contact, `#person-form button[type="submit"]`)
	if got := get(t, contact, chromedp.Text(chromedp.CSS("table"))); !strings.Contains(got, "観光課長") {
		t.Errorf("after the change:\n%s", got)
	}
	// The withdrawal gives the seat to the one waiting, who is told.
	click(t, contact, `tr:first-child form button`)
	if got := get(t, contact, chromedp.Text(chromedp.CSS("table"))); strings.Contains(got, "山田 太郎") || !strings.Contains(got, "観光分科会 — 登録済み") {
		t.Errorf("after the withdrawal:\n%s", got)
	}
	told := waitMail(t, func(m *mail.Received) bool {
		return m.To[0].Email == "h.suzuki@example.org" && strings.Contains(m.Subject, "空席")
	})
	if told == nil {
		t.Error("the person waiting was not told of the seat")
	}
	// Check-in by the secretariat, as a QR code would open it.
	regs, _ := srv.Store.Registrations(bg, rencontres.RegistrationFilter{EventID: e8.ID, Status: rencontres.Confirmed})
	staff := signedIn(t, &rencontres.User{Email: "accueil@example.org", Name: "Paul MARTIN", Lang: rencontres.French, Role: rencontres.Secretariat}, "")
	do(t, staff, chromedp.EmulateViewport(390, 844), chromedp.Navigate(fmt.Sprintf("%s/ja/events/%d/checkin?code=%s", baseURL, e8.ID, regs[0].Code)))
	checkAccessibility(t, staff, "/ja/events/…/checkin")
	click(t, staff, `.badge-holder button`)
	if got := get(t, staff, chromedp.Text(chromedp.CSS(".counts"))); !strings.Contains(got, "受付済み 1名") {
		t.Errorf("counts after check-in: %q", got)
	}
}

// waitMail waits for the server's outbox worker to write a message that
// match accepts, for up to ten seconds, and returns it (nil if none came).
func waitMail(t *testing.T, match func(*mail.Received) bool) *mail.Received {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		msgs, err := mail.ReadOutbox(filepath.Join(dataDir, "outbox"))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if match(m) {
				return m
			}
		}
	}
	return nil
}
