package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

func clair() *rencontres.Organisation {
	lat, lng := 48.8722, 2.3296
	return &rencontres.Organisation{Kind: rencontres.Agency, Country: rencontres.France,
		Name:    rencontres.Text{"fr": "Centre Japonais des Collectivités Locales (CLAIR Paris)", "ja": "自治体国際化協会パリ事務所", "en": "CLAIR Paris"},
		Kana:    "じちたいこくさいかきょうかいぱりじむしょ",
		Address: "6 rue Halévy\n75009 Paris", Languages: []string{"fr", "ja", "en"}, CUFJapanGroup: true,
		Website: "https://www.clairparis.org", Notes: "Interlocuteur : le directeur adjoint.", Lat: &lat, Lng: &lng}
}

// The secretariat creates an institution that no reference data has: it
// gets an inst- key, numbered when taken, every field kept, and it is
// found by the directory search in any script.
func TestCreateOrganisation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := clair()
		if err := s.CreateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
		if got, want := o.Key, "inst-centre-japonais-des-collectivites-locales-clair-paris"; got != want {
			t.Errorf("key = %q, want %q", got, want)
		}
		again := clair()
		if err := s.CreateOrganisation(ctx, again); err != nil {
			t.Fatal(err)
		}
		if got, want := again.Key, o.Key+"-2"; got != want {
			t.Errorf("second key = %q, want %q", got, want)
		}
		got, err := s.Organisation(ctx, o.Key)
		if err != nil {
			t.Fatal(err)
		}
		if got.Source != rencontres.Local || got.Address != "6 rue Halévy\n75009 Paris" || !got.CUFJapanGroup ||
			!slices.Equal(got.Languages, []string{"fr", "ja", "en"}) || got.Notes == "" || got.Created.IsZero() || got.Lat == nil {
			t.Errorf("stored %+v", got)
		}
		res, _, err := s.Organisations(ctx, rencontres.OrgFilter{Query: "自治体国際化協会"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != 2 {
			t.Errorf("search by kanji found %d, want 2", len(res))
		}
	})
}

// Every fault of a new organisation comes at once, each on its field, and
// nothing is written.
func TestCreateOrganisationFaults(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		o := &rencontres.Organisation{Kind: "club", Country: "France", Website: "www.example.org",
			Languages: []string{"fr", "japonais"}, Kana: "Kumamoto", ParentKey: "fr-99999"}
		err := s.CreateOrganisation(ctx, o)
		var e *rencontres.Error
		if !errors.As(err, &e) {
			t.Fatalf("err = %v, want a rencontres.Error", err)
		}
		var fields []string
		for _, f := range e.All() {
			fields = append(fields, f.Field)
		}
		slices.Sort(fields)
		if got, want := strings.Join(fields, ","), "country,kana,kind,languages,name,parent,website"; got != want {
			t.Errorf("faults on %s, want %s", got, want)
		}
		_, total, err := s.Organisations(ctx, rencontres.OrgFilter{})
		if err != nil || total != 0 {
			t.Errorf("after a refused creation: %d organisations, %v", total, err)
		}
	})
}

