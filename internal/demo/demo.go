// Package demo loads the demonstration dataset: the history of the
// Rencontres franco-japonaises and of the RAICT as the seed letters and
// public sources tell it, with fictitious people.
package demo

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

//go:embed demo.json
var data []byte

// Dataset is the content of demo.json.
type Dataset struct {
	About         string                     `json:"about"`
	Organisations []*rencontres.Organisation `json:"organisations"`
	Partnerships  []*rencontres.Partnership  `json:"partnerships"`
	Series        []*Series                  `json:"series"`
	Editions      []*rencontres.Edition      `json:"editions"`
}

// Series is a series with the organisations every one of its editions has
// unless an edition lists its own (the co-organisers and patrons of the
// Rencontres franco-japonaises).
type Series struct {
	rencontres.Series
	Organisations []rencontres.EditionOrg `json:"organisations"`
}

// Parse reads the embedded dataset, refusing unknown fields so that a typo
// in the file is caught by the tests rather than silently dropped.
func Parse() (*Dataset, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var d Dataset
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("demo.json: %w", err)
	}
	return &d, nil
}

// Load stores the dataset when the database holds no series yet, all in one
// transaction, and reports whether it did. Running it again changes nothing.
func Load(ctx context.Context, st *store.Store) (bool, error) {
	d, err := Parse()
	if err != nil {
		return false, err
	}
	loaded := false
	err = st.InTx(ctx, func(st *store.Store) error {
		n, err := st.CountSeries(ctx)
		if err != nil || n > 0 {
			return err
		}
		if _, _, err := st.UpsertOrganisations(ctx, d.Organisations); err != nil {
			return fmt.Errorf("demo organisations: %w", err)
		}
		for _, p := range d.Partnerships {
			if err := st.UpsertPartnership(ctx, p); err != nil {
				return fmt.Errorf("demo partnership %s–%s: %w", p.A, p.B, err)
			}
		}
		defaults := map[string][]rencontres.EditionOrg{}
		for _, se := range d.Series {
			if err := st.SaveSeries(ctx, &se.Series); err != nil {
				return fmt.Errorf("demo series %s: %w", se.Slug, err)
			}
			defaults[se.Slug] = se.Organisations
		}
		for _, e := range d.Editions {
			if len(e.Organisations) == 0 {
				e.Organisations = defaults[e.SeriesSlug]
			}
			if err := st.SaveEdition(ctx, e); err != nil {
				return fmt.Errorf("demo edition %s/%d: %w", e.SeriesSlug, e.Number, err)
			}
		}
		loaded = true
		return nil
	})
	return loaded, err
}
