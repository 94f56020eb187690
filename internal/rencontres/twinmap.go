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
	Participations(ctx context.Context) ([]Participation, error)
	OrganisationsByKey(ctx context.Context, keys []string) (map[string]*Organisation, error)
}
