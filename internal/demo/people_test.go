package demo_test

import (
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/demo"
)

// Every committee seat of the demo has a mandate, and every Japanese seat
// holder, registered person and contact a name in kanji with its reading
// in kana, so that the pages show both.
func TestDemoPeopleHaveMandatesAndJapaneseNames(t *testing.T) {
	d, err := demo.Parse()
	if err != nil {
		t.Fatal(err)
	}
	japanese := func(org string) bool { return strings.HasPrefix(org, "jp-") || org == "inst-clair-paris" }
	seats := 0
	for _, e := range d.Editions {
		for _, c := range e.Committees {
			for _, m := range c.Members {
				seats++
				if m.MandateStart.IsZero() || m.MandateEnd.IsZero() || m.MandateEnd.Before(m.MandateStart) {
					t.Errorf("edition %d, %s committee: %s's seat has no mandate (%v – %v)", e.Number, c.Kind, m.Person, m.MandateStart, m.MandateEnd)
				}
				if japanese(m.OrgKey) && (m.PersonJa == "" || m.Kana == "") {
					t.Errorf("edition %d, %s committee: %s has no name in kanji and kana", e.Number, c.Kind, m.Person)
				}
			}
		}
		if e.Registration == nil {
			continue
		}
		for _, del := range e.Registration.Delegations {
			for _, p := range del.People {
				if japanese(del.Organisation) && (p.NameJa == "" || p.Kana == "") {
					t.Errorf("edition %d: %s %s has no name in kanji and kana", e.Number, p.GivenName, p.FamilyName)
				}
			}
		}
	}
	if seats == 0 {
		t.Fatal("the demo has no committee seats")
	}
	for _, c := range d.Contacts {
		if japanese(c.Organisation) && (c.NameJa == "" || c.Kana == "") {
			t.Errorf("contact %s has no name in kanji and kana", c.Email)
		}
	}
}
