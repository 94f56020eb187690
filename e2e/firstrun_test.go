package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	netmail "net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/mail/mailtest"
	"github.com/rencontres/rencontres/internal/pdftext"
	"github.com/rencontres/rencontres/internal/server"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// TestFirstMailingFromEmptyProduct redoes, as a new customer would, the
// mailing of seed 001: the invitation to the first large French steering
// committee of the 8th Rencontres (Monday 18 September 2023, 16:30–18:00,
// Cité des Sciences, within the 14th RAICT), with its three attachments.
// It starts from an empty database into which `rencontres import` loads
// the real directory, and a secretariat account made by `rencontres admin
// create`; everything after is done in Chromium, down to the sign-in
// sheet, and the emails are read from a real SMTP server. It runs on
// SQLite and, when RENCONTRES_TEST_POSTGRES is set, on PostgreSQL.
func TestFirstMailingFromEmptyProduct(t *testing.T) {
	// Each subtest starts its own server on an empty database (start).
	refs, err := filepath.Abs(filepath.Join("..", "node_modules"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(refs, "@etalab", "decoupage-administratif")); err != nil {
		if os.Getenv(requiredEnv) == "1" {
			t.Fatalf("the reference data is not installed (make refdata): %v", err)
		}
		t.Skipf("the reference data is not installed (make refdata): %v", err)
	}
	bin := filepath.Join(t.TempDir(), "rencontres")
	build := exec.Command("go", "build", "-o", bin, "../cmd/rencontres")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		firstMailing(t, bin, refs, dir, "sqlite:"+filepath.Join(dir, "rencontres.db"))
	})
	if os.Getenv(storetest.PostgresEnv) != "" {
		t.Run("postgres", func(t *testing.T) {
			firstMailing(t, bin, refs, t.TempDir(), storetest.NewPostgresDB(t))
		})
	}
}

// command runs the product's binary as its README says a customer does.
func command(t *testing.T, bin string, args ...string) string {
	t.Helper()
	var out, errs bytes.Buffer
	c := exec.Command(bin, args...)
	c.Stdout, c.Stderr, c.Stdin = &out, &errs, strings.NewReader("")
	if err := c.Run(); err != nil {
		t.Fatalf("rencontres %s: %v\n%s%s", strings.Join(args, " "), err, &out, &errs)
	}
	return out.String()
}

// The three attachments of seed 001, with the titles the secretariat gives
// them in French and Japanese.
var seedDocuments = []struct{ file, fr, ja string }{
	{"odj.pdf", "Ordre du jour prévisionnel", "会議次第（案）"},
	{"bulletin.pdf", "Bulletin de participation", "参加申込書"},
	{"programme.pdf", "8e Rencontres franco-japonaises : Proposition du programme et des thèmes", "第8回日仏自治体交流会議 プログラム及びテーマ案"},
}

