package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// faults lists the fields of every fault of an error.
func faults(t *testing.T, err error) map[string]*rencontres.Error {
	t.Helper()
	var e *rencontres.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not a domain error", err)
	}
	out := map[string]*rencontres.Error{}
	for _, f := range e.All() {
		out[f.Field] = f
	}
	return out
}

func TestPartnershipsKeptBySecretariat(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, _, err := s.UpsertOrganisations(ctx, kumamoto()); err != nil {
			t.Fatal(err)
		}
		p := &rencontres.Partnership{A: "fr-13001", B: "jp-431001", Kind: rencontres.Jumelage, Year: 2013}
		if err := s.CreatePartnership(ctx, p); err != nil {
			t.Fatal(err)
		}
		if p.ID == 0 || p.State != rencontres.StateActive {
			t.Fatalf("created %+v: want an id and the active state", p)
		}
		// The same pair and kind, in the other order: refused, naming the
		// one that exists.
		again := &rencontres.Partnership{A: "jp-431001", B: "fr-13001", Kind: rencontres.Jumelage, Year: 2020}
		err := s.CreatePartnership(ctx, again)
		if got := rencontres.ErrorCode(err); got != rencontres.ECONFLICT {
			t.Fatalf("duplicate in the other order: %v, want a conflict", err)
		}
		dup := faults(t, err)["b"]
		if dup == nil || dup.Key != "partnership_error.duplicate_jumelage" || dup.Args["Year"] != 2013 ||
			dup.Args["A"].(rencontres.Text)["ja"] != "熊本市" || dup.Args["B"].(rencontres.Text)["fr"] != "Aix-en-Provence" {
			t.Errorf("duplicate named as %+v", dup)
		}
		// Another kind between the same pair is another agreement.
		pact := &rencontres.Partnership{A: "jp-431001", B: "fr-13001", Kind: rencontres.OtherAgreement,
			KindLabel: rencontres.Text{"fr": "Charte de coopération universitaire"}, Year: 2015}
		if err := s.CreatePartnership(ctx, pact); err != nil {
			t.Fatal(err)
		}
		// Every fault at once, and nothing written.
		bad := &rencontres.Partnership{A: "fr-13001", B: "fr-13001", Kind: rencontres.OtherAgreement, Year: 2010, YearEnded: 2001, State: "asleep"}
		f := faults(t, s.CreatePartnership(ctx, bad))
		for _, field := range []string{"b", "kind_label", "year_ended", "state"} {
			if f[field] == nil {
				t.Errorf("fault on %s missing: %v", field, f)
			}
		}
		if f["b"] != nil && f["b"].Key != "error.self_partnership" {
			t.Errorf("fault on b: %s, want the self-partnership refusal", f["b"].Key)
		}
		if f := faults(t, s.CreatePartnership(ctx, &rencontres.Partnership{A: "fr-99999", B: "jp-431001", Kind: rencontres.Jumelage})); f["a"] == nil {
			t.Errorf("an unknown authority: %v", f)
		}
		all, err := s.AllPartnerships(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 2 {
			t.Fatalf("%d partnerships after the refusals, want 2", len(all))
		}
		for _, p := range all {
			if p.OrgA == nil || p.OrgB == nil {
				t.Fatalf("partnership %d without its sides", p.ID)
			}
			for _, area := range []*rencontres.Organisation{p.AreaA, p.AreaB} {
				if area != nil && area.Key != "jp-430005" {
					t.Errorf("area %s, want Kumamoto prefecture", area.Key)
				}
			}
		}
		// Ending it: the year it ended, and its state.
		p.YearEnded, p.State = 2024, rencontres.StateEnded
		if err := s.UpdatePartnership(ctx, p); err != nil {
			t.Fatal(err)
		}
		got, err := s.Partnership(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.YearEnded != 2024 || got.State != rencontres.StateEnded || got.Year != 2013 {
			t.Errorf("after the end: %+v", got)
		}
		p.YearEnded = 2000
		if f := faults(t, s.UpdatePartnership(ctx, p)); f["year_ended"] == nil || f["year_ended"].Key != "partnership_error.ended_before_signed" {
			t.Errorf("ended before signed: %v", f)
		}
		// Editing the other agreement into a duplicate of the first is refused too.
		pact.Kind, pact.KindLabel = rencontres.Jumelage, nil
		if err := s.UpdatePartnership(ctx, pact); rencontres.ErrorCode(err) != rencontres.ECONFLICT {
			t.Errorf("an edit into a duplicate: %v", err)
		}
		// Both sides list it.
		for _, key := range []string{"fr-13001", "jp-431001"} {
			if list, err := s.Partnerships(ctx, key); err != nil || len(list) != 2 {
				t.Errorf("%s lists %d partnerships (%v), want 2", key, len(list), err)
			}
		}
	})
}

