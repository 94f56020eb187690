package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// callFixture is a call for good practices on the demo's 7th edition
// (workshops économie, société, environnement), open from 10 January to
// 31 March 2026 at 23:59:59, Paris time, with a required question; and
// Marseille's contact, whose twin is Kobe.
type callFixture struct {
	call    *rencontres.Call
	contact *rencontres.User // c.lefebvre, Marseille (fr-13055)
	other   *rencontres.User // h.arnaud, Marseille too
	now     time.Time        // while the call is open
	paris   *time.Location
}

func newCallFixture(t *testing.T, s *store.Store) *callFixture {
	t.Helper()
	ctx := context.Background()
	e7 := demoEdition(t, s, 7)
	var err error
	paris, _ := time.LoadLocation("Europe/Paris")
	reviewOpens := time.Date(2026, 4, 1, 9, 0, 0, 0, paris)
	c := &rencontres.Call{EventID: e7.ID, Kind: rencontres.CallPractice,
		Title:     rencontres.Text{"fr": "Appel à bonnes pratiques", "ja": "優良事例の募集", "en": "Call for good practices"},
		Intro:     rencontres.Text{"fr": "Présentez une politique locale réussie."},
		Opens:     time.Date(2026, 1, 10, 9, 0, 0, 0, paris),
		Deadline:  time.Date(2026, 3, 31, 23, 59, 59, 0, paris),
		Workshops: []int{3, 1, 2},
		Questions: []rencontres.Question{{Key: "budget", Label: rencontres.Text{"fr": "Budget annuel"}, Kind: rencontres.NumberQuestion, Required: true}},
		Categories: []rencontres.ScoreCategory{
			{Key: "relevance", Label: rencontres.Text{"fr": "Pertinence"}, Min: 1, Max: 5, Weight: 2},
			{Key: "transfer", Label: rencontres.Text{"fr": "Transférabilité"}, Min: 0, Max: 10, Weight: 1},
		},
		Blind: true, Visibility: rencontres.SeeAfterOwn, MinReviews: 2, ReviewOpens: &reviewOpens}
	if err := s.SaveCall(ctx, c, 0); err != nil {
		t.Fatal(err)
	}
	f := &callFixture{call: c, now: time.Date(2026, 2, 15, 10, 0, 0, 0, paris), paris: paris}
	if f.contact, err = s.UserByEmail(ctx, "c.lefebvre@example.org"); err != nil {
		t.Fatal(err)
	}
	if f.other, err = s.UserByEmail(ctx, "h.arnaud@example.org"); err != nil {
		t.Fatal(err)
	}
	return f
}

// proposal is a valid proposal of Marseille's, in French only.
func (f *callFixture) proposal() *rencontres.Proposal {
	return &rencontres.Proposal{CallID: f.call.ID,
		Title:      rencontres.Text{"fr": "Le port, école de la transition"},
		Summary:    rencontres.Text{"fr": "Une formation partagée des agents portuaires de Marseille et de Kobe."},
		SDGs:       []int{14, 9},
		Workshop:   3,
		Answers:    map[string]string{"budget": "120000"},
		Orgs:       []rencontres.ProposalOrg{{Key: "fr-13055", Role: rencontres.LeadProposer}, {Key: "jp-281000", Role: rencontres.PartnerOrg}},
		Presenters: []rencontres.Presenter{{UserID: f.other.ID}, {Person: "Jeanne MARTIN", Function: rencontres.Text{"fr": "Adjointe au maire"}}},
	}
}

func faultFields(t *testing.T, err error) []string {
	t.Helper()
	e, ok := err.(*rencontres.Error)
	if !ok {
		t.Fatalf("want a *rencontres.Error, got %v", err)
	}
	var fields []string
	for _, f := range e.All() {
		fields = append(fields, f.Field)
	}
	return fields
}

func mustFields(t *testing.T, err error, want ...string) {
	t.Helper()
	got := faultFields(t, err)
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("faults %v: want one on %q (error %v)", got, w, err)
		}
	}
}