// firstMailing is the whole run on one database.
func firstMailing(t *testing.T, bin, refs, dir, db string) {
	smtp, err := mailtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { smtp.Close() })

	// The directory, imported by the command a customer runs first.
	begin := time.Now()
	command(t, bin, "import", "--data", dir, "--db", db, "--from", refs)
	t.Logf("import in %s", time.Since(begin).Round(time.Millisecond))
	from := mail.Address{Name: "Cités Unies France — Rencontres", Email: "rencontres@example.org"}
	start(t, server.Config{DataDir: dir, DBURL: db,
		Mail: mail.Config{SMTPHost: "127.0.0.1", SMTPPort: smtp.Port, SMTPTLS: "none", From: from}})

	// The empty product says what to do first.
	ctx := tab(t)
	do(t, ctx, chromedp.Navigate(baseURL+"/fr/"))
	checkAccessibility(t, ctx, "/fr/ (empty)")
	if got := get(t, ctx, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(got, "Rien n’est encore publié") || !strings.Contains(got, "rencontres admin create") {
		t.Errorf("the empty product's first page does not say how to begin: %q", got)
	}

	// The first secretariat account, by its one-time link.
	out := command(t, bin, "admin", "create", "--email", "secretariat.japon@example.org", "--name", "Louise MICHEL",
		"--data", dir, "--db", db, "--base-url", baseURL)
	link := regexp.MustCompile(`http://\S+/fr/login/link/\S+`).FindString(out)
	if link == "" {
		t.Fatalf("admin create printed no link: %s", out)
	}
	do(t, ctx, chromedp.Navigate(link))
	click(t, ctx, "#use-link")
	if got, want := path(t, ctx), "/fr/account"; got != want {
		t.Fatalf("after the one-time link: at %s, want %s", got, want)
	}

	// Signed in, the empty home page gives the first steps; the first is
	// to create a series.
	do(t, ctx, chromedp.Navigate(baseURL+"/fr/"))
	checkAccessibility(t, ctx, "/fr/ (empty, secretariat)")
	click(t, ctx, `main a[href="/fr/manage/series/new"]`)

	// The two series; the menu then names them.
	series(t, ctx, "rencontres-franco-japonaises", "biennial", true,
		[3]string{"Rencontres franco-japonaises de la coopération décentralisée", "日仏自治体交流会議", "Franco-Japanese Decentralised Cooperation Meetings"},
		[3]string{"Rencontres", "日仏自治体交流会議", "Meetings"})
	series(t, ctx, "raict", "annual", false,
		[3]string{"Rencontres de l’action internationale des collectivités territoriales", "地方自治体国際活動会議", "Meetings of Local Authorities’ International Action"},
		[3]string{"RAICT", "RAICT", "RAICT"})
	do(t, ctx, chromedp.Navigate(baseURL+"/fr/"))
	for _, slug := range []string{"rencontres-franco-japonaises", "raict"} {
		if n := get(t, ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll('header a[href="/fr/series/%s"], nav a[href="/fr/series/%s"]').length`, slug, slug))); n == 0 {
			t.Errorf("the menu has no link to the series %s", slug)
		}
	}

	// The 8th edition, hosted by Shizuoka, and the 14th RAICT in Paris:
	// Paris is both a commune and a department, so the secretariat picks
	// the commune among the names the form suggests, key and all.
	eighth := newEvent(t, ctx, map[string]string{"kind": "edition", "series": "rencontres-franco-japonaises", "number": "8", "year": "2024",
		"host": "静岡市", "venue_fr": "Granship", "venue_ja": "グランシップ", "time_zone": "Asia/Tokyo",
		"start": "2024-11-18", "end": "2024-11-21"})
	if got := get(t, ctx, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(got, "Shizuoka") {
		t.Errorf("the 8th edition's page does not name its host: %q", got)
	}
	raict := newEvent(t, ctx, map[string]string{"kind": "edition", "series": "raict", "number": "14", "year": "2023",
		"host": "Paris (fr-75056)", "venue_fr": "Cité des Sciences et de l’Industrie", "time_zone": "Europe/Paris",
		"start": "2023-09-18", "end": "2023-09-19"})

	// The French steering committee of the 8th edition.
	do(t, ctx, chromedp.Navigate(baseURL+"/fr/events/"+eighth), openDetails,
		chromedp.SetValue(chromedp.ID("committee_kind"), "french"),
		chromedp.SetValue(chromedp.ID("name_fr"), "Comité de pilotage large français"),
		chromedp.SetValue(chromedp.ID("name_ja"), "フランス側拡大運営委員会"))
	click(t, ctx, `form[action="/fr/events/`+eighth+`/committees"] button[type="submit"]`)
	committee := get(t, ctx, chromedp.Evaluate[string](`(document.querySelector('main a[href^="/fr/committees/"]')||{}).getAttribute?.call(document.querySelector('main a[href^="/fr/committees/"]'),'href').split('/').pop() || ''`))
	if committee == "" {
		t.Fatalf("no committee on the 8th edition's page after adding one: %s", get(t, ctx, chromedp.Text(chromedp.CSS("main"))))
	}

	// The meeting, within the RAICT.
	meeting := newEvent(t, ctx, map[string]string{"kind": "committee_meeting", "committee": committee, "edition": eighth, "within": raict,
		"title_fr": "1re réunion du comité de pilotage large français", "title_ja": "第1回フランス側拡大運営委員会",
		"venue_fr": "Cité des Sciences et de l’Industrie", "venue_ja": "シテ科学産業博物館",
		"address": "30 avenue Corentin-Cariou, 75019 Paris", "time_zone": "Europe/Paris",
		"start": "2023-09-18", "end": "2023-09-18", "start_time": "16:30", "end_time": "18:00"})
	meetingPage := "/fr/events/" + meeting
	checkAccessibility(t, ctx, meetingPage)

	// Its agenda, and the three documents.
	for _, item := range [][2]string{{"Présentation de la ville hôte", "開催都市の紹介"}, {"Programme prévisionnel des 8e Rencontres", "第8回会議のプログラム案"}} {
		do(t, ctx, openDetails, chromedp.SetValue(chromedp.ID("title_fr"), item[0]), chromedp.SetValue(chromedp.ID("title_ja"), item[1]))
		click(t, ctx, `form[action="/fr/events/`+meeting+`/agenda"] button[type="submit"]`)
	}
	docs := t.TempDir()
	for _, d := range seedDocuments {
		f := filepath.Join(docs, d.file)
		if err := os.WriteFile(f, []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		do(t, ctx, chromedp.SetUploadFiles(chromedp.ID("file"), []string{f}),
			chromedp.SetValue(chromedp.ID("doc_title_fr"), d.fr), chromedp.SetValue(chromedp.ID("doc_title_ja"), d.ja))
		click(t, ctx, `form[action="/fr/events/`+meeting+`/documents"] button[type="submit"]`)
	}
	section := get(t, ctx, chromedp.Text(chromedp.CSS("main")))
	for _, want := range []string{"Présentation de la ville hôte", seedDocuments[0].fr, seedDocuments[2].fr} {
		if !strings.Contains(section, want) {
			t.Errorf("the meeting's page lacks %q", want)
		}
	}

	// Registration, with two questions. The meeting is in 2023 and the
	// product in 2026: its day is history, which the letter must tell as
	// seed 001 did, but the deadline for answers is set a month ahead,
	// as a secretariat redoing the mailing would, since a deadline past
	// closes the form the people then fill in.
	deadline := time.Now().AddDate(0, 1, 0)
	do(t, ctx, chromedp.Navigate(baseURL+meetingPage+"/registration"),
		chromedp.SetValue(chromedp.ID("opens"), time.Now().AddDate(0, 0, -1).Format("2006-01-02T15:04")),
		chromedp.SetValue(chromedp.ID("deadline"), deadline.Format("2006-01-02T15:04")),
		chromedp.SetValue(chromedp.ID("contact"), "secretariat.japon@example.org"),
		chromedp.SetValue(chromedp.ID("sender_name"), "Cités Unies France — Groupe-pays Japon"),
		chromedp.SetValue(chromedp.ID("reply_to"), "japon@example.org"))
	question(t, ctx, 0, "visit", "choice", "Visite de la Cité des Sciences après la réunion", "会議後のシテ科学産業博物館見学", "Visit of the Cité des Sciences after the meeting",
		"yes | Je participerai à la visite | 見学に参加する | I will join the visit\nno | Je ne participerai pas à la visite | 見学に参加しない | I will not join the visit")
	do(t, ctx, chromedp.Navigate(baseURL+meetingPage+"/registration"))
	question(t, ctx, 1, "transport", "text", "Moyen de transport", "交通手段", "Means of transport", "")
	checkAccessibility(t, ctx, meetingPage+"/registration")

	// Contacts of three real authorities, invited without an email: the
	// role offered first is the least powerful, and the secretariat
	// chooses « Correspondant d'une collectivité », the role campaigns
	// write to.
	type contact struct{ email, civility, name, lang, org string }
	contacts := []contact{
		{"relations.internationales@example.org", "mme", "Claire DUVAL", "fr", "fr-13001"},
		{"jumelages.nancy@example.org", "m", "Paul GIRARD", "fr", "fr-54395"},
		{"kokusai.kumamoto@example.org", "m", "Kenji MORI", "ja", "jp-431001"},
	}
	for _, c := range contacts {
		do(t, ctx, chromedp.Navigate(baseURL+"/fr/admin/people"))
		if got := get(t, ctx, chromedp.Evaluate[string](`(document.querySelector('input[name="role"]:checked')||{}).value || ''`)); got != "participant" && got != "" {
			t.Errorf("inviting a person offers the role %q first", got)
		}
		do(t, ctx, chromedp.SetValue(chromedp.ID("email"), c.email), chromedp.SetValue(chromedp.ID("civility"), c.civility),
			chromedp.SetValue(chromedp.ID("name"), c.name), chromedp.SetValue(chromedp.ID("lang"), c.lang),
			chromedp.SetValue(chromedp.ID("organisation"), c.org),
			chromedp.Click(chromedp.CSS(`input[name="role"][value="authority_contact"]`)),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('input[name="send"]').checked = false`))
		click(t, ctx, `form[action="/fr/admin/people"] button[type="submit"]`)
		if got := get(t, ctx, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(got, c.email) {
			t.Fatalf("%s is not in the people after inviting: %s", c.email, got)
		}
	}

	// The campaign: the documents attached by default, the letter dated
	// 11 July 2023 and signed as seed 001 was.
	do(t, ctx, chromedp.Navigate(baseURL+meetingPage))
	click(t, ctx, `a[href="/fr/manage/campaigns?event=`+meeting+`"]`)
	do(t, ctx, chromedp.SetValue(chromedp.ID("name"), "Invitation au 1er COPIL des 8e Rencontres"))
	click(t, ctx, `form[action="/fr/manage/campaigns"] button[type="submit"]`)
	campaignPath := path(t, ctx)
	if i := strings.IndexByte(campaignPath, '?'); i > 0 {
		campaignPath = campaignPath[:i]
	}
	if !regexp.MustCompile(`^/fr/campaigns/\d+$`).MatchString(campaignPath) {
		t.Fatalf("after starting the campaign: at %s", campaignPath)
	}
	if n := get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('input[name="documents"]:checked').length`)); n != len(seedDocuments) {
		t.Errorf("%d documents attached by default, want %d", n, len(seedDocuments))
	}
	do(t, ctx, setText("organisations", "fr-13001\nfr-54395\njp-431001"),
		chromedp.SetValue(chromedp.ID("letter_date"), "2023-07-11"),
		setText("fr_sig1_name", "Karima ZERKANI-RAYNAL"),
		setText("fr_sig1_function", "Adjointe au Maire déléguée aux Relations Internationales d’Aix-en-Provence\nPrésidente du Comité de pilotage français"))
	click(t, ctx, "#campaign-save")
	if got := get(t, ctx, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(got, "Claire DUVAL") || !strings.Contains(got, "森") && !strings.Contains(got, "Kenji MORI") {
		t.Fatalf("the campaign's recipients after saving: %s", got)
	}
	checkAccessibility(t, ctx, campaignPath)

	// Sending a mailing about a day past asks a confirmation that names it.
	confirm := get(t, ctx, chromedp.Text(chromedp.CSS("label:has(#confirm_past)")))
	if !strings.Contains(strings.ReplaceAll(confirm, "\u00a0", " "), "18 septembre 2023") {
		t.Errorf("the confirmation of a past meeting: %q", confirm)
	}
	do(t, ctx, chromedp.Click(chromedp.ID("confirm_past")))
	click(t, ctx, "#campaign-send")
	if got := path(t, ctx); got != campaignPath+"?done=sent" {
		t.Fatalf("after sending: at %s: %s", got, get(t, ctx, chromedp.Text(chromedp.CSS("main"))))
	}

	// The letters, through SMTP.
	letters := waitSMTP(t, smtp, func(m *mail.Received) bool { return m.Header.Get("X-Rencontres-Kind") == "campaign-letter" }, len(contacts))
	if len(letters) != len(contacts) {
		t.Fatalf("%d letters delivered, want %d", len(letters), len(contacts))
	}
	links := map[string]string{}
	for _, m := range letters {
		checkSender(t, m, from.Email)
		to := m.To[0].Email
		names := attachmentNames(m)
		for _, d := range seedDocuments {
			want := d.fr
			if to == contacts[2].email {
				want = d.ja
			}
			// A file name holds no colon: « : » becomes « - ».
			if want = strings.ReplaceAll(want, " : ", " - "); !containsPrefix(names, want) {
				t.Errorf("the letter to %s lacks the attachment %q: %q", to, want, names)
			}
		}
		links[to] = regexp.MustCompile(`http://\S+/invitation/[A-Za-z0-9_-]+`).FindString(m.Text)
		if to == contacts[2].email && !strings.Contains(m.Subject, "第1回フランス側拡大運営委員会") {
			t.Errorf("the Japanese letter's subject: %q", m.Subject)
		}
		if to != contacts[0].email {
			continue
		}
		if !strings.Contains(m.Subject, "1re réunion du comité de pilotage large français") {
			t.Errorf("the French letter's subject: %q", m.Subject)
		}
		var letter []byte
		for _, a := range m.Attachments {
			if strings.HasPrefix(a.Filename, "Lettre d’invitation") || strings.HasPrefix(a.Filename, "Lettre d'invitation") {
				letter = a.Data
			}
		}
		if letter == nil {
			t.Fatalf("no letter attached to the French email: %q", names)
		}
		text := strings.ReplaceAll(pdftext.Text(t, letter), "\u00a0", " ")
		flat := strings.Join(strings.Fields(text), " ")
		for _, want := range []string{"Paris, le 11 juillet 2023", "Objet :", "PJ :", "lundi 18 septembre 2023", "16h30", "Karima ZERKANI-RAYNAL"} {
			if !strings.Contains(flat, want) {
				t.Errorf("the letter lacks %q:\n%s", want, text)
			}
		}
		for _, d := range seedDocuments {
			if !strings.Contains(flat, strings.Join(strings.Fields(d.fr), " ")) {
				t.Errorf("the letter's « PJ : » lacks %q:\n%s", d.fr, text)
			}
		}
		// The ordinals are set as superscripts: « 1 » then « re » apart.
		if !regexp.MustCompile(`1 ?re réunion`).MatchString(flat) || !regexp.MustCompile(`8 ?e Rencontres`).MatchString(flat) {
			t.Errorf("the letter lacks the ordinals 1re and 8e:\n%s", text)
		}
	}

	// Two contacts follow their personal link and register one person each.
	register := func(link, given, family, givenJa, familyJa, email, visit, transport string) {
		t.Helper()
		if link == "" {
			t.Fatal("no personal link in the letter")
		}
		c := tab(t)
		do(t, c, chromedp.Navigate(link))
		click(t, c, "#invitation-register")
		// The deadline, in the meeting's zone and in the other country's,
		// reads as two sentences, not as parentheses within parentheses.
		if got := get(t, c, chromedp.Text(chromedp.CSS("main"))); strings.Contains(got, "))") || strings.Contains(got, "））") ||
			!strings.Contains(got, "(heure de Paris). Soit le ") && !strings.Contains(got, "（パリ時間）です。これは") {
			t.Errorf("the delegation form's deadline: %s", got)
		}
		if got, want := path(t, c), "/delegation?org="; !strings.Contains(got, want) {
			t.Fatalf("the personal link's « register » leads to %s: %s", got, get(t, c, chromedp.Text(chromedp.CSS("main"))))
		}
		for _, f := range [][2]string{{"given_name", given}, {"family_name", family}, {"given_name_ja", givenJa}, {"family_name_ja", familyJa},
			{"email", email}, {"answer_visit", visit}, {"answer_transport", transport}} {
			if f[1] == "" {
				continue
			}
			if err := chromedp.Do(c, chromedp.SetValue(chromedp.ID(f[0]), f[1])); err != nil {
				t.Fatalf("the delegation form's field %s: %v: %s", f[0], err, get(t, c, chromedp.Text(chromedp.CSS("main"))))
			}
		}
		click(t, c, `#person-form button[type="submit"]`)
		if got := get(t, c, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(got, family) && !strings.Contains(got, familyJa) {
			t.Errorf("after registering %s: %s", email, got)
		}
	}
	register(links[contacts[0].email], "Claire", "Duval", "", "", "claire.duval@example.org", "yes", "Train")
	register(links[contacts[2].email], "Kenji", "Mori", "健二", "森", "kenji.mori@example.org", "no", "飛行機")

	// The confirmations name the meeting and link to pages that exist.
	for _, email := range []string{"claire.duval@example.org", "kenji.mori@example.org"} {
		got := waitSMTP(t, smtp, func(m *mail.Received) bool {
			return m.To[0].Email == email && m.Header.Get("X-Rencontres-Kind") != "campaign-letter"
		}, 1)
		if len(got) == 0 {
			t.Errorf("no confirmation to %s", email)
			continue
		}
		m := got[0]
		checkSender(t, m, from.Email)
		if email == "claire.duval@example.org" && !strings.Contains(m.Text, "à la 1re réunion du comité de pilotage large français") {
			t.Errorf("the French confirmation does not name the meeting with its article:\n%s", m.Text)
		}
		if email == "kenji.mori@example.org" && !strings.Contains(m.Text, "第1回フランス側拡大運営委員会") {
			t.Errorf("the Japanese confirmation does not name the meeting:\n%s", m.Text)
		}
		urls := regexp.MustCompile(`https?://[^\s<>")]+`).FindAllString(m.Text, -1)
		if len(urls) == 0 {
			t.Errorf("the confirmation to %s links to nothing:\n%s", email, m.Text)
		}
		for _, u := range urls {
			res, err := http.Get(u)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Errorf("the confirmation to %s links to %s, which answers %d", email, u, res.StatusCode)
			}
		}
	}

	// The registrations page shows the answers; the sign-in sheet both
	// scripts and a column to sign.
	do(t, ctx, chromedp.Navigate(baseURL+meetingPage+"/registrations"))
	checkAccessibility(t, ctx, meetingPage+"/registrations")
	regs := get(t, ctx, chromedp.Text(chromedp.CSS("main")))
	for _, want := range []string{"Visite de la Cité des Sciences après la réunion", "Je participerai à la visite", "Moyen de transport", "Train", "飛行機", "1re réunion"} {
		if !strings.Contains(regs, want) {
			t.Errorf("the registrations page lacks %q:\n%s", want, regs)
		}
	}
	click(t, ctx, `a[href="`+meetingPage+`/signin-sheet"]`)
	checkAccessibility(t, ctx, meetingPage+"/signin-sheet")
	sheet := get(t, ctx, chromedp.Text(chromedp.CSS("table.sign")))
	for _, want := range []string{"DUVAL Claire", "MORI Kenji", "森 健二", "Aix-en-Provence", "Kumamoto", "Signature"} {
		if !strings.Contains(sheet, want) {
			t.Errorf("the sign-in sheet lacks %q:\n%s", want, sheet)
		}
	}
	// Printed: the PDF the page links to, read back.
	b64 := get(t, ctx, chromedp.Evaluate[string](`fetch(document.querySelector('a[href$="/signin-sheet.pdf"]').href).then(r => r.arrayBuffer())
		.then(b => { let s = ''; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); return btoa(s); })`, chromedp.EvalAwaitPromise))
	printed, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftext.Text(t, printed)
	for _, want := range []string{"1re réunion du comité de pilotage large français", "lundi 18 septembre 2023", "Cité des Sciences",
		"DUVAL Claire", "MORI Kenji", "森 健二", "Aix-en-Provence", "Kumamoto", "Signature", "Page 1 sur 1"} {
		if !strings.Contains(strings.ReplaceAll(text, "\u00a0", " "), want) {
			t.Errorf("the printed sign-in sheet lacks %q:\n%s", want, text)
		}
	}
}

