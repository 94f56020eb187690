package rencontres

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// OrgSource says where an organisation's record comes from.
type OrgSource string

// The sources of an organisation.
const (
	// FromReference: loaded by `rencontres import` (or the demo data),
	// whose re-runs update it.
	FromReference OrgSource = "reference"
	// Local: created by the secretariat; no import touches it.
	Local OrgSource = "local"
)

// RefFields are the fields of an organisation that the reference data
// gives and the secretariat may change on a reference record. A changed
// field keeps the secretariat's value across re-imports; the reference
// value is kept beside it (Organisation.Reference). The key and the
// official code are the reference data's own and never change.
var RefFields = []string{"name.fr", "name.en", "name.ja", "kana", "parent", "population", "coordinates", "website"}

// RefValue returns the value of one of RefFields as text, as Reference
// stores it.
func (o *Organisation) RefValue(field string) string {
	switch field {
	case "name.fr":
		return o.Name[French]
	case "name.en":
		return o.Name[English]
	case "name.ja":
		return o.Name[Japanese]
	case "kana":
		return o.Kana
	case "parent":
		return o.ParentKey
	case "population":
		if o.Population == 0 {
			return ""
		}
		return strconv.FormatInt(o.Population, 10)
	case "coordinates":
		if o.Lat == nil || o.Lng == nil {
			return ""
		}
		return strconv.FormatFloat(*o.Lat, 'f', -1, 64) + "," + strconv.FormatFloat(*o.Lng, 'f', -1, 64)
	case "website":
		return o.Website
	}
	return ""
}

// SetRefValue sets one of RefFields from its text, as RefValue gives it.
func (o *Organisation) SetRefValue(field, v string) {
	if o.Name == nil {
		o.Name = Text{}
	}
	setName := func(l Lang) {
		if v == "" {
			delete(o.Name, l)
		} else {
			o.Name[l] = v
		}
	}
	switch field {
	case "name.fr":
		setName(French)
	case "name.en":
		setName(English)
	case "name.ja":
		setName(Japanese)
	case "kana":
		o.Kana = v
	case "parent":
		o.ParentKey, o.ParentID = v, 0
	case "population":
		o.Population, _ = strconv.ParseInt(v, 10, 64)
	case "coordinates":
		o.Lat, o.Lng = nil, nil
		if a, b, ok := strings.Cut(v, ","); ok {
			lat, err1 := strconv.ParseFloat(a, 64)
			lng, err2 := strconv.ParseFloat(b, 64)
			if err1 == nil && err2 == nil {
				o.Lat, o.Lng = &lat, &lng
			}
		}
	case "website":
		o.Website = v
	}
}

// IsRefField reports whether field is one of RefFields.
func IsRefField(field string) bool {
	for _, f := range RefFields {
		if f == field {
			return true
		}
	}
	return false
}

// Limits of an organisation's free text.
const (
	MaxAddressLen = 500
	MaxNotesLen   = 10000
	MaxOrgNameLen = 200
)

// Problems lists every fault of an organisation the secretariat typed, each
// on its field, so that a form or an API answer shows them all at once.
// The key is not checked: the store makes it for a new organisation.
func (o *Organisation) Problems() []*Error {
	var out []*Error
	add := func(err error) {
		if e, ok := err.(*Error); ok && e != nil {
			out = append(out, e)
		}
	}
	add(o.Name.Validate("name", true))
	for _, v := range o.Name {
		if utf8.RuneCountInString(v) > MaxOrgNameLen {
			add(&Error{Code: EINVALID, Key: "error.too_long", Field: "name", Message: "name too long", Args: map[string]any{"Max": MaxOrgNameLen}})
			break
		}
	}
	if !o.Kind.Valid() {
		add(&Error{Code: EINVALID, Key: "error.bad_kind", Field: "kind", Message: fmt.Sprintf("unknown kind %q", o.Kind)})
	}
	if !o.Country.Valid() {
		add(&Error{Code: EINVALID, Key: "error.bad_country", Field: "country", Message: fmt.Sprintf("country %q: want a two-letter code", o.Country)})
	} else if o.Kind.Valid() && !o.Kind.FitsCountry(o.Country) {
		add(&Error{Code: EINVALID, Key: "org_form.kind_country", Field: "kind",
			Message: fmt.Sprintf("an organisation of %s cannot be of kind %q", o.Country, o.Kind),
			Args:    map[string]any{"Kind": string(o.Kind), "Country": string(o.Country)}})
	}
	if o.Kana != "" && strings.IndexFunc(o.Kana, func(r rune) bool {
		return !unicode.In(r, unicode.Hiragana, unicode.Katakana) && r != 'ー' && r != '・' && !unicode.IsSpace(r)
	}) >= 0 {
		add(&Error{Code: EINVALID, Key: "error.bad_kana", Field: "kana", Message: "the reading is written in kana only"})
	}
	if o.Population < 0 {
		add(&Error{Code: EINVALID, Key: "error.negative", Field: "population", Message: "must not be negative"})
	}
	if (o.Lat == nil) != (o.Lng == nil) || o.Lat != nil && (*o.Lat < -90 || *o.Lat > 90 || *o.Lng < -180 || *o.Lng > 180) {
		add(&Error{Code: EINVALID, Key: "error.bad_coordinates", Field: "coordinates", Message: "latitude and longitude, in degrees"})
	} else if o.Lat != nil && !InCountry(o.Country, *o.Lat, *o.Lng) {
		add(&Error{Code: EINVALID, Key: "error.coordinates_outside", Field: "coordinates",
			Message: "the position is outside the authority's country: latitude first, then longitude"})
	}
	if o.Website != "" {
		u, err := url.Parse(o.Website)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			add(&Error{Code: EINVALID, Key: "org_form.bad_website", Field: "website", Message: "an address starting with https://"})
		}
	}
	for _, l := range o.Languages {
		if t, err := language.Parse(l); err != nil || t.String() != l {
			add(&Error{Code: EINVALID, Key: "org_form.bad_language", Field: "languages",
				Message: fmt.Sprintf("%q is not a language code", l), Args: map[string]any{"Code": l}})
			break
		}
	}
	if utf8.RuneCountInString(o.Address) > MaxAddressLen {
		add(&Error{Code: EINVALID, Key: "error.too_long", Field: "address", Message: "address too long", Args: map[string]any{"Max": MaxAddressLen}})
	}
	if utf8.RuneCountInString(o.Notes) > MaxNotesLen {
		add(&Error{Code: EINVALID, Key: "error.too_long", Field: "notes", Message: "notes too long", Args: map[string]any{"Max": MaxNotesLen}})
	}
	return out
}