func TestCallRoundTripAndFaults(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newCallFixture(t, s)
		got, err := s.Call(ctx, f.call.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Workshops, []int{1, 2, 3}) || !got.Deadline.Equal(f.call.Deadline) || !got.Blind || got.MinReviews != 2 ||
			len(got.Categories) != 2 || got.Categories[0].Weight != 2 || got.Questions[0].Key != "budget" || got.ReviewOpens == nil ||
			!got.ReviewOpens.Equal(*f.call.ReviewOpens) || got.ReviewCloses != nil || got.Title["ja"] != "優良事例の募集" {
			t.Errorf("call read back as %+v", got)
		}
		// The demo's call of 2021 comes after this one, newest deadline first.
		calls, err := s.Calls(ctx, f.call.EventID)
		if err != nil || len(calls) != 2 || calls[0].ID != f.call.ID || !calls[1].Deadline.Before(calls[0].Deadline) {
			t.Fatalf("Calls = %v, %v", calls, err)
		}

		// Every fault at once, nothing saved.
		bad := *f.call
		bad.ID, bad.Kind, bad.Title = 0, "lottery", nil
		bad.Deadline = bad.Opens.Add(-time.Hour)
		bad.Workshops = []int{4}
		bad.Categories = []rencontres.ScoreCategory{{Key: "x", Label: rencontres.Text{"fr": "X"}, Min: 5, Max: 1, Weight: 1}}
		bad.Visibility = "sometimes"
		before, _ := s.Calls(ctx, 0)
		err = s.SaveCall(ctx, &bad, 0)
		mustFields(t, err, "kind", "title", "deadline", "workshops", "categories[0]", "visibility")
		// The demo's calls (that of the 6th edition's practices too) and
		// this one.
		if calls, _ := s.Calls(ctx, 0); len(calls) != len(before) {
			t.Errorf("a refused call was saved: %d calls, had %d", len(calls), len(before))
		}

		// A meeting outside any edition has no workshops to feed.
		e9, _ := s.Edition(ctx, "raict", 15)
		if e9 != nil {
			other := *f.call
			other.ID, other.EventID, other.Workshops = 0, e9.ID, []int{1}
			mustFields(t, s.SaveCall(ctx, &other, 0), "workshops")
		}

		// A campaign points to a call of its own event only.
		campaigns, err := s.Campaigns(ctx, 0)
		if err != nil || len(campaigns) == 0 {
			t.Fatalf("demo campaigns: %v, %v", campaigns, err)
		}
		camp := campaigns[0]
		if err := s.SetCampaignCall(ctx, camp.ID, f.call.ID); rencontres.ErrorCode(err) != rencontres.EINVALID {
			t.Errorf("a campaign pointed to another event's call: %v", err)
		}
		copil := *f.call
		copil.ID, copil.EventID, copil.Workshops = 0, camp.EventID, nil
		if err := s.SaveCall(ctx, &copil, 0); err != nil {
			t.Fatal(err)
		}
		if err := s.SetCampaignCall(ctx, camp.ID, copil.ID); err != nil {
			t.Fatal(err)
		}
		if c, err := s.CampaignCall(ctx, camp.ID); err != nil || c == nil || c.ID != copil.ID {
			t.Errorf("CampaignCall = %v, %v", c, err)
		}
		if err := s.SetCampaignCall(ctx, camp.ID, 0); err != nil {
			t.Fatal(err)
		}
		if c, err := s.CampaignCall(ctx, camp.ID); err != nil || c != nil {
			t.Errorf("CampaignCall after unsetting = %v, %v", c, err)
		}
		if err := s.DeleteCall(ctx, copil.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Call(ctx, copil.ID); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("deleted call: %v", err)
		}
	})
}

func TestProposalLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newCallFixture(t, s)
		hook := hookEndpoint(t, s, rencontres.HookProposalSubmitted, rencontres.HookProposalDecided)
		p := f.proposal()
		if err := s.SaveProposal(ctx, p, f.contact.ID, f.now); err != nil {
			t.Fatal(err)
		}
		got, err := s.Proposal(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Lead() != "fr-13055" || len(got.Orgs) != 2 || got.Orgs[1].Key != "jp-281000" || got.Orgs[1].Name["fr"] != "Kobe" && got.Orgs[1].Name.IsZero() ||
			!slices.Equal(got.SDGs, []int{9, 14}) || got.Workshop != 3 || got.Answers["budget"] != "120000" || got.State != rencontres.ProposalSubmitted ||
			got.ContactEmail != "c.lefebvre@example.org" || got.ContactName == "" || got.SubmittedBy != f.contact.ID {
			t.Errorf("proposal read back as %+v", got)
		}
		if len(got.Presenters) != 2 || got.Presenters[0].UserID != f.other.ID || got.Presenters[0].Person == "" || got.Presenters[0].OrgKey != "fr-13055" ||
			got.Presenters[1].Person != "Jeanne MARTIN" || got.Presenters[1].Function["fr"] != "Adjointe au maire" {
			t.Errorf("presenters read back as %+v", got.Presenters)
		}
		if !got.TranslationPending() {
			t.Error("a French-only proposal is not pending translation")
		}
		mails, err := s.Mails(ctx, store.MailFilter{Kind: store.ProposalMailKind, Status: rencontres.MailQueued})
		if err != nil || len(mails) != 1 || mails[0].ToEmail != "c.lefebvre@example.org" || mails[0].Lang != rencontres.French {
			t.Fatalf("confirmation mails = %+v, %v", mails, err)
		}
		var pm store.ProposalMail
		if err := json.Unmarshal(mails[0].Payload, &pm); err != nil || pm.Proposal != p.ID || pm.What != "submitted" {
			t.Errorf("payload %s", mails[0].Payload)
		}

		// The Japanese comes later; two changes in a row are told once.
		p.Title["ja"] = "港、移行の学校"
		p.Summary["ja"] = "マルセイユと神戸の港湾職員の共同研修。"
		if err := s.SaveProposal(ctx, p, f.contact.ID, f.now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		p.SDGs = []int{14}
		if err := s.SaveProposal(ctx, p, f.contact.ID, f.now.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got := hookTypes(t, s, hook); !slices.Equal(got, []string{rencontres.HookProposalSubmitted}) {
			t.Errorf("webhooks told %v, want the submission once, not the changes", got)
		}
		got, _ = s.Proposal(ctx, p.ID)
		if got.TranslationPending() || !slices.Equal(got.SDGs, []int{14}) {
			t.Errorf("after the translation: %+v", got)
		}
		if mails, _ := s.Mails(ctx, store.MailFilter{Kind: store.ProposalMailKind, Status: rencontres.MailQueued}); len(mails) != 2 {
			t.Errorf("%d mails after two changes, want the confirmation and one change", len(mails))
		}

		// Listed for its authority and its partner, not for another.
		for key, want := range map[string]int{"fr-13055": 1, "jp-281000": 1, "fr-13001": 0} {
			list, err := s.Proposals(ctx, rencontres.ProposalFilter{CallID: f.call.ID, OrgKey: key})
			if err != nil || len(list) != want {
				t.Errorf("proposals of %s: %d, %v; want %d", key, len(list), err, want)
			}
		}
		if list, _ := s.Proposals(ctx, rencontres.ProposalFilter{CallID: f.call.ID, State: rencontres.ProposalSubmitted}); len(list) != 1 || len(list[0].Orgs) != 2 {
			t.Errorf("proposals of the call: %+v", list)
		}

		// The lead does not change; a call with proposals is not deleted.
		moved := *p
		moved.Orgs = []rencontres.ProposalOrg{{Key: "fr-13001", Role: rencontres.LeadProposer}}
		mustFields(t, s.SaveProposal(ctx, &moved, f.contact.ID, f.now), "organisation")
		if err := s.DeleteCall(ctx, f.call.ID); rencontres.ErrorCode(err) != rencontres.ECONFLICT {
			t.Errorf("deleted a call with proposals: %v", err)
		}

		// Withdrawn before the deadline, then no more changes.
		if err := s.WithdrawProposal(ctx, p.ID, f.contact.ID, f.now.Add(3*time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Proposal(ctx, p.ID)
		if got.State != rencontres.ProposalWithdrawn {
			t.Errorf("state %q after withdrawal", got.State)
		}
		if err := s.SaveProposal(ctx, p, f.contact.ID, f.now.Add(4*time.Hour)); rencontres.ErrorCode(err) != rencontres.ECONFLICT {
			t.Errorf("changed a withdrawn proposal: %v", err)
		}
		if mails, _ := s.Mails(ctx, store.MailFilter{Kind: store.ProposalMailKind, Status: rencontres.MailQueued}); len(mails) != 3 {
			t.Errorf("%d mails after withdrawal, want 3", len(mails))
		}
	})
}

func TestProposalRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newCallFixture(t, s)
		count := func() (int, int) {
			list, _ := s.Proposals(ctx, rencontres.ProposalFilter{CallID: f.call.ID})
			mails, _ := s.Mails(ctx, store.MailFilter{Kind: store.ProposalMailKind, Status: rencontres.MailQueued})
			return len(list), len(mails)
		}

		// Before the opening and after the deadline, on the event's clock.
		for _, tc := range []struct {
			at  time.Time
			key string
		}{
			{f.call.Opens.Add(-time.Second), "proposal.err_not_open"},
			{f.call.Deadline.Add(time.Second), "proposal.err_closed"},
		} {
			err := s.SaveProposal(ctx, f.proposal(), f.contact.ID, tc.at)
			e, ok := err.(*rencontres.Error)
			if !ok || e.Key != tc.key || e.Code != rencontres.ECONFLICT {
				t.Errorf("at %v: %v, want %s", tc.at, err, tc.key)
			}
		}
		if err := s.SaveProposal(ctx, f.proposal(), f.contact.ID, f.call.Deadline.Add(-time.Second)); err != nil {
			t.Errorf("a second before the deadline: %v", err)
		}

		// Every fault of the input at once.
		p := f.proposal()
		p.Summary = rencontres.Text{"en": "English only"}
		p.Title = rencontres.Text{}
		p.SDGs = []int{3, 18}
		p.Workshop = 4
		p.Answers = nil
		p.Orgs = append(p.Orgs, rencontres.ProposalOrg{Key: "fr-99999", Role: rencontres.CoProposer})
		p.Presenters = append(p.Presenters, rencontres.Presenter{UserID: f.contact.ID + 1000}, rencontres.Presenter{})
		p.ContactName, p.ContactEmail = "Camille", "not an address"
		err := s.SaveProposal(ctx, p, f.contact.ID, f.now)
		mustFields(t, err, "title", "summary", "sdgs", "workshop", "answers.budget", "organisations", "presenters[2]", "presenters[3]", "contact_email")
		if n, m := count(); n != 1 || m != 1 {
			t.Errorf("after refusals: %d proposals and %d mails, want the one made before the deadline", n, m)
		}

		// A presenter chosen among accounts belongs to a proposing authority.
		aix, err := s.UserByEmail(ctx, "t.giraud@example.org")
		if err != nil {
			t.Fatal(err)
		}
		p = f.proposal()
		p.Presenters = []rencontres.Presenter{{UserID: aix.ID}}
		mustFields(t, s.SaveProposal(ctx, p, f.contact.ID, f.now), "presenters[0]")
		p.Orgs = append(p.Orgs, rencontres.ProposalOrg{Key: "fr-13001", Role: rencontres.CoProposer})
		if err := s.SaveProposal(ctx, p, f.contact.ID, f.now); err != nil {
			t.Errorf("Aix's contact presenting a proposal Aix co-proposes: %v", err)
		}
		if err := s.SaveProposal(ctx, &rencontres.Proposal{CallID: f.call.ID + 99}, f.contact.ID, f.now); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("unknown call: %v", err)
		}
		if err := s.WithdrawProposal(ctx, p.ID, f.contact.ID, f.call.Deadline); rencontres.ErrorCode(err) != rencontres.ECONFLICT {
			t.Errorf("withdrawn at the deadline: %v", err)
		}
	})
}

