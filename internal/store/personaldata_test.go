package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// person is someone the database holds in every place it can: the tests
// below export them, erase them, and look for them everywhere.
type person struct {
	user, contact, admin *rencontres.User
	own, forThem         *rencontres.Registration // by themselves at the 9th edition; by a contact at the 7th
	campaign             *rencontres.Campaign
	theirMail, otherMail *rencontres.QueuedMail // queued to them; queued to the contact, naming them
}

// traces are what must not survive an erasure anywhere, compared without
// case: names in every script and spelling, the address, free-text
// answers and needs, the address they connected from, their browser.
var traces = []string{"Séraphine", "seraphine", "quilleb", "黒澤", "菖蒲", "くろさわ", "AF-QX7731", "Zoé-Express 17h42",
	"sans gluten zq", "fauteuil zq", "203.0.113.77", "Firefox zq", "Service zq des jumelages", "Madame la Cheffe zq", "12 impasse zq", "+33 6 12 34 56 78"}

func newPerson(t *testing.T, s *store.Store) (*person, *registrationFixture) {
	t.Helper()
	ctx := context.Background()
	f := newRegistrationFixture(t, s, 100)
	p := &person{}
	p.user = &rencontres.User{Email: "s.quillebeuf@example.org", Civility: "mme", Name: "Séraphine QUILLEBŒUF", NameJa: "黒澤 菖蒲", Kana: "くろさわ あやめ",
		Function: "Cheffe de projet", Lang: rencontres.French, Role: rencontres.AuthorityContact,
		Service: "Service zq des jumelages", AddressForm: "Madame la Cheffe zq", PostalAddress: "12 impasse zq\n13100 Aix-en-Provence", Phone: "+33 6 12 34 56 78"}
	if err := s.InviteUser(ctx, p.user, "fr-13001"); err != nil {
		t.Fatal(err)
	}
	p.contact = &rencontres.User{Email: "contact.marseille@example.org", Name: "Paul ROUX", Lang: rencontres.French, Role: rencontres.AuthorityContact}
	if err := s.InviteUser(ctx, p.contact, "fr-13001"); err != nil {
		t.Fatal(err)
	}
	p.admin = newUser(t, s, "secretariat@example.org", rencontres.Secretariat)
	now := time.Now()
	s.CreateSession(ctx, "sesshash-zq", p.user.ID, now, now.Add(time.Hour), "203.0.113.77", "Firefox zq")
	s.CreateMagicLink(ctx, "linkhash-zq", p.user.ID, p.user.Email, now, now.Add(30*time.Minute))
	if _, err := s.CreateAPIToken(ctx, p.user.ID, "script", "tokhash-zq", "rct_zq"); err != nil {
		t.Fatal(err)
	}

	// They register themselves at the 9th edition, through the API with
	// an idempotency key; a contact registers them at the 7th, spelling
	// their name their own way.
	p.own = &rencontres.Registration{EventID: f.event.ID, OrgKey: "fr-13001", Civility: "mme", GivenName: "Séraphine", FamilyName: "Quillebœuf",
		NameJa: "黒澤 菖蒲", Kana: "くろさわ あやめ", Function: "Cheffe de projet", Email: p.user.Email, Lang: rencontres.French,
		Dietary: "sans gluten zq", Accessibility: "fauteuil zq", Answers: map[string]string{"arrival": "plane", "flight": "AF-QX7731"},
		Choices: []rencontres.Choice{{SessionID: f.workshop.ID}}}
	register(t, s, "user:"+fmt.Sprint(p.user.ID), "own", p.own, f.now, false)
	ed7, err := s.Edition(ctx, "rencontres-franco-japonaises", 7)
	if err != nil {
		t.Fatal(err)
	}
	p.forThem = &rencontres.Registration{EventID: ed7.ID, OrgKey: "fr-13001", GivenName: "Seraphine", FamilyName: "QUILLEBOEUF", Email: "S.Quillebeuf@example.org",
		Lang: rencontres.French, Answers: map[string]string{"shuttle": "yes", "arrival": "Zoé-Express 17h42"}}
	register(t, s, "user:"+fmt.Sprint(p.contact.ID), "for-them", p.forThem, f.now, true)

	// The secretariat writes to them, and names them among the extra
	// people of the campaign.
	p.campaign = &rencontres.Campaign{EventID: f.event.ID, Name: "Invitation",
		Filter: rencontres.RecipientFilter{Extra: []string{"S.Quillebeuf@example.org; fr-13001; Séraphine QUILLEBŒUF; fr", "paul.roux@example.org; fr-13001; Paul ROUX"}}}
	if err := s.SaveCampaign(ctx, p.campaign, now); err != nil {
		t.Fatal(err)
	}
	rec := &rencontres.Recipient{UserID: p.user.ID, Email: p.user.Email, Name: p.user.Name, Lang: rencontres.French, OrgKey: "fr-13001"}
	if err := s.LaunchCampaign(ctx, p.campaign.ID, now, []*rencontres.Recipient{rec}, func(r *rencontres.Recipient) (*rencontres.QueuedMail, error) {
		return &rencontres.QueuedMail{Kind: store.CampaignLetterKind, ToEmail: r.Email, ToName: r.Name, Lang: r.Lang, Deferred: true,
			Payload: []byte(fmt.Sprintf(`{"recipient":%d}`, r.ID)), UniqueKey: fmt.Sprintf("campaign:%d:%d", r.CampaignID, r.ID),
			CampaignID: r.CampaignID, RecipientID: r.ID, NotBefore: now.Add(time.Hour)}, nil
	}); err != nil {
		t.Fatal(err)
	}

	// Emails: one that left, one still queued to them, and one to the
	// contact that names them.
	sent := rendered(p.user.Email, p.user.Name, "Votre inscription", "Bonjour Séraphine QUILLEBŒUF, vol AF-QX7731.")
	if err := s.EnqueueMail(ctx, now.Add(-time.Minute), sent); err != nil {
		t.Fatal(err)
	}
	if claimed, err := s.ClaimMail(ctx, now, time.Minute, 1); err != nil || len(claimed) != 1 || claimed[0].ID != sent.ID {
		t.Fatalf("claimed %v, %v", claimed, err)
	}
	if err := s.MailsSent(ctx, now, []int64{sent.ID}, nil); err != nil {
		t.Fatal(err)
	}
	p.theirMail = rendered(p.user.Email, p.user.Name, "Rappel", "Bonjour Séraphine QUILLEBŒUF, fauteuil zq.")
	p.otherMail = rendered(p.contact.Email, p.contact.Name, "Votre délégation", "Séraphine QUILLEBŒUF — fr-13001\nPaul ROUX — fr-13001")
	p.theirMail.NotBefore, p.otherMail.NotBefore = now.Add(time.Hour), now.Add(time.Hour)
	if err := s.EnqueueMail(ctx, now, p.theirMail, p.otherMail); err != nil {
		t.Fatal(err)
	}

	// What they did, and what was done about them.
	for _, e := range []*rencontres.AuditEntry{
		{ActorID: p.admin.ID, ActorEmail: p.admin.Email, Action: "person.invite", ObjectType: "user", ObjectID: p.user.Email, IP: "192.0.2.10",
			Detail: map[string]any{"organisation": "fr-13001"}},
		{ActorID: p.user.ID, ActorEmail: p.user.Email, Action: "profile.update", ObjectType: "user", ObjectID: p.user.Email, IP: "203.0.113.77",
			Detail: map[string]any{"name": "Séraphine QUILLEBŒUF"}},
		{ActorID: p.contact.ID, ActorEmail: p.contact.Email, Action: "registration.create", ObjectType: "registration",
			ObjectID: fmt.Sprint(p.forThem.ID), IP: "198.51.100.9"},
		{ActorID: p.admin.ID, ActorEmail: p.admin.Email, Action: "committee.seat_add", ObjectType: "committee", ObjectID: "1",
			Detail: map[string]any{"person": "Séraphine QUILLEBŒUF"}},
	} {
		if err := s.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}

	// Where their name stands alone: a committee seat, a speaker.
	committees, err := s.AllCommittees(ctx)
	if err != nil || len(committees) == 0 {
		t.Fatalf("committees: %v", err)
	}
	if err := s.AddSeat(ctx, committees[0].Committee.ID, &rencontres.CommitteeSeat{Person: "Séraphine QUILLEBŒUF", PersonJa: "黒澤 菖蒲", Kana: "くろさわ あやめ", Role: "member"}); err != nil {
		t.Fatal(err)
	}
	// A proposal of their authority: they are its contact (their address
	// in another case) and would present it, with a colleague; an answer
	// names them.
	call := &rencontres.Call{EventID: f.event.ID, Kind: rencontres.CallPractice, Title: rencontres.Text{"fr": "Appel"},
		Opens: f.now.Add(-time.Hour), Deadline: f.now.Add(time.Hour),
		Questions: []rencontres.Question{{Key: "travel", Label: rencontres.Text{"fr": "Venue"}, Kind: rencontres.TextQuestion}}}
	if err := s.SaveCall(ctx, call, p.admin.ID); err != nil {
		t.Fatal(err)
	}
	pr := &rencontres.Proposal{CallID: call.ID, Title: rencontres.Text{"fr": "Jumelage scolaire"}, Summary: rencontres.Text{"fr": "Des échanges."},
		Answers: map[string]string{"travel": "En train, avec Séraphine QUILLEBŒUF"}, Orgs: []rencontres.ProposalOrg{{Key: "fr-13001", Role: rencontres.LeadProposer}},
		Presenters:  []rencontres.Presenter{{UserID: p.user.ID}, {Person: "Paul ROUX", Function: rencontres.Text{"fr": "Adjoint"}}},
		ContactName: "Séraphine QUILLEBŒUF", ContactEmail: "S.Quillebeuf@example.org"}
	if err := s.SaveProposal(ctx, pr, p.contact.ID, f.now); err != nil {
		t.Fatal(err)
	}
	f.workshop.Speakers = []rencontres.Speaker{{Person: "Séraphine QUILLEBŒUF", PersonJa: "黒澤 菖蒲", Role: "speaker"}, {Person: "Paul ROUX", Role: "moderator"}}
	if err := s.SaveSession(ctx, f.workshop); err != nil {
		t.Fatal(err)
	}
	return p, f
}