func TestPartnershipSurvey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		p, contact := twinnedWithContact(t, s, rencontres.ExchangeCity, "relations@example.org")
		admin := &rencontres.User{Email: "secretariat@example.org", Name: "Sophie MARCHAND", Lang: rencontres.French, Role: rencontres.Secretariat}
		if err := s.CreateUser(ctx, admin, ""); err != nil {
			t.Fatal(err)
		}
		rows, err := s.PartnershipSurvey(ctx, rencontres.France)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].Org.Key != "fr-13001" || rows[0].Status != rencontres.NotAnswered || rows[0].Partnerships != 1 {
			t.Fatalf("survey before any answer: %+v", rows)
		}
		// An authority that is not a side cannot report on it.
		other := &rencontres.PartnershipReport{PartnershipID: p.ID, OrgKey: "jp-430005", State: rencontres.StateDormant}
		if err := s.ReportPartnership(ctx, other); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("a report by another authority: %v, want not found", err)
		}
		if err := s.ReportPartnership(ctx, &rencontres.PartnershipReport{PartnershipID: p.ID, OrgKey: "fr-13001", State: "asleep"}); err == nil {
			t.Error("a report with an unknown state was accepted")
		}
		r := &rencontres.PartnershipReport{PartnershipID: p.ID, OrgKey: "fr-13001", State: rencontres.StateDormant,
			LastExchanges: "Visite d’une délégation de Kumamoto en mars 2024.", CurrentProjects: "Échanges scolaires à relancer.", AuthorID: contact.ID}
		if err := s.ReportPartnership(ctx, r); err != nil {
			t.Fatal(err)
		}
		got, err := s.Partnership(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != rencontres.StateDormant || got.CurrentProjects != r.CurrentProjects || got.LastExchanges != r.LastExchanges {
			t.Errorf("the partnership after the answer: %+v", got)
		}
		rows, _ = s.PartnershipSurvey(ctx, rencontres.France)
		if rows[0].Status != rencontres.ToReview || rows[0].Answered.IsZero() || len(rows[0].Reports) != 1 || rows[0].Reports[0].Author != "Claire DUVAL" {
			t.Fatalf("survey after the answer: %+v", rows[0])
		}
		if err := s.ReviewPartnershipReport(ctx, r.ID, admin.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := s.ReviewPartnershipReport(ctx, r.ID+100, admin.ID, time.Now()); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("reviewing a report that does not exist: %v", err)
		}
		rows, _ = s.PartnershipSurvey(ctx, "")
		if len(rows) != 2 {
			t.Fatalf("survey of both countries: %d rows, want 2", len(rows))
		}
		for _, row := range rows {
			want := rencontres.NotAnswered
			if row.Org.Key == "fr-13001" {
				want = rencontres.Reviewed
				if rep := row.Reports[0]; rep.Reviewed == nil || rep.ReviewedBy != "Sophie MARCHAND" {
					t.Errorf("the reviewed answer: %+v", rep)
				}
			}
			if row.Status != want {
				t.Errorf("%s: %s, want %s", row.Org.Key, row.Status, want)
			}
		}
		// The signed agreement: typed by its content, a lie refused.
		pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
		if err := s.SavePartnershipAgreement(ctx, p.ID, "convention.docx", pdf, admin.ID); err == nil {
			t.Error("a PDF named .docx was accepted")
		}
		if err := s.SavePartnershipAgreement(ctx, p.ID, `C:\scans\convention.pdf`, pdf, admin.ID); err != nil {
			t.Fatal(err)
		}
		ag, data, err := s.PartnershipAgreement(ctx, p.ID)
		if err != nil || ag.ContentType != "application/pdf" || ag.Name != "convention.pdf" || string(data) != string(pdf) {
			t.Errorf("agreement read back: %+v, %v", ag, err)
		}
		if got, _ := s.Partnership(ctx, p.ID); got.Agreement == nil || got.Agreement.Size != int64(len(pdf)) {
			t.Errorf("the partnership's agreement: %+v", got.Agreement)
		}
	})
}