var (
	pdfBytes = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
)

func TestProposalDocuments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newCallFixture(t, s)
		p := f.proposal()
		if err := s.SaveProposal(ctx, p, f.contact.ID, f.now); err != nil {
			t.Fatal(err)
		}
		d := &rencontres.ProposalDocument{ProposalID: p.ID, Name: "presentation.pdf"}
		if err := s.AddProposalDocument(ctx, d, pdfBytes, f.contact.ID); err != nil {
			t.Fatal(err)
		}
		img := &rencontres.ProposalDocument{ProposalID: p.ID, Name: `C:\photos\port.png`}
		if err := s.AddProposalDocument(ctx, img, pngBytes, f.contact.ID); err != nil {
			t.Fatal(err)
		}
		// A document that lies about its type is refused, naming the file.
		liar := &rencontres.ProposalDocument{ProposalID: p.ID, Name: "rapport.pdf"}
		err := s.AddProposalDocument(ctx, liar, pngBytes, f.contact.ID)
		if e, ok := err.(*rencontres.Error); !ok || e.Field != "file" || e.Code != rencontres.EINVALID {
			t.Errorf("a PNG named .pdf: %v", err)
		}
		got, err := s.Proposal(ctx, p.ID)
		if err != nil || len(got.Documents) != 2 || got.Documents[0].ContentType != "application/pdf" || got.Documents[1].Name != "port.png" ||
			got.Documents[0].EventID != f.call.EventID || got.Documents[0].Size != int64(len(pdfBytes)) {
			t.Fatalf("documents %+v, %v", got.Documents, err)
		}
		meta, data, err := s.ProposalDocumentData(ctx, d.ID)
		if err != nil || string(data) != string(pdfBytes) || meta.ProposalID != p.ID || meta.SHA256 == "" {
			t.Errorf("data of the PDF: %v, %d bytes, %v", meta, len(data), err)
		}
		if err := s.DeleteProposalDocument(ctx, p.ID+1, d.ID); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("deleted through another proposal: %v", err)
		}
		if err := s.DeleteProposalDocument(ctx, p.ID, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.ProposalDocumentData(ctx, d.ID); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("deleted document: %v", err)
		}
		// A change keeps the documents.
		p.Summary["ja"] = "要約"
		if err := s.SaveProposal(ctx, p, f.contact.ID, f.now); err != nil || len(p.Documents) != 1 {
			t.Errorf("after a change: %d documents, %v", len(p.Documents), err)
		}
	})
}

