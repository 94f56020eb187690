package server

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/campaign"
	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/outbox"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// fixture is a server over the demo data with one account per role and an
// outbox folder where its emails land.
type fixture struct {
	srv       *httptest.Server
	st        *store.Store
	outbox    string
	worker    *outbox.Worker // sends what is queued into outbox, when a test asks
	campaigns *campaign.Service
	users     map[rencontres.Role]*rencontres.User
	victim    *rencontres.User // an account routes may disable
	committee int64            // the committee the committee member sits on
	edition   int64            // the 7th edition's event, with a published programme
	sessionID int64            // one of its sessions
	campaign  int64            // a campaign, for the tests that make one
	routes    []string         // "METHOD pattern PERMISSION"
	newsPost  int64            // the demo's published news post
	newsPhoto int64            // its photo
	practice  int64            // a practice of the demo's library
	openCall  int64            // a call open now on the 7th edition
	proposal  int64            // Kumamoto's proposal to it, by the contact
	// declaration is the 7th edition's final declaration, segment one of
	// its segments, declVersion one of its versions (declaration_test.go).
	declaration, segment, declVersion int64
	amendDecl                         int64  // a declaration of the 7th edition, amendments open (declaration_amend_fixture_test.go)
	amendment                         int64  // Kumamoto's amendment to it, by the contact
	declOrg                           string // an authority registered for the 7th edition: the contact's, Kumamoto
}

func newFixture(t *testing.T, st *store.Store) *fixture {
	t.Helper()
	return newFixtureSending(t, st, nil)
}