// The secretariat corrects the Japanese name of a reference authority; a
// re-import with a new reference name keeps the correction and the new
// reference value beside it, while a field not edited takes the new
// reference value; going back to the reference value ends the edit.
func TestLocalEditsSurviveReimport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, _, err := s.UpsertOrganisations(ctx, kumamoto()); err != nil {
			t.Fatal(err)
		}
		o, err := s.Organisation(ctx, "jp-431001")
		if err != nil {
			t.Fatal(err)
		}
		o.Name["ja"] = "熊本市役所"
		o.Address = "熊本市中央区手取本町1-1"
		if err := s.UpdateOrganisation(ctx, o.Key, o); err != nil {
			t.Fatal(err)
		}
		o, _ = s.Organisation(ctx, "jp-431001")
		if got, want := o.Reference["name.ja"], "熊本市"; got != want || len(o.Reference) != 1 {
			t.Fatalf("reference values after the edit = %v, want name.ja: %s only", o.Reference, want)
		}
		// The reference data changes both the name and the population.
		next := kumamoto()
		next[1].Name["ja"] = "熊本市（新）"
		next[1].Population = 740000
		if _, _, err := s.UpsertOrganisations(ctx, next); err != nil {
			t.Fatal(err)
		}
		o, _ = s.Organisation(ctx, "jp-431001")
		if got, want := o.Name["ja"], "熊本市役所"; got != want {
			t.Errorf("Japanese name after re-import = %q, want the edit %q", got, want)
		}
		if got, want := o.Reference["name.ja"], "熊本市（新）"; got != want {
			t.Errorf("reference name after re-import = %q, want %q", got, want)
		}
		if got, want := o.Population, int64(740000); got != want {
			t.Errorf("population after re-import = %d, want the new reference %d", got, want)
		}
		if got, want := o.Address, "熊本市中央区手取本町1-1"; got != want {
			t.Errorf("address after re-import = %q, want %q", got, want)
		}
		if res, _, _ := s.Organisations(ctx, rencontres.OrgFilter{Query: "市役所"}); len(res) != 1 {
			t.Errorf("the edited name is not searchable: %d results", len(res))
		}
		// The official code of a reference record does not change.
		o.Code = "999999"
		err = s.UpdateOrganisation(ctx, o.Key, o)
		if rencontres.ErrorCode(err) != rencontres.EINVALID || !strings.Contains(err.Error(), "code") {
			t.Errorf("changing the code: %v, want a refusal", err)
		}
		if err := s.RevertOrganisationField(ctx, "jp-431001", "name.ja"); err != nil {
			t.Fatal(err)
		}
		o, _ = s.Organisation(ctx, "jp-431001")
		if got, want := o.Name["ja"], "熊本市（新）"; got != want || o.Reference != nil {
			t.Errorf("after going back: name %q, reference %v; want %q and none", got, o.Reference, want)
		}
		if err := s.RevertOrganisationField(ctx, "jp-431001", "name.ja"); rencontres.ErrorCode(err) != rencontres.EINVALID {
			t.Errorf("going back on a field not edited: %v, want invalid", err)
		}
	})
}

// fkColumns reads from the schema every column with a foreign key to
// organisations(id), as "table.column".
func fkColumns(t *testing.T, s *store.Store) []string {
	t.Helper()
	q := `SELECT m.name || '.' || f."from" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table' AND f."table" = 'organisations'`
	if s.Dialect() == "postgres" {
		q = `SELECT c.conrelid::regclass::text || '.' || a.attname FROM pg_constraint c
			JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
			WHERE c.contype = 'f' AND c.confrelid = 'organisations'::regclass`
	}
	rows, err := s.DB().Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// A migration that adds a reference to organisations must teach the merge
// to move it: the list the merge walks is the schema's.
func TestMergeKnowsEveryReference(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		got := store.OrgReferenceColumns()
		slices.Sort(got)
		if want := fkColumns(t, s); !slices.Equal(got, want) {
			t.Errorf("MergeOrganisations moves %v; the schema's references to organisations are %v", got, want)
		}
	})
}

