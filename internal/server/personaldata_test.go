package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// A person's data export holds their registrations with the badge each
// prints (its QR code's address included), the campaign letters written
// to them with their text but not their personal link, the emails queued
// for them and what was done about them; the secretariat's erasure then
// leaves nothing of them in it.
func TestPersonalDataDownload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		sec, contact := rencontres.Secretariat, f.users[rencontres.AuthorityContact]
		contact.Name, contact.NameJa, contact.Function = "Hanako SUZUKI", "鈴木 花子", "国際課長"
		if err := st.UpdateProfile(ctx, contact); err != nil {
			t.Fatal(err)
		}
		// A colleague registers them at the 7th edition, after its deadline
		// (as the secretariat may).
		reg := &rencontres.Registration{EventID: f.edition, OrgKey: "jp-431001", GivenName: "Hanako", FamilyName: "Suzuki", NameJa: "鈴木 花子",
			Function: "国際課長", Email: contact.Email, Lang: rencontres.Japanese, Answers: map[string]string{"shuttle": "no"}}
		if _, err := st.Register(ctx, reg, time.Now(), true); err != nil {
			t.Fatal(err)
		}
		body := "Madame, Monsieur,\n\nVous êtes invités aux {{event.title}}.\n\nRépondez ici : {{link}}"
		c := map[string]any{"event_id": f.copil(t).ID, "name": "Invitation", "letters": campaignLetters(body),
			"filter": map[string]any{"organisations": []string{"jp-431001"}}}
		code, b, _ := f.call(t, sec, "POST", "/api/v1/campaigns", c)
		if code != 201 {
			t.Fatalf("create the campaign: %d %s", code, b)
		}
		camp := decodeAs[rencontres.Campaign](t, b)
		if code, b, _ := f.call(t, sec, "POST", fmt.Sprintf("/api/v1/campaigns/%d/send", camp.ID), map[string]any{"skip_problems": true, "confirm_past": true}); code != 202 {
			t.Fatalf("send: %d %s", code, b)
		}

		code, b, h := f.call(t, rencontres.AuthorityContact, "GET", "/fr/account/data.json", nil)
		if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") || h.Get("Cache-Control") != "no-store" {
			t.Fatalf("data.json: %d %v", code, h)
		}
		var d struct {
			Registrations []rencontres.Registration
			Letters       []struct {
				Campaign int64 `json:"campaign_id"`
				State    string
				Text     string
			} `json:"campaign_letters"`
			Emails []rencontres.EmailData
		}
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatal(err)
		}
		var raw struct {
			Badges []map[string]any `json:"badges"`
		}
		json.Unmarshal(b, &raw)
		if len(d.Registrations) != 1 || d.Registrations[0].ID != reg.ID || d.Registrations[0].Code == "" {
			t.Fatalf("registrations = %+v", d.Registrations)
		}
		if len(raw.Badges) != 1 || raw.Badges[0]["name"] != "鈴木 花子" || raw.Badges[0]["latin_name"] != "Hanako SUZUKI" ||
			raw.Badges[0]["code"] != reg.Code || !strings.HasSuffix(fmt.Sprint(raw.Badges[0]["qr_code"]), "/checkin?code="+reg.Code) ||
			raw.Badges[0]["authority"] == "" {
			t.Errorf("badges = %v", raw.Badges)
		}
		if len(d.Letters) != 1 || d.Letters[0].Campaign != camp.ID || !strings.Contains(d.Letters[0].Text, "Vous êtes invités") ||
			!strings.Contains(d.Letters[0].Text, "/invitation/…") {
			t.Errorf("campaign letters = %+v", d.Letters)
		}
		// The fixture's amendment period told the contact too (cancelled,
		// declaration_amend_fixture_test.go): only the letter is this test's.
		fixtureNotice := func(e rencontres.EmailData) bool { return e.Kind == store.DeclarationMailKind }
		d.Emails = slices.DeleteFunc(d.Emails, fixtureNotice)
		if len(d.Emails) != 1 || d.Emails[0].Kind != store.CampaignLetterKind || d.Emails[0].Status != rencontres.MailQueued {
			t.Errorf("emails = %+v", d.Emails)
		}

		// The secretariat erases them: their export is then empty of them.
		code, _, _ = f.call(t, sec, "POST", fmt.Sprintf("/fr/admin/people/%d/erase", contact.ID), []byte(url.Values{}.Encode()),
			"Content-Type", "application/x-www-form-urlencoded")
		if code != 303 {
			t.Fatalf("erase: %d", code)
		}
		left, err := st.PersonalData(ctx, contact.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(left.Registrations) != 0 || left.Profile.Name != "" || len(left.Letters) != 1 || !strings.HasSuffix(left.Letters[0].Email, "@erased.invalid") {
			t.Errorf("after the erasure: %d registrations, name %q, letters %+v", len(left.Registrations), left.Profile.Name, left.Letters)
		}
		// The letter that was waiting will not leave, and no longer says
		// to whom it was.
		left.Emails = slices.DeleteFunc(left.Emails, fixtureNotice)
		if len(left.Emails) != 1 || left.Emails[0].Status != rencontres.MailCancelled || left.Emails[0].To != store.ErasedEmail(contact.ID) {
			t.Errorf("emails after the erasure: %+v", left.Emails)
		}
		got, err := st.Registration(ctx, f.edition, reg.ID)
		if err != nil || got.NameJa != "" || got.FamilyName != store.ErasedName || got.Status != rencontres.Confirmed {
			t.Errorf("their registration after the erasure: %+v, %v", got, err)
		}
	})
}