// newFixtureSending is newFixture whose emails leave through transport
// (a real SMTP server), or are written to its outbox folder when nil.
func newFixtureSending(t *testing.T, st *store.Store, transport mail.Sender) *fixture {
	t.Helper()
	ctx := context.Background()
	if _, err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sender, _, err := mail.New(mail.Config{}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if transport != nil {
		sender = transport
	}
	f := &fixture{st: st, outbox: filepath.Join(dir, "outbox"), users: map[rencontres.Role]*rencontres.User{}}
	f.srv = httptest.NewUnstartedServer(nil)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	f.worker = outbox.New(st, sender, log)
	f.worker.Rate = 0
	p, err := build(st, Options{Log: log, Outbox: f.worker, BaseURL: "http://" + f.srv.Listener.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	f.srv.Config.Handler, f.campaigns = p.handler, p.campaigns
	f.srv.Start()
	t.Cleanup(f.srv.Close)
	for _, r := range p.site.Routes() {
		f.routes = append(f.routes, r.Method+" "+r.Pattern+" "+string(r.Perm))
	}
	for _, r := range p.api.Routes() {
		f.routes = append(f.routes, r.Method+" "+r.Pattern+" "+string(r.Perm))
	}
	for _, role := range rencontres.AccountRoles {
		u := &rencontres.User{Email: string(role) + "@example.org", Name: "Test " + strings.ToUpper(string(role)), Lang: rencontres.French, Role: role}
		org := ""
		if role == rencontres.AuthorityContact {
			org = "jp-431001"
		}
		if err := st.InviteUser(ctx, u, org); err != nil {
			t.Fatal(err)
		}
		f.users[role] = u
	}
	seventh, err := st.Edition(ctx, "rencontres-franco-japonaises", 7)
	if err != nil {
		t.Fatal(err)
	}
	f.committee = seventh.Committees[0].ID
	f.edition = seventh.ID
	if posts, _, err := st.NewsPosts(ctx, rencontres.NewsFilter{}); err != nil || len(posts) == 0 || len(posts[0].Photos) == 0 {
		t.Fatalf("the demo's news post: %v", err)
	} else {
		f.newsPost, f.newsPhoto = posts[0].ID, posts[0].Photos[0].ID
	}
	if ps, _, err := st.Practices(ctx, rencontres.PracticeFilter{}); err != nil || len(ps) == 0 {
		t.Fatalf("the demo's practices: %v", err)
	} else {
		f.practice = ps[0].ID
	}
	if sessions, err := st.Sessions(ctx, seventh.ID); err != nil || len(sessions) == 0 {
		t.Fatalf("7th edition sessions: %v", err)
	} else {
		f.sessionID = sessions[0].ID
	}
	if err := st.BindCommittee(ctx, f.users[rencontres.CommitteeMember].ID, f.committee); err != nil {
		t.Fatal(err)
	}
	f.openCall, f.proposal = openCall(t, st, f.edition, f.users[rencontres.AuthorityContact])
	f.declaration, f.segment, f.declVersion = startDeclaration(t, st, f.edition, f.users[rencontres.Secretariat].ID)
	// A webhook, so that its page is crawled.
	if err := st.SaveWebhookEndpoint(ctx, &rencontres.WebhookEndpoint{URL: "https://crm.example.org/hooks", Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
		EventTypes: []string{rencontres.HookRegistrationCreated}}, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	f.amendDecl, f.amendment = amendFixture(t, st, f)
	f.declOrg = registeredOrg(t, st, f)
	f.victim = &rencontres.User{Email: "victim@example.org", Lang: rencontres.French, Role: rencontres.Participant}
	if err := st.CreateUser(ctx, f.victim, ""); err != nil {
		t.Fatal(err)
	}
	return f
}

// sent sends what the outbox holds, delayed messages included (the
// worker's clock is set an hour ahead), and reads back every email sent.
func (f *fixture) sent(t *testing.T) ([]*mail.Received, error) {
	t.Helper()
	f.worker.Now = func() time.Time { return time.Now().Add(time.Hour) }
	defer func() { f.worker.Now = time.Now }()
	if _, err := f.worker.SendDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	return mail.ReadOutbox(f.outbox)
}

// session signs a role in directly in the store and returns the cookie.
func (f *fixture) session(t *testing.T, role rencontres.Role) *http.Cookie {
	t.Helper()
	if role == rencontres.Public {
		return nil
	}
	tok, hash := auth.NewSessionToken()
	now := time.Now()
	if err := f.st.CreateSession(context.Background(), hash, f.users[role].ID, now, now.Add(time.Hour), "127.0.0.1", "test"); err != nil {
		t.Fatal(err)
	}
	return &http.Cookie{Name: auth.CookieName, Value: tok}
}

var noFollow = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// An authority contact sees its own organisation's private page and is
// refused another's.
func TestContactSeesOnlyItsOrganisation(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	for key, want := range map[string]int{"jp-431001": 200, "fr-13001": 403} {
		req, _ := http.NewRequest("GET", f.srv.URL+"/fr/manage/organisations/"+key, nil)
		req.AddCookie(f.session(t, rencontres.AuthorityContact))
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("contact of Kumamoto opening %s: %d, want %d", key, resp.StatusCode, want)
		}
		if want == 200 && !strings.Contains(string(body), "authority_contact@example.org") {
			t.Error("the organisation page does not list its contact")
		}
	}
}

var linkRE = regexp.MustCompile(`https?://\S+/login/link/[A-Za-z0-9_-]{43}`)

func browser(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// The whole sign-in by link, on both databases: ask, read the email from
// the outbox, confirm, be signed in; the link works once; the answer to an
// unknown address is the same as to a known one.
func TestSignInByLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		c := browser(t)
		ask := func(email string) string {
			resp, err := c.PostForm(f.srv.URL+"/ja/login/link", url.Values{"email": {email}})
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("link request for %s: %d", email, resp.StatusCode)
			}
			return strings.ReplaceAll(string(b), email, "ADDRESS")
		}
		known := ask("authority_contact@example.org")
		unknown := ask("nobody@example.org")
		if known != unknown {
			t.Error("the answer tells whether an address has an account")
		}
		msgs, err := f.sent(t)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 {
			t.Fatalf("%d emails in the outbox, want 1 (none for the unknown address)", len(msgs))
		}
		// Once sent, the link is no longer readable in the database.
		if rows, err := st.Mails(context.Background(), store.MailFilter{Kind: "sign-in-link"}); err != nil || len(rows) != 1 ||
			rows[0].Status != rencontres.MailSent || string(rows[0].Payload) != "{}" {
			t.Errorf("the sign-in link's row after sending: %+v, %v", rows, err)
		}
		m := msgs[0]
		if m.To[0].Email != "authority_contact@example.org" || !strings.Contains(m.Subject, "Rencontres") {
			t.Errorf("email to %v, subject %q", m.To, m.Subject)
		}
		link := linkRE.FindString(m.Text)
		if link == "" || !strings.HasPrefix(link, f.srv.URL+"/fr/login/link/") {
			t.Fatalf("no link in the user's language in %q", m.Text)
		}
		// Opening the link does not sign in: a mail scanner may open it.
		resp, err := c.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || len(c.Jar.Cookies(resp.Request.URL)) != 0 {
			t.Fatalf("GET link: %d, cookies %v", resp.StatusCode, c.Jar.Cookies(resp.Request.URL))
		}
		resp, err = c.PostForm(link, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/fr/account" {
			t.Fatalf("POST link: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, err = c.Get(f.srv.URL + "/fr/account")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), "authority_contact@example.org") {
			t.Fatalf("account page after sign-in: %d", resp.StatusCode)
		}
		// The same link again: refused, in the reader's language.
		other := browser(t)
		resp, err = other.PostForm(link, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.Contains(string(b), "a déjà servi") {
			t.Errorf("second use of a link: %d", resp.StatusCode)
		}
		// Sign out everywhere ends the session.
		resp, _ = c.PostForm(f.srv.URL+"/fr/logout", url.Values{"everywhere": {"1"}})
		resp.Body.Close()
		resp, _ = c.Get(f.srv.URL + "/fr/account")
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("account page after signing out everywhere: %d, want a redirect to sign in", resp.StatusCode)
		}
	})
}

func TestPasswordSignInAndRateLimit(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	hash, _ := auth.HashPassword("un mot de passe solide")
	f.st.SetPassword(ctx, f.users[rencontres.Secretariat].ID, hash)
	post := func(email, pw string) (*http.Response, string) {
		resp, err := noFollow.PostForm(f.srv.URL+"/fr/login", url.Values{"email": {email}, "password": {pw}, "next": {"/fr/admin/people"}})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	r1, wrongPw := post("secretariat@example.org", "pas le bon mot de passe")
	r2, noAccount := post("personne@example.org", "pas le bon mot de passe")
	if r1.StatusCode != 401 || r2.StatusCode != 401 || !strings.Contains(wrongPw, "Adresse ou mot de passe incorrect.") ||
		strings.ReplaceAll(wrongPw, "secretariat@example.org", "X") != strings.ReplaceAll(noAccount, "personne@example.org", "X") {
		t.Errorf("wrong password %d and unknown address %d are told apart", r1.StatusCode, r2.StatusCode)
	}
	if r, _ := post("not an address", "x"); r.StatusCode != 400 {
		t.Errorf("malformed address: %d, want 400", r.StatusCode)
	}
	r, _ := post("secretariat@example.org", "un mot de passe solide")
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/fr/admin/people" {
		t.Fatalf("right password: %d → %s", r.StatusCode, r.Header.Get("Location"))
	}
	var cookie string
	for _, c := range r.Cookies() {
		if c.Name == auth.CookieName {
			cookie = c.String()
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("session cookie flags: %s", cookie)
			}
		}
	}
	if cookie == "" {
		t.Fatal("no session cookie")
	}
	// One wrong password so far on this address counts, the right one
	// does not; after five wrong ones, password sign-in waits.
	var last *http.Response
	for range 5 {
		last, _ = post("secretariat@example.org", "encore faux encore faux")
	}
	if last.StatusCode != http.StatusTooManyRequests {
		t.Errorf("sixth attempt in the window: %d, want 429", last.StatusCode)
	}
	log, _ := f.st.AuditLog(ctx, rencontres.AuditFilter{Action: "login.failed"})
	if len(log) < 2 {
		t.Errorf("failed sign-ins in the audit log: %d", len(log))
	}
}