func refCount(t *testing.T, s *store.Store, col string, id int64) int {
	t.Helper()
	table, column, _ := strings.Cut(col, ".")
	var n int
	if err := s.DB().QueryRow("SELECT COUNT(*) FROM "+table+" WHERE "+column+" = $1", id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func orgIDOf(t *testing.T, s *store.Store, key string) int64 {
	t.Helper()
	var id int64
	if err := s.DB().QueryRow("SELECT id FROM organisations WHERE key = $1", key).Scan(&id); err != nil {
		t.Fatal(key, err)
	}
	return id
}

// Merging two records moves every row that points at the removed one,
// whatever table it is in (read from the schema), drops exact duplicates
// (a partnership both had, a contact of both), puts two delegations to one
// event into one, removes the record, audits the merge and remembers the
// removed key.
func TestMergeOrganisations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, s); err != nil {
			t.Fatal(err)
		}
		cols := fkColumns(t, s)
		// The removed record is the demo's most referenced organisation;
		// the kept one the next, so that both have rows in many tables.
		rows, err := s.DB().Query("SELECT key FROM organisations")
		if err != nil {
			t.Fatal(err)
		}
		type scored struct {
			key string
			n   int
		}
		var all []scored
		for rows.Next() {
			var k string
			rows.Scan(&k)
			all = append(all, scored{key: k})
		}
		rows.Close()
		for i := range all {
			id := orgIDOf(t, s, all[i].key)
			for _, c := range cols {
				if n := refCount(t, s, c, id); n > 0 {
					all[i].n += 1000 + n // the most tables first
				}
			}
		}
		slices.SortFunc(all, func(a, b scored) int { return b.n - a.n })
		from, keep := all[0].key, all[1].key
		fromID, keepID := orgIDOf(t, s, from), orgIDOf(t, s, keep)
		// A partnership both have with a third authority, and one
		// between the two.
		third := all[2].key
		for _, p := range []*rencontres.Partnership{
			{A: from, B: third, Kind: rencontres.Jumelage, Year: 1990},
			{A: keep, B: third, Kind: rencontres.Jumelage, Year: 1990},
			{A: keep, B: from, Kind: rencontres.Convention},
		} {
			if err := s.UpsertPartnership(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		// A contact of both, and one of the removed one only.
		var users []int64
		urows, err := s.DB().Query("SELECT id FROM users ORDER BY id LIMIT 2")
		if err != nil {
			t.Fatal(err)
		}
		for urows.Next() {
			var id int64
			urows.Scan(&id)
			users = append(users, id)
		}
		urows.Close()
		if len(users) < 2 {
			t.Fatal("the demo has fewer than two accounts")
		}
		for _, uo := range [][2]int64{{users[0], fromID}, {users[0], keepID}, {users[1], fromID}} {
			if _, err := s.DB().Exec("DELETE FROM user_organisations WHERE user_id = $1 AND org_id = $2", uo[0], uo[1]); err != nil {
				t.Fatal(err)
			}
			if _, err := s.DB().Exec("INSERT INTO user_organisations (user_id, org_id) VALUES ($1, $2)", uo[0], uo[1]); err != nil {
				t.Fatal(err)
			}
		}
		// Partnerships between the two (the demo's two most referenced
		// may be twinned already) go with the merge.
		var between int
		s.DB().QueryRow(`SELECT COUNT(*) FROM partnerships WHERE (org_a = $1 AND org_b = $2) OR (org_a = $2 AND org_b = $1)`, keepID, fromID).Scan(&between)
		before := map[string][2]int{}
		for _, c := range cols {
			before[c] = [2]int{refCount(t, s, c, keepID), refCount(t, s, c, fromID)}
		}
		var registrations int
		s.DB().QueryRow(`SELECT COUNT(*) FROM registrations r JOIN delegations d ON d.id = r.delegation_id
			WHERE d.org_id IN ($1, $2)`, keepID, fromID).Scan(&registrations)
		moved := 0
		for _, n := range before {
			moved += n[1]
		}
		t.Logf("merging %s into %s; references before (kept, removed): %v", from, keep, before)
		if moved < 3 {
			t.Fatalf("the removed organisation %s has %d references: the test proves nothing", from, moved)
		}

		m, err := s.MergeOrganisations(ctx, keep, from, true, &rencontres.AuditEntry{ActorEmail: "secretariat@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		if m.RemovedKey != from || m.By != "secretariat@example.org" {
			t.Errorf("merge = %+v", m)
		}
		for _, c := range cols {
			got, b := refCount(t, s, c, keepID), before[c]
			switch c {
			case "partnerships.org_a", "partnerships.org_b":
				// Stored smaller id first, a pair may change columns:
				// their total is checked below.
			case "organisations.parent_id", "news_post_organisations.org_id",
				"user_organisations.org_id", "delegations.org_id", "series_organisations.org_id", "edition_organisations.org_id",
				"proposal_organisations.org_id":
				// Duplicates dropped: checked below.
				if got < max(b[0], b[1])-1 {
					t.Errorf("%s: %d rows for the kept organisation, had %d and %d", c, got, b[0], b[1])
				}
			case "organisation_terms.org_id":
				// The kept organisation's own search terms stay as they
				// were; the removed one's go with it.
				if got != b[0] {
					t.Errorf("%s: %d search terms for the kept organisation, want its own %d", c, got, b[0])
				}
			case "cooperation_profiles.org_id":
				// One profile per authority: the kept one's stays, the
				// other's moves only when it had none.
				if got != min(1, b[0]+b[1]) {
					t.Errorf("%s: %d profiles for the kept organisation, had %d and %d", c, got, b[0], b[1])
				}
			case "organisation_merges.kept_id":
				if got != b[0]+b[1]+1 {
					t.Errorf("%s: %d merges recorded for the kept organisation, want %d + %d + this one", c, got, b[0], b[1])
				}
			default:
				if got != b[0]+b[1] {
					t.Errorf("%s: %d rows for the kept organisation, want %d + %d", c, got, b[0], b[1])
				}
			}
		}
		if b, got := before["user_organisations.org_id"], refCount(t, s, "user_organisations.org_id", keepID); got != b[0]+b[1]-1 {
			t.Errorf("contacts of the kept organisation: %d, want %d + %d less the one of both", got, b[0], b[1])
		}
		var partnerships int
		s.DB().QueryRow(`SELECT COUNT(*) FROM partnerships WHERE org_a = $1 OR org_b = $1`, keepID).Scan(&partnerships)
		if want := before["partnerships.org_a"][0] + before["partnerships.org_b"][0] + before["partnerships.org_a"][1] +
			before["partnerships.org_b"][1] - 2*between - 1; partnerships != want {
			// keep–from counted on both sides and gone; the duplicate twinning gone.
			t.Errorf("partnerships of the kept organisation: %d, want %d", partnerships, want)
		}
		var after int
		s.DB().QueryRow(`SELECT COUNT(*) FROM registrations r JOIN delegations d ON d.id = r.delegation_id
			WHERE d.org_id = $1`, keepID).Scan(&after)
		if after != registrations {
			t.Errorf("registrations of the kept organisation: %d, want every one of both, %d", after, registrations)
		}
		if _, err := s.Organisation(ctx, from); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("removed organisation still there: %v", err)
		}
		if k, err := s.MergedInto(ctx, from); err != nil || k != keep {
			t.Errorf("MergedInto(%s) = %q, %v; want %s", from, k, err, keep)
		}
		merges, err := s.OrganisationMerges(ctx, keep)
		if err != nil || len(merges) != 1 || merges[0].RemovedKey != from {
			t.Errorf("merges of %s = %v, %v", keep, merges, err)
		}
		log, err := s.AuditLog(ctx, rencontres.AuditFilter{Action: "organisation.merge"})
		if err != nil || len(log) != 1 || log[0].ObjectID != keep || log[0].Detail["from"] != from {
			t.Errorf("audit = %+v, %v", log, err)
		}
		// A re-import does not bring the removed key back.
		if _, _, err := s.UpsertOrganisations(ctx, []*rencontres.Organisation{{Key: from, Kind: rencontres.Commune,
			Country: rencontres.France, Name: rencontres.Text{"fr": "Revenant"}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Organisation(ctx, from); rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			t.Errorf("a re-import brought the merged key back: %v", err)
		}
	})
}

// A merge with itself is refused; two reference records with different
// official codes need a confirmation; nothing moves on a refusal.
func TestMergeRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, _, err := s.UpsertOrganisations(ctx, kumamoto()); err != nil {
			t.Fatal(err)
		}
		_, err := s.MergeOrganisations(ctx, "jp-431001", "jp-431001", true, nil)
		var e *rencontres.Error
		if !errors.As(err, &e) || e.Key != "org_merge.self" || e.Field != "from" {
			t.Errorf("merge with itself: %v", err)
		}
		_, err = s.MergeOrganisations(ctx, "jp-431001", "fr-13001", false, nil)
		if !errors.As(err, &e) || e.Code != rencontres.ECONFLICT || e.Field != "confirm" {
			t.Errorf("merge of different codes unconfirmed: %v", err)
		}
		if _, err := s.Organisation(ctx, "fr-13001"); err != nil {
			t.Errorf("refused merge removed the record: %v", err)
		}
		_, err = s.MergeOrganisations(ctx, "jp-431001", "fr-00000", true, nil)
		if !errors.As(err, &e) || e.Code != rencontres.ENOTFOUND || e.Field != "from" {
			t.Errorf("merge of an unknown key: %v", err)
		}
	})
}
