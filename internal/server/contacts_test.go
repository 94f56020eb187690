package server

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// The organisation's private page keeps its contacts: the secretariat
// adds one (every fault of the form at once), a contact of the
// organisation adds a colleague, neither emails anyone; moving is the
// secretariat's; a removed contact is listed apart; the invitation to sign
// in leaves only when asked.
func TestContactPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		sec, own := rencontres.Secretariat, rencontres.AuthorityContact
		form := "Content-Type"
		post := func(role rencontres.Role, path string, v url.Values) (int, string, string) {
			code, b, h := f.call(t, role, "POST", path, []byte(v.Encode()), form, "application/x-www-form-urlencoded")
			return code, string(b), h.Get("Location")
		}
		code, b, _ := f.call(t, sec, "GET", "/fr/manage/organisations/jp-431001", nil)
		for _, want := range []string{"Ajouter un correspondant", "Anciens correspondants", "Participations passées", "Courriers reçus",
			"Inscriptions aux prochains événements", `name="address_form"`, `name="main_contact"`} {
			if code != 200 || !strings.Contains(string(b), want) {
				t.Errorf("the private page (%d) lacks %q", code, want)
			}
		}

		// Every fault at once, each beside its field, nothing saved.
		code, body, _ := post(sec, "/fr/manage/organisations/jp-431001/contacts", url.Values{"email": {"pas-une-adresse"}, "phone": {"tél. 04"},
			"service": {strings.Repeat("s", 201)}, "lang": {"fr"}})
		for _, want := range []string{`id="email-error"`, `id="phone-error"`, `id="service-error"`, `id="name-error"`,
			"n’est pas un numéro de téléphone", "Le champ « Service » est trop long"} {
			if !strings.Contains(body, strings.ReplaceAll(want, "« Service »", "«\u00a0Service\u00a0»")) {
				t.Errorf("the refused form (%d) lacks %q", code, want)
			}
		}
		if code != 400 {
			t.Errorf("a refused contact: %d, want 400, as every invalid form", code)
		}

		// Added as main contact, with the form of address: nothing sent.
		code, _, loc := post(sec, "/fr/manage/organisations/jp-431001/contacts", url.Values{"civility": {"m"}, "name": {"Kazufumi ONISHI"},
			"name_ja": {"大西 一史"}, "kana": {"おおにし かずふみ"}, "function": {"市長"}, "service": {"国際課"}, "address_form": {"熊本市長 大西 一史 様"},
			"postal_address": {"熊本市中央区手取本町1-1"}, "email": {"onishi@kumamoto.example.org"}, "phone": {"+81 96-328-2111"}, "lang": {"ja"}, "main_contact": {"on"}})
		if code != 303 || !strings.HasPrefix(loc, "/fr/manage/organisations/jp-431001?done=added#contact-") {
			t.Fatalf("adding a contact: %d %s", code, loc)
		}
		onishi, err := st.UserByEmail(t.Context(), "onishi@kumamoto.example.org")
		if err != nil {
			t.Fatal(err)
		}
		_, b, _ = f.call(t, sec, "GET", "/fr/manage/organisations/jp-431001?done=added", nil)
		page := string(b)
		if !strings.Contains(page, "Correspondant ajouté") || !strings.Contains(page, "correspondant principal") || !strings.Contains(page, "熊本市長 大西 一史 様") {
			t.Error("the page does not show the new main contact")
		}
		if i, j := strings.Index(page, "大西 一史"), strings.Index(page, "authority_contact@example.org"); i < 0 || j < 0 || i > j {
			t.Error("the main contact is not listed first")
		}

		// The organisation's own contact adds a colleague, and may not
		// touch another organisation nor move anyone.
		code, _, _ = post(own, "/fr/manage/organisations/jp-431001/contacts", url.Values{"name": {"Aiko TANAKA"}, "email": {"tanaka@kumamoto.example.org"}, "lang": {"ja"}})
		if code != 303 {
			t.Errorf("a contact adding a colleague: %d", code)
		}
		if code, _, _ = post(own, "/fr/manage/organisations/fr-13001/contacts", url.Values{"name": {"X"}, "email": {"x@example.org"}, "lang": {"fr"}}); code != 403 {
			t.Errorf("a contact adding one to another organisation: %d, want 403", code)
		}
		id := "/fr/manage/organisations/jp-431001/contacts/" + idStr(onishi.ID)
		if code, _, _ = post(own, id+"/move", url.Values{"organisation": {"fr-13001"}}); code != 403 {
			t.Errorf("a contact moving a colleague: %d, want 403", code)
		}
		// A taken address names its holder and their organisation.
		code, body, _ = post(sec, "/fr/manage/organisations/fr-13001/contacts", url.Values{"name": {"Kazu O."}, "email": {"ONISHI@kumamoto.example.org"}, "lang": {"fr"}})
		if code != 409 || !strings.Contains(body, "déjà celle de Kazufumi ONISHI, correspondant de Kumamoto") {
			t.Errorf("a taken address (%d) is not told with its holder", code)
		}
		if msgs, _ := f.sent(t); len(msgs) != 0 {
			t.Errorf("%d email(s) sent by adding contacts", len(msgs))
		}

		// Moved to Aix: the secretariat picks it by name.
		code, _, loc = post(sec, id+"/move", url.Values{"organisation": {"Aix-en-Provence"}})
		if code != 303 || !strings.HasPrefix(loc, "/fr/manage/organisations/fr-13001?done=moved") {
			t.Fatalf("moving: %d %s", code, loc)
		}
		_, b, _ = f.call(t, sec, "GET", "/fr/manage/organisations/jp-431001", nil)
		former := string(b)[strings.Index(string(b), `id="former-title"`):]
		if !strings.Contains(former, "Kazufumi ONISHI") || !strings.Contains(former, "retiré le") {
			t.Error("Kumamoto's former contacts do not list the contact moved away")
		}
		// Removed from Aix, then invited to sign in only when asked.
		aixID := "/fr/manage/organisations/fr-13001/contacts/" + idStr(onishi.ID)
		if code, _, loc = post(sec, aixID+"/remove", nil); code != 303 || !strings.Contains(loc, "done=removed") {
			t.Errorf("removing: %d %s", code, loc)
		}
		if code, _, _ = post(sec, aixID+"/invitation", nil); code != 409 {
			t.Errorf("inviting a removed contact: %d, want 409", code)
		}
		tanaka, _ := st.UserByEmail(t.Context(), "tanaka@kumamoto.example.org")
		if code, _, _ = post(sec, "/fr/manage/organisations/jp-431001/contacts/"+idStr(tanaka.ID)+"/invitation", nil); code != 303 {
			t.Errorf("inviting: %d", code)
		}
		msgs, err := f.sent(t)
		if err != nil || len(msgs) != 1 || msgs[0].Header.Get("X-Rencontres-Kind") != "invitation" || !strings.Contains(msgs[0].Header.Get("To"), "tanaka@") {
			t.Errorf("the invitation: %d emails, %v", len(msgs), err)
		}
	})
}

