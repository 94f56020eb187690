package store_test

import (
	"context"
	"testing"

	"github.com/rencontres/rencontres/internal/contactimport"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/sheet"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// preview reads a file and computes its import's preview against what the
// store holds, as the import page and command do.
func preview(t *testing.T, s *store.Store, data string, choices map[int]string) *contactimport.Preview {
	t.Helper()
	ctx := context.Background()
	tab, err := sheet.Read([]byte(data), sheet.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir, err := s.ImportDirectory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	known, err := s.KnownContacts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return contactimport.Build(contactimport.Input{Table: tab, Index: contactimport.NewIndex(dir), Known: known, Choices: choices})
}

func TestImportContacts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, _, err := s.UpsertOrganisations(ctx, kumamoto()); err != nil {
			t.Fatal(err)
		}
		existing := &rencontres.User{Email: "claire@example.org", Name: "Claire DUMONT", Lang: "fr", Role: rencontres.Secretariat}
		if err := s.CreateUser(ctx, existing, "hash"); err != nil {
			t.Fatal(err)
		}
		file := "Collectivité,Nom,氏名,Courriel,Fonction,Téléphone,Contact principal\n" +
			"熊本市,Hanako KUMAMOTO,熊本 花子,hanako@example.org,国際交流課長,+81 96-000-0000,oui\n" +
			"Kumamoto,Taro SHIZUKA,,taro@example.org,,,\n" +
			"Ville d'Aix-en-Provence,Claire DUMONT,,Claire@example.org,Chargée de mission,,\n"
		p := preview(t, s, file, map[int]string{3: "jp-430005"})
		if !p.Ready() || p.Counts[contactimport.Created] != 2 || p.Counts[contactimport.Updated] != 1 {
			t.Fatalf("preview counts %v, problems %+v", p.Counts, p.Problems)
		}
		created, updated, err := s.ImportContacts(ctx, nil, "contacts.csv", p.Writes())
		if err != nil || created != 2 || updated != 1 {
			t.Fatalf("import: %d created, %d updated, %v", created, updated, err)
		}
		hanako, err := s.UserByEmail(ctx, "hanako@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if hanako.NameJa != "熊本 花子" || hanako.Phone != "+81 96-000-0000" || hanako.Role != rencontres.AuthorityContact ||
			hanako.Lang != rencontres.Japanese || len(hanako.OrgKeys) != 1 || hanako.OrgKeys[0] != "jp-431001" || hanako.HasPassword {
			t.Errorf("imported contact %+v", hanako)
		}
		claire, _ := s.UserByEmail(ctx, "claire@example.org")
		if claire.Role != rencontres.Secretariat || !claire.HasPassword || claire.Function != "Chargée de mission" {
			t.Errorf("an import changed an account's role or password: %+v", claire)
		}
		known, _ := s.KnownContacts(ctx)
		if m := known["hanako@example.org"].Memberships; len(m) != 1 || !m[0].MainContact {
			t.Errorf("memberships %+v", m)
		}

		// The same file again changes nothing.
		p = preview(t, s, file, map[int]string{3: "jp-430005"})
		if p.Counts[contactimport.Unchanged] != 3 || len(p.Writes()) != 0 {
			t.Fatalf("second preview %v", p.Counts)
		}

		// A contact removed from an authority is one of its contacts again
		// when a list names them.
		if _, err := s.DB().ExecContext(ctx, "UPDATE user_organisations SET removed_at = '2026-01-01T00:00:00.000000Z' WHERE user_id = $1", hanako.ID); err != nil {
			t.Fatal(err)
		}
		p = preview(t, s, file, map[int]string{3: "jp-430005"})
		if p.Counts[contactimport.Updated] != 1 || p.Rows[0].Changes[0] != "organisation" {
			t.Fatalf("after removal %v %+v", p.Counts, p.Rows[0])
		}
		if _, _, err := s.ImportContacts(ctx, nil, "contacts.csv", p.Writes()); err != nil {
			t.Fatal(err)
		}
		if p = preview(t, s, file, nil); p.Counts[contactimport.Unchanged] != 3 {
			t.Fatalf("after reinstating %v", p.Counts)
		}

		// All or nothing: a contact that fails leaves the others unwritten.
		bad := []rencontres.ContactImport{
			{Contact: rencontres.User{Email: "new@example.org", Name: "New", Lang: "fr", Role: rencontres.AuthorityContact}, OrgKey: "fr-13001"},
			{Contact: rencontres.User{Email: "other@example.org", Name: "Other", Lang: "fr", Role: rencontres.AuthorityContact}, OrgKey: "fr-99999"},
		}
		if _, _, err := s.ImportContacts(ctx, nil, "bad.csv", bad); err == nil {
			t.Fatal("an import naming an unknown organisation succeeded")
		}
		if _, err := s.UserByEmail(ctx, "new@example.org"); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("half-saved import: %v", err)
		}
	})
}
