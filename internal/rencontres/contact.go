package rencontres

import (
	"context"
	"strings"
	"time"
	"unicode"
)

// Contact is a person of an organisation as its secretariat keeps them:
// an account (which may never have signed in) bound to the organisation,
// whether they are its main contact for the Rencontres, and when they
// stopped being one of its contacts.
type Contact struct {
	*User
	// OrgKey is the organisation this membership is of.
	OrgKey string `json:"organisation"`
	// Main is set on the one contact the secretariat writes to first.
	Main bool `json:"main_contact"`
	// Removed is when they left the organisation's contacts; their past
	// registrations and letters stay in its history.
	Removed *time.Time `json:"removed_at,omitempty"`
}

// OrgLetter is a campaign letter an organisation received: the campaign
// and the person it was addressed to, with where it stands.
type OrgLetter struct {
	CampaignID   int64      `json:"campaign_id"`
	CampaignName string     `json:"campaign_name"`
	EventID      int64      `json:"event_id"`
	Launched     *time.Time `json:"launched_at,omitempty"`
	Recipient    *Recipient `json:"recipient"`
}

// ContactService keeps the contacts of organisations. Nothing in it sends
// an email: inviting a contact to sign in is a separate, chosen action.
type ContactService interface {
	// Contacts lists an organisation's contacts, main contact first, then
	// by name; removed ones (last) only when includeRemoved.
	Contacts(ctx context.Context, orgKey string, includeRemoved bool) ([]*Contact, error)
	// Contact returns one contact of an organisation, removed or not.
	Contact(ctx context.Context, orgKey string, userID int64) (*Contact, error)
	// SaveContact creates the person (u.ID == 0, role authority contact
	// unless given) or updates their details, makes them a contact of the
	// organisation again if they had been removed, and, when main, its one
	// main contact.
	SaveContact(ctx context.Context, orgKey string, u *User, main bool) error
	// MoveContact makes a contact of from a contact of to: they are listed
	// among from's former contacts, and are no longer its main contact.
	MoveContact(ctx context.Context, userID int64, from, to string) error
	// RemoveContact ends a person's membership of an organisation, keeping
	// the account and its history.
	RemoveContact(ctx context.Context, orgKey string, userID int64) error
	// OrganisationRegistrations lists every registration of the
	// organisation's delegations, withdrawn ones included, by event.
	OrganisationRegistrations(ctx context.Context, orgKey string) ([]*Registration, error)
	// OrganisationLetters lists the campaign letters sent to the
	// organisation's contacts, newest campaign first.
	OrganisationLetters(ctx context.Context, orgKey string) ([]*OrgLetter, error)
}

// MaxPostalAddressLen bounds a postal address, in characters (several
// lines).
const MaxPostalAddressLen = 500

// validPhone reports whether s looks like a phone number, leniently:
// digits, spaces, +, ., -, parentheses and a slash, with at least four
// digits and at most thirty.
func validPhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +.-()/", r), r == '\u00a0':
		default:
			return false
		}
	}
	return digits >= 4 && digits <= 30
}

// ValidateContact checks what a contact needs beyond a profile: a name in
// some script. Every fault is reported at once, those of Validate with it.
func (u *User) ValidateContact() error {
	var errs []error
	errs = append(errs, u.Validate())
	if strings.TrimSpace(u.Name) == "" && strings.TrimSpace(u.NameJa) == "" {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.contact_name_required", Field: "name", Message: "give the person's name, in Latin or Japanese script"})
	}
	return Join(errs...)
}

// SuggestAddressForm is the form of address a French letter would use for
// a civility and a function: « Monsieur le Maire », « Madame la
// Présidente »; « Madame », « Monsieur » for another function; empty when
// the civility is unknown. The form offers it when the field is empty.
func SuggestAddressForm(civility, function string) string {
	form := map[string]int{"mme": 0, "m": 1}
	i, ok := form[civility]
	if !ok {
		return ""
	}
	first, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(function)), " ")
	first = strings.TrimRightFunc(first, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
	if m, ok := feminineTitles[first]; ok {
		first = m
	}
	if t, ok := addressTitles[first]; ok {
		return t[i]
	}
	return [2]string{"Madame", "Monsieur"}[i]
}

// addressTitles are the functions a French letter addresses by title, by
// the first word of the function, feminine form first.
var addressTitles = map[string][2]string{
	"maire":          {"Madame la Maire", "Monsieur le Maire"},
	"président":      {"Madame la Présidente", "Monsieur le Président"},
	"vice-président": {"Madame la Vice-Présidente", "Monsieur le Vice-Président"},
	"sénateur":       {"Madame la Sénatrice", "Monsieur le Sénateur"},
	"député":         {"Madame la Députée", "Monsieur le Député"},
	"préfet":         {"Madame la Préfète", "Monsieur le Préfet"},
	"ministre":       {"Madame la Ministre", "Monsieur le Ministre"},
	"ambassadeur":    {"Madame l’Ambassadrice", "Monsieur l’Ambassadeur"},
	"directeur":      {"Madame la Directrice", "Monsieur le Directeur"},
	"gouverneur":     {"Madame la Gouverneure", "Monsieur le Gouverneur"},
}

var feminineTitles = map[string]string{
	"présidente": "président", "vice-présidente": "vice-président", "sénatrice": "sénateur",
	"députée": "député", "préfète": "préfet", "ambassadrice": "ambassadeur", "directrice": "directeur",
	"gouverneure": "gouverneur",
}