// register registers r as the registration service does: under an
// idempotency key, whose stored answer is the registration itself.
func register(t *testing.T, s *store.Store, scope, key string, r *rencontres.Registration, now time.Time, anyTime bool) {
	t.Helper()
	_, _, _, err := s.Idempotent(context.Background(), scope, key, func(tx *store.Store) (int, []byte, error) {
		if _, err := tx.Register(context.Background(), r, now, anyTime); err != nil {
			return 0, nil, err
		}
		b, err := json.Marshal(r)
		return 201, b, err
	})
	if err != nil {
		t.Fatalf("register %s %s: %v", r.GivenName, r.FamilyName, err)
	}
}

func rendered(to, name, subject, text string) *rencontres.QueuedMail {
	payload, _ := json.Marshal(map[string]any{"To": []map[string]string{{"Name": name, "Email": to}}, "Subject": subject, "Text": text})
	return &rencontres.QueuedMail{Kind: "registration-registered", ToEmail: to, ToName: name, Lang: rencontres.French, Payload: payload}
}

func TestPersonalDataExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		p, _ := newPerson(t, s)
		d, err := s.PersonalData(ctx, p.user.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Profile.Email != p.user.Email || len(d.Profile.OrgKeys) != 1 || len(d.Tokens) != 1 || len(d.Sessions) != 1 || len(d.SignInLinks) != 1 {
			t.Errorf("profile %+v, %d tokens, %d sessions, %d links; want 1 of each", d.Profile, len(d.Tokens), len(d.Sessions), len(d.SignInLinks))
		}
		if d.Profile.Service != p.user.Service || d.Profile.AddressForm != "Madame la Cheffe zq" || d.Profile.PostalAddress != p.user.PostalAddress ||
			d.Profile.Phone != "+33 6 12 34 56 78" {
			t.Errorf("the profile's contact details = %+v", d.Profile)
		}
		if len(d.Memberships) != 1 || d.Memberships[0].OrgKey != "fr-13001" || d.Memberships[0].Removed != nil {
			t.Errorf("memberships = %+v, want fr-13001, present", d.Memberships)
		}
		if d.Sessions[0].IP != "203.0.113.77" || d.Sessions[0].UserAgent != "Firefox zq" {
			t.Errorf("session = %+v", d.Sessions[0])
		}
		// Both registrations: their own, and the one a contact made with
		// their address in another case.
		if got := len(d.Registrations); got != 2 {
			t.Fatalf("registrations = %d, want 2", got)
		}
		if own := d.Registrations[0]; own.ID != p.own.ID || own.Answers["flight"] != "AF-QX7731" || own.Dietary != "sans gluten zq" ||
			len(own.Choices) != 1 || own.Code == "" {
			t.Errorf("their own registration = %+v", own)
		}
		if other := d.Registrations[1]; other.ID != p.forThem.ID || other.Answers["arrival"] != "Zoé-Express 17h42" {
			t.Errorf("the registration made for them = %+v", other)
		}
		if len(d.Letters) != 1 || d.Letters[0].CampaignID != p.campaign.ID || d.Letters[0].State != rencontres.RecipientRegistered {
			t.Errorf("campaign letters = %+v", d.Letters)
		}
		kinds := map[string]int{}
		for _, m := range d.Emails {
			kinds[string(m.Status)+" "+m.Kind+" "+m.Subject]++
		}
		if kinds["sent registration-registered Votre inscription"] != 1 || kinds["queued registration-registered Rappel"] != 1 ||
			kinds["queued campaign-letter "] != 1 || kinds["queued proposal "] != 1 || len(d.Emails) != 4 {
			t.Errorf("emails = %v, want the one sent, the one queued, the campaign's letter and the proposal's confirmation", kinds)
		}
		var mentions []string
		for _, m := range d.Mentions {
			mentions = append(mentions, m.Kind+":"+m.Person)
		}
		if got := strings.Join(mentions, ", "); got != "committee_seat:Séraphine QUILLEBŒUF, speaker:Séraphine QUILLEBŒUF, proposal_presenter:Séraphine QUILLEBŒUF" {
			t.Errorf("mentions = %s", got)
		}
		if len(d.Proposals) != 1 || d.Proposals[0].ContactEmail != "s.quillebeuf@example.org" || len(d.Proposals[0].Presenters) != 2 {
			t.Errorf("proposals = %+v, want the one they are the contact and a presenter of", d.Proposals)
		}
		actions := func(log []*rencontres.AuditEntry) string {
			var out []string
			for _, e := range log {
				out = append(out, e.Action)
			}
			return strings.Join(out, " ")
		}
		if got := actions(d.Activity); got != "profile.update" {
			t.Errorf("their activity = %q", got)
		}
		if got := actions(d.About); got != "person.invite registration.create" {
			t.Errorf("what was done about them = %q, want the invitation and the contact's registration", got)
		}
		// No secret is in the export.
		b, _ := json.Marshal(d)
		for _, secret := range []string{"sesshash-zq", "linkhash-zq", "tokhash-zq", "password"} {
			if strings.Contains(string(b), secret) {
				t.Errorf("the export holds %q", secret)
			}
		}
	})
}