// CheckEdit returns the faults of o as one error (nil when there are none).
func (o *Organisation) CheckEdit() error {
	var errs []error
	for _, e := range o.Problems() {
		errs = append(errs, e)
	}
	return Join(errs...)
}

// KeyBase is the start of the key of an organisation the secretariat
// creates: "inst-" and its French (or English) name in lower-case ASCII,
// « Chambre de commerce et d'industrie de Lyon » giving
// inst-chambre-de-commerce-et-d-industrie-de-lyon. The store adds a number
// when the key is taken.
func KeyBase(name Text) string {
	var b strings.Builder
	dash := false
	src := name[French]
	if src == "" {
		src = name[English]
	}
	for _, r := range norm.NFKD.String(strings.ToLower(src)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	slug := strings.Trim(b.String(), "-")
	if len(slug) > 60 {
		slug = strings.TrimRight(slug[:60], "-")
	}
	if slug == "" {
		slug = "org"
	}
	return "inst-" + slug
}

// OrgMerge records that one organisation was merged into another: the
// removed one's key keeps leading to the kept one.
type OrgMerge struct {
	KeptKey     string    `json:"kept"`
	RemovedKey  string    `json:"removed"`
	RemovedName Text      `json:"removed_name"`
	RemovedCode string    `json:"removed_code,omitempty"`
	At          time.Time `json:"at"`
	// By is who merged them, as the audit log names them.
	By string `json:"by,omitempty"`
	// Filled names the fields of the kept record that came from the
	// removed one (MergeFillFields), as the merge returns it.
	Filled []string `json:"filled,omitempty"`
}

// OrganisationWriter is how the secretariat keeps the directory.
type OrganisationWriter interface {
	// CreateOrganisation stores a new local organisation, giving it a key
	// (o.Key) made from its name.
	CreateOrganisation(ctx context.Context, o *Organisation) error
	// UpdateOrganisation replaces the editable fields of the organisation
	// with the given key. On a reference record, a field of RefFields that
	// changes is recorded as the secretariat's; its code and kind stay.
	UpdateOrganisation(ctx context.Context, key string, o *Organisation) error
	// RevertOrganisationField gives a reference record's field back its
	// reference value.
	RevertOrganisationField(ctx context.Context, key, field string) error
	// MergeOrganisations moves everything that points at the organisation
	// from to the organisation keep, then removes from, in one
	// transaction, writing by (the actor) as the audit entry. Two
	// reference records with different official codes are merged only
	// when confirm is set.
	MergeOrganisations(ctx context.Context, keep, from string, confirm bool, by *AuditEntry) (*OrgMerge, error)
	// OrganisationMerges lists the organisations merged into key.
	OrganisationMerges(ctx context.Context, key string) ([]*OrgMerge, error)
	// MergedInto returns the key of the organisation a removed key was
	// merged into, or a not-found error.
	MergedInto(ctx context.Context, removedKey string) (string, error)
}

// box is a rectangle of latitudes and longitudes, in degrees.
type box struct{ south, north, west, east float64 }

// countryBoxes bound where an authority of each country can lie: France
// with its overseas départements and collectivities, Japan from Okinawa to
// Hokkaidō. Enough to catch a latitude and a longitude swapped, or a sign
// forgotten, not to draw borders.
var countryBoxes = map[Country][]box{
	France: {
		{41.3, 51.2, -5.3, 9.7},        // metropolitan France and Corsica
		{15.8, 16.6, -61.9, -60.9},     // Guadeloupe
		{14.3, 14.9, -61.3, -60.8},     // Martinique
		{2.0, 5.9, -54.7, -51.5},       // Guyane
		{-21.5, -20.8, 55.1, 55.9},     // La Réunion
		{-13.1, -12.6, 44.9, 45.4},     // Mayotte
		{46.7, 47.2, -56.5, -56.1},     // Saint-Pierre-et-Miquelon
		{17.8, 18.2, -63.2, -62.7},     // Saint-Barthélemy, Saint-Martin
		{-28.0, -7.0, -155.0, -134.0},  // French Polynesia
		{-23.0, -19.0, 163.0, 169.0},   // New Caledonia
		{-14.4, -13.2, -178.2, -176.1}, // Wallis-et-Futuna
	},
	Japan: {{20.0, 45.6, 122.9, 154.0}},
}

// InCountry reports whether a position may lie in country c: inside one
// of its boxes, or anywhere for a country without any.
func InCountry(c Country, lat, lng float64) bool {
	boxes, ok := countryBoxes[c]
	if !ok {
		return true
	}
	for _, b := range boxes {
		if lat >= b.south && lat <= b.north && lng >= b.west && lng <= b.east {
			return true
		}
	}
	return false
}
