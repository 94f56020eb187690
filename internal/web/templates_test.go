package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/campaign"
	"github.com/rencontres/rencontres/internal/contactimport"
	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/outbox"
	"github.com/rencontres/rencontres/internal/partnershipimport"
	"github.com/rencontres/rencontres/internal/practice"
	"github.com/rencontres/rencontres/internal/registration"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/sheet"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// Every template is executed against a realistic value of the type its
// handler gives it, in each language, the way pkgsite checks its own: a
// field renamed or retyped in Go fails here instead of on a reader's page.
// The samples start from what the handlers build on the demo data and then
// fill what the demo leaves empty (errors on every form field, a token just
// created, a person found at check-in), so that every branch that prints a
// field runs. A template added without a sample fails the test.
func TestEveryTemplateRendersItsData(t *testing.T) {
	x := newSampler(t)
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	samples := x.samples()
	missing := &missingKeys{}
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(slog.New(missing))
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" || name == "partials" || strings.HasSuffix(name, "_partials") {
			continue // executed with every page
		}
		list := samples[name]
		if len(list) == 0 {
			t.Errorf("template %s has no sample: add one to samples() in templates_test.go", name)
			continue
		}
		delete(samples, name)
		for i, s := range list {
			for _, l := range rencontres.Langs {
				t.Run(fmt.Sprintf("%s/%d/%s", name, i, l), func(t *testing.T) {
					p := x.page(t, l, s.role)
					s.fill(t, p)
					for _, f := range emptyFields(p.Data) {
						if !slices.Contains(s.empty, f) {
							t.Errorf("the sample leaves %s empty: fill it, so that the template's use of it runs", f)
						}
					}
					var buf bytes.Buffer
					missing.take()
					if err := x.site.pages[name].Execute(&buf, p); err != nil {
						t.Fatalf("execute: %v", err)
					}
					for _, k := range missing.take() {
						t.Errorf("the page asks for the message %q, which no catalogue has", k)
					}
					for _, bad := range []string{"<no value>", "%!"} {
						if i := strings.Index(buf.String(), bad); i >= 0 {
							t.Errorf("the page shows %q: …%s…", bad, buf.String()[max(0, i-200):i+len(bad)])
						}
					}
				})
			}
		}
	}
	for name := range samples {
		t.Errorf("a sample for %s, which is no template", name)
	}
}

// missingKeys records the messages the printer could not find, which it
// logs and shows as their key.
type missingKeys struct {
	mu   sync.Mutex
	keys []string
}

func (m *missingKeys) Enabled(context.Context, slog.Level) bool { return true }
func (m *missingKeys) WithAttrs([]slog.Attr) slog.Handler       { return m }
func (m *missingKeys) WithGroup(string) slog.Handler            { return m }
func (m *missingKeys) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "missing translation" {
		return nil
	}
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "id" {
			m.mu.Lock()
			m.keys = append(m.keys, a.Value.String())
			m.mu.Unlock()
		}
		return true
	})
	return nil
}

// take returns the keys recorded since the last call.
func (m *missingKeys) take() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := m.keys
	m.keys = nil
	return k
}

// emptyFields names the slices, maps and pointers of a page's data that
// are empty or nil.
func emptyFields(data any) []string {
	v := reflect.ValueOf(data)
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Slice, reflect.Map:
			if f.Len() == 0 {
				out = append(out, v.Type().Field(i).Name)
			}
		case reflect.Pointer:
			if f.IsNil() {
				out = append(out, v.Type().Field(i).Name)
			}
		}
	}
	return out
}

// sample fills a page as a handler would, for a reader of a role; empty
// lists the fields of the data it may leave empty, because the template
// shows them only when another field is set.
type sample struct {
	role  rencontres.Role
	fill  func(t *testing.T, p *Page)
	empty []string
}

// sampler is the site over the demo data, with one account per role.
type sampler struct {
	site      *Site
	st        *store.Store
	cat       *i18n.Catalogue
	actors    map[rencontres.Role]*rencontres.Actor
	edition   int64  // the 7th edition's event: registrations, programme
	meeting   int64  // the meeting the demo's campaign is about, with its agenda
	committee int64  // a 7th edition's committee, with its meetings
	visit     int64  // the 7th edition's technical visit, with a waiting list
	draft     int64  // the demo's draft campaign
	sent      int64  // a copy of it, sent
	badge     string // a registration's badge code
}