func TestEraseLeavesNoTrace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		p, f := newPerson(t, s)
		ed7 := p.forThem.EventID
		before := editionCounts(t, s, ed7, f.event.ID)
		for _, trace := range traces {
			if len(findEverywhere(t, s, trace)) == 0 {
				t.Fatalf("%q is nowhere before the erasure: the test would prove nothing", trace)
			}
		}
		if err := s.EraseUser(ctx, p.user.ID); err != nil {
			t.Fatal(err)
		}
		for _, trace := range traces {
			if where := findEverywhere(t, s, trace); len(where) > 0 {
				t.Errorf("%q is still in %s", trace, strings.Join(where, ", "))
			}
		}
		if after := editionCounts(t, s, ed7, f.event.ID); after != before {
			t.Errorf("counts after the erasure:\n%s\nbefore:\n%s", after, before)
		}
		// Their queued email will not leave; the contact's still will,
		// without their name.
		if m, _ := s.Mail(ctx, p.theirMail.ID); m.Status != rencontres.MailCancelled {
			t.Errorf("their queued email is %s, want cancelled", m.Status)
		}
		m, _ := s.Mail(ctx, p.otherMail.ID)
		if m.Status != rencontres.MailQueued || m.ToEmail != p.contact.Email || !strings.Contains(string(m.Payload), "Paul ROUX — fr-13001") {
			t.Errorf("the contact's email after the erasure: %s to %s, %s", m.Status, m.ToEmail, m.Payload)
		}
		// The audit log still says who acted on them, and from where.
		if log, _ := s.AuditLog(ctx, rencontres.AuditFilter{Action: "person.invite"}); len(log) != 1 || log[0].ActorEmail != p.admin.Email ||
			log[0].IP != "192.0.2.10" || log[0].ObjectID != store.ErasedEmail(p.user.ID) {
			t.Errorf("the secretariat's entry about them after the erasure: %+v", log)
		}
		// The campaign no longer adds them by hand, and still adds the other.
		if c, err := s.Campaign(ctx, p.campaign.ID); err != nil || len(c.Filter.Extra) != 1 || !strings.HasPrefix(c.Filter.Extra[0], "paul.roux@") {
			t.Errorf("the campaign's extra people after the erasure: %v, %v", c.Filter.Extra, err)
		}
		// Others stay as they were: the contact's name, the demo's people.
		if len(findEverywhere(t, s, "Paul ROUX")) == 0 || len(findEverywhere(t, s, "Kenji")) == 0 {
			t.Error("the erasure blanked out other people")
		}
		// Erasing twice changes nothing and fails nowhere.
		if err := s.EraseUser(ctx, p.user.ID); err != nil {
			t.Errorf("a second erasure: %v", err)
		}
	})
}