// An answer to the état des lieux is the author's personal data: it is in
// their export, their name leaves its text when they are erased, and once
// reviewed it goes after its retention period.
func TestPartnershipReportsPersonalData(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		p, contact := twinnedWithContact(t, s, rencontres.Jumelage, "c.duval@example.org")
		old := &rencontres.PartnershipReport{PartnershipID: p.ID, OrgKey: "fr-13001", State: rencontres.StateActive,
			LastExchanges: "Visite de Claire DUVAL à Kumamoto.", AuthorID: contact.ID, Created: time.Now().AddDate(-6, 0, 0)}
		recent := &rencontres.PartnershipReport{PartnershipID: p.ID, OrgKey: "fr-13001", State: rencontres.StateActive,
			LastExchanges: "Claire DUVAL a reçu la délégation de Kumamoto.", AuthorID: contact.ID}
		for _, r := range []*rencontres.PartnershipReport{old, recent} {
			if err := s.ReportPartnership(ctx, r); err != nil {
				t.Fatal(err)
			}
			if err := s.ReviewPartnershipReport(ctx, r.ID, 0, r.Created); err != nil {
				t.Fatal(err)
			}
		}
		d, err := s.PersonalData(ctx, contact.ID)
		if err != nil || len(d.PartnershipReports) != 2 {
			t.Fatalf("their export holds %d answers (%v), want 2", len(d.PartnershipReports), err)
		}
		if _, err := s.PurgeExpired(ctx, time.Now(), time.Hour); err != nil {
			t.Fatal(err)
		}
		if list, _ := s.PartnershipReports(ctx, p.ID); len(list) != 1 || list[0].ID != recent.ID {
			t.Errorf("after the purge: %d answers, want the recent one", len(list))
		}
		if err := s.EraseUser(ctx, contact.ID); err != nil {
			t.Fatal(err)
		}
		list, _ := s.PartnershipReports(ctx, p.ID)
		got, _ := s.Partnership(ctx, p.ID)
		for _, text := range []string{list[0].LastExchanges, list[0].Author, got.LastExchanges} {
			if strings.Contains(text, "DUVAL") || strings.Contains(text, "Claire") {
				t.Errorf("after the erasure: %q", text)
			}
		}
		if !strings.Contains(got.LastExchanges, "délégation de Kumamoto") {
			t.Errorf("the erasure took more than the name: %q", got.LastExchanges)
		}
	})
}

// twinnedWithContact records Aix-en-Provence and Kumamoto, a partnership of
// kind between them since 2013, and Claire DUVAL, Aix's contact, at email.
func twinnedWithContact(t *testing.T, s *store.Store, kind rencontres.PartnershipKind, email string) (*rencontres.Partnership, *rencontres.User) {
	t.Helper()
	ctx := context.Background()
	if _, _, err := s.UpsertOrganisations(ctx, kumamoto()); err != nil {
		t.Fatal(err)
	}
	p := &rencontres.Partnership{A: "fr-13001", B: "jp-431001", Kind: kind, Year: 2013}
	if err := s.CreatePartnership(ctx, p); err != nil {
		t.Fatal(err)
	}
	contact := &rencontres.User{Email: email, Name: "Claire DUVAL", Lang: rencontres.French, Role: rencontres.AuthorityContact}
	if err := s.InviteUser(ctx, contact, "fr-13001"); err != nil {
		t.Fatal(err)
	}
	return p, contact
}