func idStr(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// The API keeps the same contacts, visible to the secretariat and the
// organisation's own contacts only; a create answers every fault at once.
func TestContactsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		sec, own := rencontres.Secretariat, rencontres.AuthorityContact
		base := "/api/v1/organisations/jp-431001/contacts"
		for role, want := range map[rencontres.Role]int{sec: 200, own: 200, rencontres.Participant: 403, rencontres.CommitteeMember: 403, rencontres.Public: 401} {
			if code, _, _ := f.call(t, role, "GET", base, nil); code != want {
				t.Errorf("GET contacts as %s: %d, want %d", role, code, want)
			}
		}
		if code, _, _ := f.call(t, own, "GET", "/api/v1/organisations/fr-13001/contacts", nil); code != 403 {
			t.Errorf("a contact reading another organisation's contacts: %d, want 403", code)
		}
		// No address leaks through the organisation's public answer.
		if _, b, _ := f.call(t, rencontres.Public, "GET", "/api/v1/organisations/jp-431001", nil); strings.Contains(string(b), "@") {
			t.Errorf("the organisation's public answer holds an address: %s", b)
		}

		code, b, _ := f.call(t, own, "POST", base+"?lang=fr", map[string]any{"email": "nope", "phone": "abc", "civility": "x", "lang": "fr"})
		var fail struct {
			Error struct {
				Errors []struct{ Field, Message string }
			}
		}
		json.Unmarshal(b, &fail)
		var fields []string
		for _, e := range fail.Error.Errors {
			fields = append(fields, e.Field)
		}
		if code != 400 || strings.Join(fields, " ") != "email civility phone name" {
			t.Errorf("a bad contact: %d, fields %v: %s", code, fields, b)
		}

		code, b, _ = f.call(t, own, "POST", base, map[string]any{"name": "Aiko TANAKA", "email": "tanaka@kumamoto.example.org", "lang": "ja",
			"phone": "096-328-2111", "service": "国際課", "main_contact": true})
		var c rencontres.Contact
		if err := json.Unmarshal(b, &c); err != nil || code != 201 || !c.Main || c.Phone != "096-328-2111" || c.OrgKey != "jp-431001" {
			t.Fatalf("created: %d %s", code, b)
		}
		path := base + "/" + idStr(c.ID)
		code, b, _ = f.call(t, own, "PATCH", path, map[string]any{"address_form": "田中 愛子 様"})
		if err := json.Unmarshal(b, &c); err != nil || code != 200 || c.AddressForm != "田中 愛子 様" || c.Phone != "096-328-2111" || !c.Main {
			t.Errorf("patched: %d %s", code, b)
		}
		if code, _, _ = f.call(t, own, "PATCH", path, map[string]any{"move_to": "fr-13001"}); code != 403 {
			t.Errorf("a contact moving a colleague: %d, want 403", code)
		}
		if code, _, _ = f.call(t, own, "DELETE", path, nil); code != 204 {
			t.Errorf("delete: %d", code)
		}
		var list struct{ Contacts []*rencontres.Contact }
		_, b, _ = f.call(t, sec, "GET", base+"?removed=true", nil)
		json.Unmarshal(b, &list)
		found := false
		for _, x := range list.Contacts {
			if x.ID == c.ID {
				found = x.Removed != nil && !x.Main
			}
		}
		if !found {
			t.Errorf("the removed contact is not listed as removed: %s", b)
		}
		_, b, _ = f.call(t, sec, "GET", base, nil)
		if strings.Contains(string(b), "tanaka@") {
			t.Error("a removed contact is listed among the present ones")
		}
		// The secretariat moves one back in and across.
		if code, b, _ = f.call(t, sec, "PATCH", path, map[string]any{"move_to": "fr-13001"}); code != 200 {
			t.Errorf("a move by the secretariat: %d %s", code, b)
		}
		if code, _, _ = f.call(t, sec, "GET", "/api/v1/organisations/fr-13001/contacts/"+idStr(c.ID), nil); code != 404 && code != 405 {
			t.Errorf("a GET of one contact: %d", code)
		}
		if msgs, _ := f.sent(t); len(msgs) != 0 {
			t.Errorf("%d email(s) sent through the contacts API", len(msgs))
		}
	})
}
