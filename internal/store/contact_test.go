package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

func contactNames(list []*rencontres.Contact) string {
	var out []string
	for _, c := range list {
		n := c.Name
		if c.Main {
			n += "*"
		}
		if c.Removed != nil {
			n += " (removed)"
		}
		out = append(out, n)
	}
	return strings.Join(out, ", ")
}

// An organisation's contacts: added without any email, one main contact
// at a time, every fault of the form at once, a taken address refused
// with its holder named, removed and moved with their history kept, and
// no longer written to nor registering for the organisation they left.
func TestContacts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, _, err := s.UpsertOrganisations(ctx, kumamoto()); err != nil {
			t.Fatal(err)
		}
		aix := "fr-13001"
		nadia := &rencontres.User{Email: " N.Bensaid@Example.org ", Civility: "mme", Name: "Nadia BENSAÏD", Function: "Adjointe au maire",
			Service: "Relations internationales", AddressForm: "Madame l’Adjointe au Maire", PostalAddress: "Hôtel de ville\n13100 Aix-en-Provence",
			Phone: "+33 (0)4 42.91-90 00", Lang: rencontres.French}
		if err := s.SaveContact(ctx, aix, nadia, true); err != nil {
			t.Fatal(err)
		}
		if nadia.ID == 0 || nadia.Email != "n.bensaid@example.org" || nadia.Role != rencontres.AuthorityContact || !slices.Equal(nadia.OrgKeys, []string{aix}) {
			t.Fatalf("saved contact = %+v", nadia)
		}
		thomas := &rencontres.User{Email: "t.giraud@example.org", Civility: "m", Name: "Thomas GIRAUD", Lang: rencontres.French}
		if err := s.SaveContact(ctx, aix, thomas, false); err != nil {
			t.Fatal(err)
		}
		list, err := s.Contacts(ctx, aix, false)
		if err != nil {
			t.Fatal(err)
		}
		if got := contactNames(list); got != "Nadia BENSAÏD*, Thomas GIRAUD" {
			t.Errorf("contacts = %s, want the main contact first", got)
		}
		if c := list[0]; c.Phone != "+33 (0)4 42.91-90 00" || c.AddressForm != "Madame l’Adjointe au Maire" || c.PostalAddress != nadia.PostalAddress {
			t.Errorf("the contact's details = %+v", c.User)
		}
		// Making Thomas the main contact unsets Nadia.
		if err := s.SaveContact(ctx, aix, thomas, true); err != nil {
			t.Fatal(err)
		}
		list, _ = s.Contacts(ctx, aix, false)
		if got := contactNames(list); got != "Thomas GIRAUD*, Nadia BENSAÏD" {
			t.Errorf("contacts after a new main contact = %s", got)
		}

		// Every fault at once, nothing written.
		bad := &rencontres.User{Email: "pas-une-adresse", Civility: "x", Phone: "04 42 abc", Service: strings.Repeat("s", 201), Lang: rencontres.French}
		err = s.SaveContact(ctx, aix, bad, false)
		var e *rencontres.Error
		if !errors.As(err, &e) {
			t.Fatalf("a bad contact: %v", err)
		}
		var fields []string
		for _, f := range e.All() {
			fields = append(fields, f.Field+":"+f.Key)
		}
		if got, want := strings.Join(fields, " "), "email:error.bad_email civility:error.bad_civility service:error.too_long phone:error.bad_phone name:error.contact_name_required"; got != want {
			t.Errorf("faults = %s\nwant     %s", got, want)
		}
		if bad.ID != 0 {
			t.Error("a refused contact was stored")
		}
		// An address another person has: refused, naming them and their
		// organisation.
		twin := &rencontres.User{Email: "N.BENSAID@example.org", Name: "Nadia B.", Lang: rencontres.French}
		err = s.SaveContact(ctx, "jp-431001", twin, false)
		if !errors.As(err, &e) || e.Key != "error.contact_email_taken_org" || e.Args["Name"] != "Nadia BENSAÏD" || e.Field != "email" {
			t.Fatalf("a taken address: %v", err)
		}
		if org, ok := e.Args["Org"].(rencontres.Text); !ok || org["fr"] != "Aix-en-Provence" {
			t.Errorf("the taken address names the organisation %v", e.Args["Org"])
		}
		for _, phone := range []string{"+81 (0)96-328-2111", "03.26.77.78.79", "+33 1 23 45 67 89"} {
			u := rencontres.User{Email: "x@example.org", Name: "X", Phone: phone, Role: rencontres.Participant, Lang: rencontres.French}
			if err := u.Validate(); err != nil {
				t.Errorf("the phone %q is refused: %v", phone, err)
			}
		}

		// Removing Thomas keeps his account; he is among the former
		// contacts, no longer the main one, no longer bound.
		if err := s.RemoveContact(ctx, aix, thomas.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveContact(ctx, aix, thomas.ID); !errors.As(err, &e) || e.Code != rencontres.ENOTFOUND {
			t.Errorf("removing twice: %v", err)
		}
		list, _ = s.Contacts(ctx, aix, true)
		if got := contactNames(list); got != "Nadia BENSAÏD, Thomas GIRAUD (removed)" {
			t.Errorf("contacts with the former = %s", got)
		}
		u, err := s.User(ctx, thomas.ID)
		if err != nil || len(u.OrgKeys) != 0 || u.Erased {
			t.Fatalf("the removed contact's account: %+v, %v", u, err)
		}
		if (&rencontres.Actor{User: u}).Can(rencontres.ManageRegistrations, rencontres.Target{OrgKey: aix}) {
			t.Error("a removed contact may still register the organisation's delegation")
		}
		if active, _ := s.OrgContacts(ctx, aix); len(active) != 1 || active[0].ID != nadia.ID {
			t.Errorf("contacts told of the delegation: %d", len(active))
		}
		recipients, _, err := s.CampaignAudience(ctx, rencontres.RecipientFilter{Organisations: []string{aix}, Countries: []rencontres.Country{rencontres.France}})
		if err != nil {
			t.Fatal(err)
		}
		if len(recipients) != 1 || recipients[0].Email != nadia.Email || recipients[0].AddressForm != "Madame l’Adjointe au Maire" {
			t.Errorf("campaign recipients = %+v, want Nadia alone, with her form of address", recipients)
		}
		// Saving a former contact makes them one again.
		if err := s.SaveContact(ctx, aix, u, false); err != nil {
			t.Fatal(err)
		}
		if list, _ = s.Contacts(ctx, aix, false); len(list) != 2 {
			t.Errorf("contacts after re-adding = %s", contactNames(list))
		}

		// Moving Nadia to Kumamoto: a former contact of Aix, a present one
		// of Kumamoto, no longer Aix's main contact.
		if err := s.SaveContact(ctx, aix, nadia, true); err != nil {
			t.Fatal(err)
		}
		if err := s.MoveContact(ctx, nadia.ID, aix, aix); err == nil {
			t.Error("a move to the same organisation was accepted")
		}
		if err := s.MoveContact(ctx, nadia.ID, aix, "jp-431001"); err != nil {
			t.Fatal(err)
		}
		list, _ = s.Contacts(ctx, aix, true)
		if got := contactNames(list); got != "Thomas GIRAUD, Nadia BENSAÏD (removed)" {
			t.Errorf("Aix's contacts after the move = %s", got)
		}
		list, _ = s.Contacts(ctx, "jp-431001", false)
		if got := contactNames(list); got != "Nadia BENSAÏD" {
			t.Errorf("Kumamoto's contacts after the move = %s", got)
		}
		if u, _ := s.User(ctx, nadia.ID); !slices.Equal(u.OrgKeys, []string{"jp-431001"}) {
			t.Errorf("the moved contact's organisations = %v", u.OrgKeys)
		}
		if _, err := s.Contact(ctx, "fr-13001", 999999); !errors.As(err, &e) || e.Code != rencontres.ENOTFOUND {
			t.Errorf("an unknown contact: %v", err)
		}
		if _, err := s.Contacts(ctx, "fr-00000", false); !errors.As(err, &e) || e.Code != rencontres.ENOTFOUND {
			t.Errorf("the contacts of an unknown organisation: %v", err)
		}
	})
}

func TestSuggestAddressForm(t *testing.T) {
	for _, tc := range []struct{ civility, function, want string }{
		{"m", "Maire de Kumamoto", "Monsieur le Maire"},
		{"mme", "Présidente du conseil départemental", "Madame la Présidente"},
		{"mme", "Chargée de mission", "Madame"},
		{"", "Maire", ""},
	} {
		if got := rencontres.SuggestAddressForm(tc.civility, tc.function); got != tc.want {
			t.Errorf("SuggestAddressForm(%q, %q) = %q, want %q", tc.civility, tc.function, got, tc.want)
		}
	}
}