// Five years after the 7th edition, the demo's proposals keep no contact,
// and those not accepted no presenter; the accepted one keeps its
// presenters, who spoke at the edition. Before then, nothing changes.
func TestRetentionOfProposals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e7 := demoEdition(t, s, 7) // ended 6 October 2022
		// The proposals made through the form to the 7th edition's call,
		// not yet decided (the library's demo practices, released, keep
		// their presenters: they were accepted).
		all, err := s.Proposals(ctx, rencontres.ProposalFilter{})
		var list []*rencontres.Proposal
		for _, p := range all {
			if c, _ := s.Call(ctx, p.CallID); c != nil && c.EventID == e7.ID && len(p.Presenters) > 0 && p.Released == nil {
				list = append(list, p)
			}
		}
		if err != nil || len(list) < 2 {
			t.Fatalf("the demo's proposals: %d, %v", len(list), err)
		}
		accepted := list[0]
		if _, err := s.DB().ExecContext(ctx, "UPDATE proposals SET decision = 'accepted' WHERE id = $1", accepted.ID); err != nil {
			t.Fatal(err)
		}
		end := time.Date(e7.End.Year, e7.End.Month, e7.End.Day, 0, 0, 0, 0, time.UTC)
		if _, err := s.PurgeExpired(ctx, end.AddDate(store.ProposalRetentionYears, 0, 0), time.Hour); err != nil {
			t.Fatal(err)
		}
		for _, p := range list {
			got, _ := s.Proposal(ctx, p.ID)
			if got.ContactEmail != p.ContactEmail || got.ContactName != p.ContactName || got.Presenters[0].Person != p.Presenters[0].Person {
				t.Errorf("proposal %d changed before its time: %+v", p.ID, got)
			}
		}
		if _, err := s.PurgeExpired(ctx, end.AddDate(store.ProposalRetentionYears, 0, 2), time.Hour); err != nil {
			t.Fatal(err)
		}
		for _, p := range list {
			got, _ := s.Proposal(ctx, p.ID)
			if got.ContactName != store.ErasedName || got.ContactEmail == p.ContactEmail {
				t.Errorf("proposal %d keeps its contact %q <%s>", p.ID, got.ContactName, got.ContactEmail)
			}
			kept := got.Presenters[0].Person == p.Presenters[0].Person
			if want := p.ID == accepted.ID; kept != want {
				t.Errorf("proposal %d (accepted: %v) presenters %+v", p.ID, want, got.Presenters)
			}
		}
	})
}
