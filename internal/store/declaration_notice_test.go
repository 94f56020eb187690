package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// noticesOf lists the declaration's notices queued for a step, sorted, as
// "address language step".
func noticesOf(t *testing.T, s *store.Store, what string) []string {
	t.Helper()
	var out []string
	for _, m := range queuedMails(t, s, store.DeclarationMailKind) {
		if strings.HasSuffix(m, " "+what) {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return out
}

// The declaration's notices on both databases: every contact of an
// authority registered for the edition told once, in the language of
// their account, when the amendment period is set (not before it opens,
// once however often it is set with the same opening), when the text is
// frozen, when it is adopted and at each correction; a contact of two
// registered authorities told once, a contact of an authority not
// registered (Tokyo) and a removed contact never; the demo's own
// declaration queues none.
func TestDeclarationNotices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newAmendFixture(t, s)
		period := noticesOf(t, s, store.NoticePeriod)
		var contacts []string // the registered authorities' contacts, as "address language"
		for _, m := range period {
			contacts = append(contacts, strings.TrimSuffix(m, " "+store.NoticePeriod))
		}
		for _, want := range []string{"c.lefebvre@example.org fr", "l.fontaine@example.org fr", "y.sato@example.org ja", "a.kobayashi@example.org ja"} {
			if !slices.Contains(contacts, want) {
				t.Errorf("the period's notices %q lack %s", period, want)
			}
		}
		for _, not := range []string{"h.nakamura@example.org", "t.giraud@example.org"} {
			for _, c := range contacts {
				if strings.HasPrefix(c, not) {
					t.Errorf("%s told of the period (Tokyo is not registered; a removed contact is no longer one)", not)
				}
			}
		}
		ms, err := s.Mails(ctx, store.MailFilter{Kind: store.DeclarationMailKind, Status: rencontres.MailQueued})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) == 0 {
			t.Fatal("no notice of the period")
		}
		for _, m := range ms {
			// The demo's adopted declaration (on the 8th now) told nobody.
			var p store.DeclarationMail
			if err := json.Unmarshal(m.Payload, &p); err != nil || p.Declaration != f.decl.ID || p.Opens == nil || !p.Opens.Equal(f.opens) {
				t.Errorf("a notice queued of %+v (%v), want the period of declaration %d", p, err, f.decl.ID)
			}
			if !m.NotBefore.Equal(f.opens) {
				t.Errorf("the period's notice to %s leaves at %v, want its opening %v", m.ToEmail, m.NotBefore, f.opens)
			}
		}
		// Set again with the same opening, a later deadline: nobody is
		// told twice.
		later := f.closes.Add(24 * time.Hour)
		if err := s.SetAmendmentPeriod(ctx, f.decl.ID, &f.opens, &later, f.now); err != nil {
			t.Fatal(err)
		}
		if got := noticesOf(t, s, store.NoticePeriod); !slices.Equal(got, period) {
			t.Errorf("the period set again: %q, want %q", got, period)
		}

		// Marseille's contact becomes Strasbourg's too: one email each.
		if err := s.BindOrganisation(ctx, f.fr.ID, "fr-67482"); err != nil {
			t.Fatal(err)
		}
		until := f.now.Add(72 * time.Hour)
		if err := s.FreezeDeclaration(ctx, f.decl.ID, rencontres.AdoptionEndorsement, &until, nil, f.now); err != nil {
			t.Fatal(err)
		}
		step := func(what string) {
			t.Helper()
			got := noticesOf(t, s, what)
			want := make([]string, len(contacts))
			for i, c := range contacts {
				want[i] = c + " " + what
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: notices %q, want %q", what, got, want)
			}
		}
		step(store.NoticeFrozen)
		if err := s.EndorseDeclaration(ctx, f.decl.ID, "fr-13055", f.fr.ID, f.now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.AdoptDeclaration(ctx, f.decl.ID, f.drafter, f.now.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		step(store.NoticeAdopted)
		d, err := s.Declaration(ctx, f.decl.ID)
		if err != nil {
			t.Fatal(err)
		}
		correct := func(fr string) {
			t.Helper()
			sg := d.Segments[0]
			if _, err := s.CorrectDeclaration(ctx, d.ID, []*rencontres.Segment{{ID: sg.ID, Version: sg.Version, Text: rencontres.Text{"fr": fr, "ja": sg.Text["ja"]}}},
				rencontres.Text{"fr": "Coquille"}, f.drafter, f.now.Add(3*time.Hour)); err != nil {
				t.Fatal(err)
			}
			if d, err = s.Declaration(ctx, f.decl.ID); err != nil {
				t.Fatal(err)
			}
		}
		correct("Les collectivités coopèrent étroitement.")
		step(store.NoticeCorrected)
		correct("Les collectivités coopèrent très étroitement.")
		if got := noticesOf(t, s, store.NoticeCorrected); len(got) != 2*len(contacts) {
			t.Errorf("two corrections: %d notices, want %d", len(got), 2*len(contacts))
		}
		// Nothing half-saved: a refused step queues nothing.
		n := len(queuedMails(t, s, store.DeclarationMailKind))
		if err := s.AdoptDeclaration(ctx, f.decl.ID, f.drafter, f.now.Add(4*time.Hour)); err == nil {
			t.Fatal("adopted twice")
		}
		if got := len(queuedMails(t, s, store.DeclarationMailKind)); got != n {
			t.Errorf("a refused adoption queued %d notices", got-n)
		}
	})
}
