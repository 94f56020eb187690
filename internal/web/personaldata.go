package web

import (
	"encoding/json"
	"net/http"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// PersonalData is everything held about a person, as they download it:
// what the store holds (store.PersonalData), with the badges and letters
// as they were printed and written to them.
type PersonalData struct {
	*rencontres.PersonalData
	Badges  []BadgeData  `json:"badges"`
	Letters []LetterData `json:"campaign_letters"`
}

// BadgeData is what a person's badge prints, and the address its QR code
// opens.
type BadgeData struct {
	RegistrationID int64  `json:"registration_id"`
	Name           string `json:"name"`
	Latin          string `json:"latin_name,omitempty"`
	Function       string `json:"function,omitempty"`
	Authority      string `json:"authority"`
	Event          string `json:"event"`
	Code           string `json:"code"`
	QR             string `json:"qr_code"`
}

// LetterData is a campaign letter addressed to the person: where it
// stands, and its text as it reads now.
type LetterData struct {
	*rencontres.Recipient
	Text string `json:"text,omitempty"`
}

// personalData gives a person everything held about them (RGPD art. 15
// and 20), as a JSON file.
func (s *Site) personalData(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	ctx := r.Context()
	u := p.Actor.User
	d, err := s.accounts.PersonalData(ctx, u.ID)
	if err != nil {
		return "", err
	}
	out := PersonalData{PersonalData: d, Badges: []BadgeData{}, Letters: []LetterData{}}
	for _, reg := range d.Registrations {
		if reg.Status != rencontres.Confirmed || s.reg == nil {
			continue
		}
		b, err := s.reg.Badge(ctx, reg)
		if err != nil {
			return "", err
		}
		out.Badges = append(out.Badges, BadgeData{RegistrationID: reg.ID, Name: b.Name, Latin: b.Latin, Function: b.Function,
			Authority: b.Authority, Event: b.Event, Code: b.Code, QR: b.URL})
	}
	for _, rec := range d.Letters {
		l := LetterData{Recipient: rec}
		if s.camp != nil {
			c, err := s.camp.Get(ctx, rec.CampaignID)
			if err != nil {
				return "", err
			}
			// The letter reads as it was written to them, but its personal
			// link is left out: it signs in, and a file travels.
			anon := *rec
			anon.ID = 0
			// A letter that no longer renders (its event deleted, say)
			// does not keep the rest of the data from the person.
			if lt, err := s.camp.Preview(ctx, c, &anon, rec.Lang); err != nil {
				s.log.Error("personal data: a letter does not render", "campaign", c.ID, "recipient", rec.ID, "err", err)
			} else {
				l.Text = letter.Text(lt)
			}
		}
		out.Letters = append(out.Letters, l)
	}
	s.audit(r, "personal_data.export", "user", u.Email, nil)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="rencontres-personal-data.json"`)
	w.Header().Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return "", enc.Encode(out)
}