func TestAPITokens(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	u := f.users[rencontres.AuthorityContact]
	tok, hash, prefix := auth.NewAPIToken()
	created, err := f.st.CreateAPIToken(ctx, u.ID, "script", hash, prefix)
	if err != nil {
		t.Fatal(err)
	}
	me := func(header string) (int, map[string]any) {
		req, _ := http.NewRequest("GET", f.srv.URL+"/api/v1/me", nil)
		if header != "" {
			req.Header.Set("Authorization", header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body
	}
	status, body := me("Bearer " + tok)
	if status != 200 || body["email"] != u.Email || body["role"] != "authority_contact" {
		t.Errorf("/api/v1/me with a token: %d %v", status, body)
	}
	for _, h := range []string{"", "Bearer nonsense", "Bearer rct_" + strings.Repeat("A", 43), "Basic dXNlcjpwYXNz"} {
		if status, body := me(h); status != 401 || body["error"] == nil {
			t.Errorf("/api/v1/me with %q: %d %v, want 401 with an error", h, status, body)
		}
	}
	// A bad token is refused even on public endpoints: the script must
	// learn its token is wrong.
	req, _ := http.NewRequest("GET", f.srv.URL+"/api/v1/series", nil)
	req.Header.Set("Authorization", "Bearer rct_"+strings.Repeat("B", 43))
	resp, _ := http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("public endpoint with a wrong token: %d, want 401", resp.StatusCode)
	}
	f.st.RevokeAPIToken(ctx, u.ID, created.ID)
	if status, _ := me("Bearer " + tok); status != 401 {
		t.Errorf("revoked token: %d, want 401", status)
	}
}

// A form posted from another site is refused before any handler runs, and
// a body over the limit gets 413 with a message, changing nothing.
func TestCrossSiteAndOversizedForms(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	req, _ := http.NewRequest("POST", f.srv.URL+"/fr/login/link", strings.NewReader("email=authority_contact%40example.org"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example.org")
	resp, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site sign-in form: %d, want 403", resp.StatusCode)
	}
	big := "email=a%40example.org&x=" + strings.Repeat("a", 2<<20)
	req, _ = http.NewRequest("POST", f.srv.URL+"/ja/login/link", strings.NewReader(big))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "リクエストのサイズが大きすぎます。") {
		t.Errorf("oversized form: %d", resp.StatusCode)
	}
	if msgs, _ := f.sent(t); len(msgs) != 0 {
		t.Errorf("%d emails sent by refused requests", len(msgs))
	}
}

// A committee member sees the committees it sits on and is refused the
// others; the secretariat sees them all.
func TestCommitteeMemberSeesItsCommittees(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	seventh, _ := f.st.Edition(context.Background(), "rencontres-franco-japonaises", 7)
	other := seventh.Committees[1].ID
	for _, tc := range []struct {
		role      rencontres.Role
		committee int64
		want      int
	}{
		{rencontres.CommitteeMember, f.committee, 200},
		{rencontres.CommitteeMember, other, 403},
		{rencontres.Secretariat, other, 200},
		{rencontres.AuthorityContact, f.committee, 403},
		{rencontres.CommitteeMember, 999999, 403},
	} {
		req, _ := http.NewRequest("GET", f.srv.URL+"/fr/committees/"+strconv.FormatInt(tc.committee, 10), nil)
		req.AddCookie(f.session(t, tc.role))
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%s opening committee %d: %d, want %d", tc.role, tc.committee, resp.StatusCode, tc.want)
		}
		if tc.want == 200 && !strings.Contains(string(body), "Comité de pilotage") {
			t.Errorf("%s: the committee page lacks its name", tc.role)
		}
	}
	req, _ := http.NewRequest("GET", f.srv.URL+"/fr/account", nil)
	req.AddCookie(f.session(t, rencontres.CommitteeMember))
	resp, _ := noFollow.Do(req)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "/fr/committees/"+strconv.FormatInt(f.committee, 10)) {
		t.Error("the account page does not link to the member's committee")
	}
}