func newSampler(t *testing.T) *sampler {
	t.Helper()
	ctx := context.Background()
	st := storetest.SQLite(t)
	if _, err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ob := outbox.New(st, nil, log)
	base := "https://rencontres.example.org"
	camp := campaign.New(st, ob, cat, log, base)
	site, err := New(Config{Services: st, Accounts: st, Lists: st, Declarations: st, Cooperation: st, Contacts: st, Events: st, Registrations: st, Registrar: registration.New(st, ob, cat, log, base),
		Campaigns: camp, CheckIn: st, Auth: &auth.Authenticator{Store: st}, Mail: ob.Sender(), Catalogue: cat, Log: log, BaseURL: base,
		Imports: st, Uploads: &contactimport.Uploads{Dir: t.TempDir()}, News: st, Statistics: st, Library: st, Webhooks: st, Practices: practice.New(st, ob, cat, log, base),
		Meetings: st, Participants: st,
		Partnerships: func(ctx context.Context, data []byte, opt sheet.Options, dryRun bool) (*partnershipimport.Preview, error) {
			return partnershipimport.Import(ctx, st, cat, data, opt, dryRun)
		}})
	if err != nil {
		t.Fatal(err)
	}
	x := &sampler{site: site, st: st, cat: cat, actors: map[rencontres.Role]*rencontres.Actor{rencontres.Public: {}}}

	seventh, err := st.Edition(ctx, "rencontres-franco-japonaises", 7)
	if err != nil {
		t.Fatal(err)
	}
	x.edition, x.committee = seventh.ID, seventh.Committees[0].ID
	sessions, err := st.Sessions(ctx, x.edition)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sessions {
		if s.Kind == rencontres.Visit {
			x.visit = s.ID
		}
	}
	regs, err := st.Registrations(ctx, rencontres.RegistrationFilter{EventID: x.edition})
	if err != nil || len(regs) == 0 {
		t.Fatalf("7th edition's registrations: %d, %v", len(regs), err)
	}
	x.badge = regs[0].Code

	// One account per role, each bound to what gives it something to see.
	for _, a := range []struct {
		role rencontres.Role
		org  string
	}{{rencontres.Secretariat, ""}, {rencontres.CommitteeMember, ""}, {rencontres.AuthorityContact, "fr-13001"}, {rencontres.Participant, ""}} {
		u := &rencontres.User{Email: string(a.role) + "@example.org", Name: "Camille " + strings.ToUpper(string(a.role)), Lang: rencontres.French, Role: a.role}
		if err := st.InviteUser(ctx, u, a.org); err != nil {
			t.Fatal(err)
		}
		if u, err = st.User(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		x.actors[a.role] = &rencontres.Actor{User: u}
	}
	member := x.actors[rencontres.CommitteeMember]
	if err := st.BindCommittee(ctx, member.User.ID, x.committee); err != nil {
		t.Fatal(err)
	}
	member.Committees = []int64{x.committee}
	_, hash, prefix := auth.NewAPIToken()
	if _, err := st.CreateAPIToken(ctx, member.User.ID, "tableur", hash, prefix); err != nil {
		t.Fatal(err)
	}

	// The demo's draft, and a copy of it sent, with its recipients.
	secretariat := x.actors[rencontres.Secretariat]
	drafts, err := st.Campaigns(ctx, 0)
	if err != nil || len(drafts) == 0 {
		t.Fatalf("the demo's campaigns: %d, %v", len(drafts), err)
	}
	x.draft = drafts[0].ID
	// The draft's meeting gets its agenda's document, which the campaigns
	// attach.
	doc := &rencontres.Document{EventID: drafts[0].EventID, Name: "ordre-du-jour.pdf"}
	if err := st.SaveDocument(ctx, doc, []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"), secretariat.User.ID); err != nil {
		t.Fatal(err)
	}
	drafts[0].Documents = []int64{doc.ID}
	if err := st.SaveCampaign(ctx, drafts[0], time.Now()); err != nil {
		t.Fatal(err)
	}
	x.meeting = drafts[0].EventID
	c := *drafts[0]
	c.ID, c.Name = 0, c.Name+" (copie)"
	if err := st.SaveCampaign(ctx, &c, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := camp.Send(ctx, secretariat, c.ID, campaign.SendOptions{SkipProblems: true, ConfirmPast: true}); err != nil {
		t.Fatal(err)
	}
	x.sent = c.ID
	if err := st.Audit(ctx, &rencontres.AuditEntry{ActorID: secretariat.User.ID, ActorEmail: secretariat.User.Email, Action: "campaign.send",
		ObjectType: "campaign", ObjectID: fmt.Sprint(c.ID), IP: "192.0.2.1", Detail: map[string]any{"recipients": 5}}); err != nil {
		t.Fatal(err)
	}
	return x
}

// page is an empty page in lang for a reader of role.
func (x *sampler) page(t *testing.T, lang rencontres.Lang, role rencontres.Role) *Page {
	a := x.actors[role]
	if a == nil {
		t.Fatalf("no actor for %s", role)
	}
	return &Page{P: x.cat.Printer(lang), Lang: lang, Path: "/", Actor: a}
}

// run fills p as handler h does for target (a path after the language
// and its query), with the path's wildcards given as name, value pairs.
func (x *sampler) run(t *testing.T, p *Page, h handlerFunc, target string, wildcards ...string) {
	t.Helper()
	r := httptest.NewRequest("GET", "/"+string(p.Lang)+target, nil)
	for i := 0; i+1 < len(wildcards); i += 2 {
		r.SetPathValue(wildcards[i], wildcards[i+1])
	}
	r = r.WithContext(auth.WithActor(r.Context(), p.Actor))
	p.Path = target
	name, err := h(httptest.NewRecorder(), r, p)
	if err != nil || name == "" {
		t.Fatalf("GET %s: template %q, %v", target, name, err)
	}
}

// noTimetable are the fields of a programme only its timetable fills.
var noTimetable = []string{"Errors", "Form", "Kinds", "SDGSet", "SDGs"}

// invitation is the page of a personal link of the sent campaign, as
// the invitation handler fills it.
func (x *sampler) invitation(t *testing.T, p *Page, declined bool) *InvitationPage {
	ctx := context.Background()
	c, err := x.st.Campaign(ctx, x.sent)
	if err != nil {
		t.Fatal(err)
	}
	recipients, err := x.st.CampaignRecipients(ctx, x.sent)
	if err != nil || len(recipients) == 0 {
		t.Fatalf("the sent campaign's recipients: %d, %v", len(recipients), err)
	}
	e, err := x.st.Event(ctx, c.EventID)
	if err != nil {
		t.Fatal(err)
	}
	inv := &campaign.Invitation{Campaign: c, Recipient: recipients[0], Event: e, Expires: time.Now().AddDate(0, 1, 0)}
	if declined {
		now := time.Now()
		inv.Recipient.Declined = &now
		return &InvitationPage{Invitation: inv, Declined: true}
	}
	p.Title = p.P.T("invitation.title", "Event", p.EventTitleText(inv.Event))
	return &InvitationPage{Invitation: inv, Action: p.Href("/invitation/" + strings.Repeat("A", 35))}
}

// gone is the page of a personal link that opens nothing, as the
// invitation handler fills it.
func (x *sampler) gone(t *testing.T, p *Page, reason string) *InvitationPage {
	le := &campaign.LinkError{Reason: reason}
	if reason != campaign.LinkUnknown {
		inv := x.invitation(t, p, false).Invitation
		le.Event, le.Expired, le.Secretariat = inv.Event, inv.Expires, "japon@example.org"
	}
	p.Title = p.P.T("sending.link_" + reason + "_title")
	return &InvitationPage{Gone: le}
}

// errorsOn is a message for each field of a form, and for the form as a
// whole: what a refusal shows.
func errorsOn(p *Page, form map[string]string, more ...string) map[string]string {
	errs := map[string]string{"form": p.P.T("events.fix_errors")}
	for k := range form {
		errs[k] = p.P.T("error.required", "Field", k)
	}
	for _, k := range more {
		errs[k] = p.P.T("error.required", "Field", k)
	}
	return errs
}

func id(n int64) string { return fmt.Sprint(n) }

// samples gives each template the data its handlers build, filled.
func (x *sampler) samples() map[string][]sample {
	s := x.site
	ev, ed := id(x.edition), "/events/"+id(x.edition)
	all := x.partnershipSamples()
	maps.Copy(all, x.importSamples())
	maps.Copy(all, x.directorySamples())
	maps.Copy(all, x.newsSamples())
	maps.Copy(all, x.webhookSamples())
	maps.Copy(all, x.statisticsSamples())
	maps.Copy(all, x.practiceSamples())
	maps.Copy(all, x.reviewSamples())
	maps.Copy(all, x.amendmentSamples())
	maps.Copy(all, x.adoptionSamples())
	maps.Copy(all, x.callSamples())
	maps.Copy(all, x.participantSamples())
	maps.Copy(all, x.declarationSamples())
	maps.Copy(all, x.cooperationSamples())
	maps.Copy(all, x.meetingSamples())
	maps.Copy(all, map[string][]sample{
		"home":        {{role: rencontres.Public, fill: func(t *testing.T, p *Page) { x.run(t, p, s.home, "/") }}},
		"series_list": {{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) { x.run(t, p, s.seriesList, "/manage/series?done=saved") }}},
		"series_form": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) { x.run(t, p, s.newSeries, "/manage/series/new") },
				empty: []string{"Errors"}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.editSeries, "/manage/series/rencontres-franco-japonaises/edit", "series", "rencontres-franco-japonaises")
				d := p.Data.(*SeriesForm)
				d.Errors = errorsOn(p, d.Form)
				f := &d.Roles[0].Fields[0]
				f.Error = p.P.T("error.required", "Field", "q")
				f.Candidates = []*rencontres.Organisation{{Key: "inst-cuf", Kind: rencontres.Institution, Country: rencontres.France, Name: rencontres.Text{"fr": "Cités Unies France"}}}
			}},
		},
		"accessibility": {{role: rencontres.Public, fill: func(t *testing.T, p *Page) { x.run(t, p, s.accessibility, "/accessibility") }}},
		"archive": {{role: rencontres.Public, fill: func(t *testing.T, p *Page) {
			x.run(t, p, s.archive, "/series/rencontres-franco-japonaises", "series", "rencontres-franco-japonaises")
		}}},
		"edition": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.edition, "/series/rencontres-franco-japonaises/7", "series", "rencontres-franco-japonaises", "number", "7")
			}},
			{role: rencontres.AuthorityContact, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.edition, "/series/rencontres-franco-japonaises/7", "series", "rencontres-franco-japonaises", "number", "7")
				p.Data.(EditionPage).Edition.Status = rencontres.Planned
				d := p.Data.(EditionPage)
				d.Registers = true
				p.Data = d
			}},
		},
		"login": {
			{role: rencontres.Public, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.loginForm, "/login?next=/fr/account")
				d := p.Data.(*LoginPage)
				d.Email, d.Error = "secretariat@example.org", p.P.T("error.bad_credentials")
			}},
			{role: rencontres.Public, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.loginForm, "/login")
				d := p.Data.(*LoginPage)
				d.Email, d.LinkSent = "secretariat@example.org", true
			}},
		},
		"link": {{role: rencontres.Public, fill: func(t *testing.T, p *Page) {
			tok := strings.Repeat("A", 43)
			x.run(t, p, s.linkLanding, "/login/link/"+tok, "token", tok)
		}}},
		// The demo's invitations have expired with their meeting: the
		// page is built as its handler builds it, from the sent campaign.
		"invitation": {
			{role: rencontres.Public, fill: func(t *testing.T, p *Page) { p.Data = x.invitation(t, p, false) }, empty: []string{"Gone"}},
			{role: rencontres.Public, fill: func(t *testing.T, p *Page) { p.Data = x.invitation(t, p, true) }, empty: []string{"Gone"}},
			// A link that no longer opens anything: expired, withdrawn,
			// never sent.
			{role: rencontres.Public, fill: func(t *testing.T, p *Page) { p.Data = x.gone(t, p, campaign.LinkExpired) }, empty: []string{"Invitation"}},
			{role: rencontres.Public, fill: func(t *testing.T, p *Page) { p.Data = x.gone(t, p, campaign.LinkCancelled) }, empty: []string{"Invitation"}},
			{role: rencontres.Public, fill: func(t *testing.T, p *Page) { p.Data = x.gone(t, p, campaign.LinkUnknown) }, empty: []string{"Invitation"}},
		},
		"account": {{role: rencontres.CommitteeMember, fill: func(t *testing.T, p *Page) {
			x.run(t, p, s.account, "/account")
			d := p.Data.(*AccountPage)
			org, err := x.st.Organisation(context.Background(), "fr-13001")
			if err != nil {
				t.Fatal(err)
			}
			d.Orgs = append(d.Orgs, org)
			d.NewToken, d.Saved = "rct_"+strings.Repeat("B", 43), true
			d.Events = []MyEventLink{{ID: x.edition, Title: "7es Rencontres", Status: rencontres.Confirmed}}
			d.Errors = errorsOn(p, d.Form, "current", "password", "confirm", "token_name")
		}}},
		"committee": {
			{role: rencontres.CommitteeMember, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.committee, "/committees/"+id(x.committee), "committee", id(x.committee))
			}, empty: []string{"Errors"}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.committee, "/committees/"+id(x.committee)+"?done=seat", "committee", id(x.committee))
				d := p.Data.(*CommitteePage)
				d.Form = map[string]string{"person": "Claire DUVAL", "organisation": "fr-13001", "role": "chair", "function": "Adjointe au maire",
					"mandate_start": "2020-01-01", "mandate_end": "2022-12-31"}
				d.Errors = errorsOn(p, d.Form)
			}},
		},
		"events": {{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) { x.run(t, p, s.eventsList, "/manage/events") }}},
		"event_form": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) { x.run(t, p, s.newEvent, "/manage/events/new") },
				empty: []string{"Event", "Errors", "HostCandidates"}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.editEvent, ed+"/edit", "event", ev)
				d := p.Data.(*EventForm)
				d.Errors, d.Rhythm = errorsOn(p, d.Form), p.P.T("error.required", "Field", "q")
				d.HostCandidates = []*rencontres.Organisation{
					{Key: "fr-13001", Kind: rencontres.Commune, Country: rencontres.France, Name: rencontres.Text{"fr": "Aix-en-Provence", "ja": "エクス＝アン＝プロヴァンス"}},
					{Key: "fr-dep-13", Kind: rencontres.Departement, Country: rencontres.France, Name: rencontres.Text{"fr": "Bouches-du-Rhône"}},
				}
			}},
		},
		// A meeting has an agenda and decisions; an edition, committees.
		"event": {
			{role: rencontres.CommitteeMember, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.eventPage, "/events/"+id(x.meeting), "event", id(x.meeting))
			}, empty: []string{"Errors", "Form", "Committees", "CommitteeKinds", "Host", "News"}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.eventPage, "/events/"+id(x.meeting)+"?done=agenda", "event", id(x.meeting))
				d := p.Data.(*EventPage)
				d.Form = map[string]string{"title_fr": "Point d’étape", "presenter": "CUF", "minutes": "Compte rendu", "text": "Décision", "due": "2020-12-01"}
				d.Errors, d.Elsewhere = errorsOn(p, d.Form), "2020年9月22日"
			}, empty: []string{"Committees", "CommitteeKinds", "Host", "News"}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.eventPage, ed+"?done=committee", "event", ev)
				d := p.Data.(*EventPage)
				d.Form = map[string]string{"kind": "french", "name_fr": "Comité de pilotage français"}
				d.Errors = errorsOn(p, d.Form)
			}, empty: []string{"Committee", "Agenda", "Decisions", "Documents"}},
		},
		"timetable": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) { x.run(t, p, s.timetable, ed+"/timetable", "event", ev) },
				empty: []string{"Errors", "SDGSet"}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.timetable, ed+"/timetable?done=session&edit="+id(x.visit), "event", ev)
				d := p.Data.(*ProgrammePage)
				d.Errors = errorsOn(p, d.Form, "speakers", "speakers[0]", "room")
			}},
		},
		"programme": {
			{role: rencontres.Public, fill: func(t *testing.T, p *Page) { x.run(t, p, s.programme(false), ed+"/programme", "event", ev) },
				empty: noTimetable},
			{role: rencontres.Public, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.programme(true), ed+"/programme/print?zone=Asia/Tokyo", "event", ev)
			}, empty: noTimetable},
		},
		"registration_settings": {{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
			x.run(t, p, s.registrationSettings, ed+"/registration?done=1", "event", ev)
			d := p.Data.(*RegistrationSettings)
			d.Errors = errorsOn(p, d.Form, "questions[0]", "questions[1]")
		}}},
		"registrations": {{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
			x.run(t, p, s.registrations, ed+"/registrations", "event", ev)
		}}},
		"delegation": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.delegation, ed+"/delegation?org=fr-13001&done=added", "event", ev)
			}, empty: []string{"Errors", "Orgs"}},
			{role: rencontres.AuthorityContact, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.delegation, ed+"/delegation", "event", ev)
				d := p.Data.(*DelegationPage)
				d.Open, d.Editing = true, d.People[0].ID
				d.Errors = errorsOn(p, d.Values, "given_name", "family_name", "email", "choices", "q_shuttle")
			}},
		},
		"signin_sheet": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) { x.run(t, p, s.signInSheet, ed+"/signin-sheet", "event", ev) }},
		},
		"attendance": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) { x.run(t, p, s.allAttendance, ed+"/attendance", "event", ev) },
				empty: []string{"Session"}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.sessionAttendance, ed+"/sessions/"+id(x.visit)+"/attendance", "event", ev, "session", id(x.visit))
			}},
		},
		"checkin": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) { x.run(t, p, s.checkIn, ed+"/checkin?code="+x.badge, "event", ev) }},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.checkIn, ed+"/checkin?done=1&code="+x.badge, "event", ev)
				d := p.Data.(*CheckInPage)
				d.Error = p.P.T("error.required", "Field", "q")
			}},
		},
		"campaigns": {{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
			x.run(t, p, s.campaignsList, "/manage/campaigns?event="+id(x.meeting))
			d := p.Data.(*CampaignsPage)
			d.Errors = errorsOn(p, d.Form, "name", "event")
		}}},
		"campaign": {{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
			x.run(t, p, s.showCampaign, "/campaigns/"+id(x.sent)+"?done=sent", "campaign", id(x.sent))
			d := p.Data.(*CampaignTracking)
			d.Errors = errorsOn(p, nil, "confirm")
			d.Pager = Pager{First: "/fr/campaigns/1", Prev: "/fr/campaigns/1?before=x", Next: "/fr/campaigns/1?after=y", Shown: 100, Total: 250}
		}}},
		"campaign_edit": {{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
			x.practice(t) // the draft points to a call
			x.run(t, p, s.showCampaign, "/campaigns/"+id(x.draft)+"?done=saved", "campaign", id(x.draft))
			d := p.Data.(*CampaignEditor)
			d.Errors = errorsOn(p, d.Form, "letters.fr.body", "letters.ja.subject", "filter", "send")
			d.Problems = []ProblemView{{Problem: rencontres.Problem{OrgKey: "fr-13001", Name: "Ville d’Aix-en-Provence", Line: 2, Key: "error.required"},
				Text: p.P.T("error.required", "Field", "email")}}
		}}},
		"people": {{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
			x.run(t, p, s.people, "/admin/people?done=invited")
			d := p.Data.(*PeoplePage)
			d.Form = map[string]string{"email": "nouvelle@example.org", "civility": "mme", "name": "Nouvelle PERSONNE", "role": "authority_contact",
				"lang": "ja", "organisation": "fr-13001"}
			d.Errors = errorsOn(p, d.Form)
		}}},
		"audit": {{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
			x.run(t, p, s.auditLog, "/admin/audit?since=2020-01-01")
		}}},
		"error": {{role: rencontres.Public, fill: func(t *testing.T, p *Page) {
			p.Title, p.Status = p.P.T("error.page_not_found"), 404
			p.Data = ErrorPage{Status: 404, Message: p.P.T("error.page_not_found"), RequestID: "5f2c9a1e0b7d4c33"}
		}}},
	})
	return all
}
