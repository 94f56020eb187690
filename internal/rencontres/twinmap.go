package rencontres

import "context"

// Participation is an authority's taking part in one edition of a series.
type Participation struct {
	OrgKey    string
	Series    string
	EditionID int64
	Number    int
}

// MapService reads what the twinning map draws beyond the partnerships:
// who took part in which edition, and organisations by key.
type MapService interface {
	// Participations are those of the edition of the id, of every
	// edition when 0.
	Participations(ctx context.Context, editionID int64) ([]Participation, error)
	OrganisationsByKey(ctx context.Context, keys []string) (map[string]*Organisation, error)
	// MapPartnerships are every partnership with what the map reads of
	// each side and its area (not their agreements, notes or records).
	MapPartnerships(ctx context.Context) ([]*Partnership, error)
}