// A signed-in person's language preference chooses the language of the home
// page; the audit log is filtered by date and exported as CSV.
func TestLanguagePreferenceAndAuditExport(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	u := f.users[rencontres.Participant]
	u.Lang = rencontres.Japanese
	if err := f.st.UpdateProfile(ctx, u); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", f.srv.URL+"/", nil)
	req.Header.Set("Accept-Language", "fr")
	req.AddCookie(f.session(t, rencontres.Participant))
	resp, _ := noFollow.Do(req)
	resp.Body.Close()
	if got := resp.Header.Get("Location"); got != "/ja/" {
		t.Errorf("root for a person who chose Japanese: %s, want /ja/", got)
	}
	f.st.Audit(ctx, &rencontres.AuditEntry{At: time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC), Action: "profile.update", ActorEmail: "old@example.org"})
	f.st.Audit(ctx, &rencontres.AuditEntry{Action: "profile.update", ActorEmail: "new@example.org"})
	for query, want := range map[string][]string{
		"format=csv&action=profile.update":                  {"new@example.org", "old@example.org"},
		"format=csv&action=profile.update&until=2026-01-01": {"old@example.org"},
		"format=csv&action=profile.update&since=2026-01-01": {"new@example.org"},
	} {
		req, _ := http.NewRequest("GET", f.srv.URL+"/fr/admin/audit?"+query, nil)
		req.AddCookie(f.session(t, rencontres.Secretariat))
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		lines := strings.Split(strings.TrimSpace(string(body)), "\n")
		if resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" || lines[0] != "\ufeffDate (UTC),Auteur,Action,Type d’objet,Objet,Adresse IP" || len(lines) != len(want)+1 {
			t.Errorf("%s: %q", query, body)
			continue
		}
		for i, w := range want {
			if !strings.Contains(lines[i+1], w) {
				t.Errorf("%s: line %d = %q, want %s", query, i+1, lines[i+1], w)
			}
		}
	}
	req, _ = http.NewRequest("GET", f.srv.URL+"/fr/admin/audit?since=22/11/2026", nil)
	req.AddCookie(f.session(t, rencontres.Secretariat))
	resp, _ = noFollow.Do(req)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(body), "AAAA-MM-JJ") {
		t.Errorf("a malformed date: %d", resp.StatusCode)
	}
}

// A binding that cannot be made says why on the people page, with the
// status of the refusal, and binds nothing.
func TestBindingErrorsAreShown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		id := strconv.FormatInt(f.victim.ID, 10)
		for path, form := range map[string]url.Values{
			"/fr/admin/people/" + id + "/organisations": {"organisation": {"fr-00000"}},
			"/fr/admin/people/" + id + "/committees":    {"committee": {"999999"}},
		} {
			req, _ := http.NewRequest("POST", f.srv.URL+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(f.session(t, rencontres.Secretariat))
			resp, err := noFollow.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK || resp.StatusCode >= 500 || !strings.Contains(string(body), `class="error" role="alert"`) {
				t.Errorf("POST %s: %d, message shown %v", path, resp.StatusCode, strings.Contains(string(body), `role="alert"`))
			}
		}
		if u, _ := f.st.User(context.Background(), f.victim.ID); len(u.OrgKeys) != 0 {
			t.Errorf("a failed binding bound %v", u.OrgKeys)
		}
	})
}