// editionCounts tells what the statistics of two events count: seats by
// state, check-ins, people and authorities by country.
func editionCounts(t *testing.T, s *store.Store, events ...int64) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	for _, id := range events {
		c, err := s.SeatCounts(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		regs, err := s.Registrations(ctx, rencontres.RegistrationFilter{EventID: id})
		if err != nil {
			t.Fatal(err)
		}
		people, orgs := map[rencontres.Country]int{}, map[string]bool{}
		for _, r := range regs {
			people[r.Country]++
			orgs[r.OrgKey] = true
		}
		fmt.Fprintf(&b, "event %d: %+v, people %v, %d authorities\n", id, *c, people, len(orgs))
	}
	return b.String()
}

// findEverywhere lists the columns of every table of the database where
// a text appears, whatever its case: every column is read as text, and
// binary columns as bytes.
func findEverywhere(t *testing.T, s *store.Store, text string) []string {
	t.Helper()
	ctx := context.Background()
	db := s.DB()
	type column struct{ table, name string }
	var cols []column
	binary := map[column]bool{}
	q := `SELECT m.name, c.name FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`
	if s.Dialect() == "postgres" {
		q = `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()`
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.table, &c.name); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	rows.Close()
	if len(cols) < 50 {
		t.Fatalf("only %d columns found: the listing is wrong", len(cols))
	}
	if s.Dialect() == "postgres" {
		rows, err := db.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND data_type = 'bytea'`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var c column
			rows.Scan(&c.table, &c.name)
			binary[c] = true
		}
		rows.Close()
	}
	var where []string
	for _, c := range cols {
		cond := fmt.Sprintf(`LOWER(CAST("%s" AS TEXT)) LIKE '%%' || LOWER($1) || '%%'`, c.name)
		if binary[c] {
			cond = fmt.Sprintf(`position(convert_to($1, 'UTF8') in "%s") > 0`, c.name)
		}
		var n int
		if err := db.QueryRowContext(ctx, fmt.Sprintf(`SELECT COUNT(*) FROM "%s" WHERE %s`, c.table, cond), text).Scan(&n); err != nil {
			t.Fatalf("%s.%s: %v", c.table, c.name, err)
		}
		if n > 0 {
			where = append(where, fmt.Sprintf("%s.%s (%d)", c.table, c.name, n))
		}
	}
	return where
}