// openDetails opens every folded form of the page, as a person clicks
// its summary.
var openDetails = chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('details').forEach(d => d.open = true)`)

// series creates a series in its form.
func series(t *testing.T, ctx context.Context, slug, rhythm string, alternating bool, name, short [3]string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(baseURL+"/fr/manage/series/new"))
	checkAccessibility(t, ctx, "/fr/manage/series/new")
	for i, l := range []string{"fr", "ja", "en"} {
		do(t, ctx, chromedp.SetValue(chromedp.ID("name_"+l), name[i]), chromedp.SetValue(chromedp.ID("short_"+l), short[i]))
	}
	do(t, ctx, chromedp.SetValue(chromedp.ID("slug"), slug),
		chromedp.Click(chromedp.CSS(`input[name="rhythm"][value="`+rhythm+`"]`)))
	if alternating {
		do(t, ctx, chromedp.Click(chromedp.CSS(`input[name="alternating"]`)))
	}
	click(t, ctx, `form[action="/fr/manage/series"] button[type="submit"]`)
	if got := get(t, ctx, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(got, name[0]) || strings.Contains(got, "Corrigez") {
		t.Fatalf("after creating the series %s: at %s: %s", slug, path(t, ctx), got)
	}
}

// newEvent fills the new event form and returns the new event's id.
func newEvent(t *testing.T, ctx context.Context, fields map[string]string) string {
	t.Helper()
	do(t, ctx, chromedp.Navigate(baseURL+"/fr/manage/events/new"))
	for _, k := range []string{"kind", "series", "number", "year", "host", "committee", "edition", "within",
		"title_fr", "title_ja", "venue_fr", "venue_ja", "address", "time_zone", "start", "end", "start_time", "end_time"} {
		if v, ok := fields[k]; ok {
			do(t, ctx, chromedp.SetValue(chromedp.ID(k), v))
		}
	}
	click(t, ctx, `form[action="/fr/manage/events"] button[type="submit"]`)
	m := regexp.MustCompile(`^/fr/events/(\d+)\?done=created$`).FindStringSubmatch(path(t, ctx))
	if m == nil {
		t.Fatalf("creating %v: at %s: %s", fields, path(t, ctx), get(t, ctx, chromedp.Text(chromedp.CSS("main"))))
	}
	return m[1]
}

// question adds the registration form's question at index i and saves.
func question(t *testing.T, ctx context.Context, i int, key, kind, fr, ja, en, options string) {
	t.Helper()
	pre := fmt.Sprintf("q%d_", i)
	do(t, ctx, chromedp.SetValue(chromedp.ID(pre+"key"), key), chromedp.SetValue(chromedp.ID(pre+"kind"), kind),
		chromedp.SetValue(chromedp.ID(pre+"label_fr"), fr), chromedp.SetValue(chromedp.ID(pre+"label_ja"), ja),
		chromedp.SetValue(chromedp.ID(pre+"label_en"), en), setText(pre+"options", options))
	click(t, ctx, `main form[method="post"] button[type="submit"]`)
	if got := get(t, ctx, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(got, "enregistr") {
		t.Fatalf("after adding the question %s: %s", key, got)
	}
}

// waitSMTP waits up to 20 seconds for n messages that match to reach the
// SMTP server, and returns those that came.
func waitSMTP(t *testing.T, s *mailtest.Server, match func(*mail.Received) bool, n int) []*mail.Received {
	t.Helper()
	var got []*mail.Received
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		got = got[:0]
		for _, m := range s.Received() {
			if match(m) {
				got = append(got, m)
			}
		}
		if len(got) >= n {
			break
		}
	}
	return got
}

// checkSender checks that an email of the meeting comes under the
// event's sender name from the site's address, answers going to the
// event's Reply-To.
func checkSender(t *testing.T, m *mail.Received, address string) {
	t.Helper()
	if m.From.Name != "Cités Unies France — Groupe-pays Japon" || m.From.Email != address {
		t.Errorf("the email to %s comes from %q <%s>", m.To[0].Email, m.From.Name, m.From.Email)
	}
	reply, err := netmail.ParseAddress(m.Header.Get("Reply-To"))
	if err != nil || reply.Address != "japon@example.org" {
		t.Errorf("the email to %s has the Reply-To %q", m.To[0].Email, m.Header.Get("Reply-To"))
	}
	if m.Subject == "" {
		t.Errorf("the email to %s has no subject", m.To[0].Email)
	}
}

func attachmentNames(m *mail.Received) []string {
	var out []string
	for _, a := range m.Attachments {
		out = append(out, a.Filename)
	}
	return out
}

func containsPrefix(names []string, prefix string) bool {
	for _, n := range names {
		if strings.HasPrefix(n, prefix) {
			return true
		}
	}
	return false
}
