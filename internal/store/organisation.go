package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

const orgColumns = `o.id, o.key, o.kind, o.country, o.code, o.name, o.kana, COALESCE(p.key, ''),
	o.population, o.lat, o.lng, o.website, o.address, o.languages, o.cuf_japan_group, o.notes, o.source,
	o.overrides, o.created_at, o.updated_at`

const orgFrom = ` FROM organisations o LEFT JOIN organisations p ON p.id = o.parent_id`

type scanner interface{ Scan(...any) error }

// scanAll reads every row a query gave with scan, and closes the rows;
// err is the query's, so that a query's two results pass as they are.
func scanAll[T any](rows *sql.Rows, err error, scan func(scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// scanOrg reads orgColumns, after the extra columns a query selects first.
func scanOrg(row scanner, extra ...any) (*rencontres.Organisation, error) {
	var o rencontres.Organisation
	var lat, lng sql.NullFloat64
	var languages, overrides, created, updated string
	dest := append(extra, &o.ID, &o.Key, &o.Kind, &o.Country, &o.Code, &o.Name, &o.Kana, &o.ParentKey,
		&o.Population, &lat, &lng, &o.Website, &o.Address, &languages, &o.CUFJapanGroup, &o.Notes, &o.Source,
		&overrides, &created, &updated)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	if lat.Valid && lng.Valid {
		o.Lat, o.Lng = &lat.Float64, &lng.Float64
	}
	if err := json.Unmarshal([]byte(languages), &o.Languages); err != nil {
		return nil, fmt.Errorf("organisation %s: languages: %w", o.Key, err)
	}
	if err := json.Unmarshal([]byte(overrides), &o.Reference); err != nil {
		return nil, fmt.Errorf("organisation %s: overrides: %w", o.Key, err)
	}
	if len(o.Reference) == 0 {
		o.Reference = nil
	}
	o.Created, _ = parseTS(created)
	o.Updated, _ = parseTS(updated)
	return &o, nil
}

// Organisation returns the organisation with the given key.
func (s *Store) Organisation(ctx context.Context, key string) (*rencontres.Organisation, error) {
	o, err := scanOrg(s.reader().QueryRowContext(ctx, "SELECT "+orgColumns+orgFrom+" WHERE o.key = $1", key))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("organisation")
	}
	return o, err
}

// UpsertOrganisations creates or updates organisations by key, all in one
// transaction. Names are merged language by language, so that a re-import of
// French data keeps a Japanese name entered by hand; an unknown population
// (0) or position (nil) keeps the one already stored. A field the
// secretariat changed keeps its value: the new reference value is kept
// beside it (upsertEdited). A key merged into another organisation is
// skipped: the merge stands. Parents must be stored already or come earlier
// in orgs.
func (s *Store) UpsertOrganisations(ctx context.Context, orgs []*rencontres.Organisation) (created, updated int, err error) {
	for i, o := range orgs {
		if err := o.Validate(); err != nil {
			return 0, 0, fmt.Errorf("organisation %d (%s): %w", i+1, o.Key, err)
		}
	}
	now := ts(time.Now())
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		type known struct {
			id     int64
			name   rencontres.Text
			kana   string
			edited bool
		}
		existing := map[string]known{}
		touched := make([]int64, 0, len(orgs))
		rows, err := tx.QueryContext(ctx, "SELECT id, key, name, kana, overrides <> '{}' FROM organisations")
		if err != nil {
			return err
		}
		for rows.Next() {
			var k known
			var key string
			if err := rows.Scan(&k.id, &key, &k.name, &k.kana, &k.edited); err != nil {
				rows.Close()
				return err
			}
			existing[key] = k
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		merged, err := mergedKeys(ctx, tx)
		if err != nil {
			return err
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO organisations
			(key, kind, country, code, name, kana, parent_id, population, lat, lng, website, search_text, sort_name, kind_rank, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id`)
		if err != nil {
			return err
		}
		defer ins.Close()
		upd, err := tx.PrepareContext(ctx, `UPDATE organisations SET
			kind = $2, country = $3, code = $4, name = $5,
			kana = CASE WHEN $6 = '' THEN kana ELSE $6 END,
			parent_id = COALESCE($7, parent_id),
			population = CASE WHEN $8 > 0 THEN $8 ELSE population END,
			lat = COALESCE($9, lat), lng = COALESCE($10, lng),
			website = CASE WHEN $11 = '' THEN website ELSE $11 END,
			search_text = $12, sort_name = $13, kind_rank = $14, updated_at = $15
			WHERE id = $1`)
		if err != nil {
			return err
		}
		defer upd.Close()
		for _, o := range orgs {
			k, found := existing[o.Key]
			if _, gone := merged[o.Key]; gone && !found {
				continue
			}
			var parent sql.NullInt64
			if o.ParentKey != "" {
				p, ok := existing[o.ParentKey]
				switch {
				case ok:
					parent = sql.NullInt64{Int64: p.id, Valid: true}
				case merged[o.ParentKey] != 0:
					parent = sql.NullInt64{Int64: merged[o.ParentKey], Valid: true}
				default:
					return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_parent", Field: "parent",
						Message: fmt.Sprintf("organisation %s: parent %q is unknown", o.Key, o.ParentKey)}
				}
			}
			if found && k.edited {
				if err := s.upsertEdited(ctx, tx, k.id, o); err != nil {
					return fmt.Errorf("update %s: %w", o.Key, err)
				}
				o.ID = k.id
				updated++
				continue
			}
			name := rencontres.Text{}
			if found {
				for l, v := range k.name {
					name[l] = v
				}
			}
			for l, v := range o.Name {
				if v != "" {
					name[l] = v
				}
			}
			merged := *o
			merged.Name = name
			if found && merged.Kana == "" {
				merged.Kana = k.kana // the stored reading stays searchable
			}
			search, sortName := searchColumns(&merged)
			if found {
				if _, err := upd.ExecContext(ctx, k.id, o.Kind, o.Country, o.Code, name, o.Kana, parent,
					o.Population, o.Lat, o.Lng, o.Website, search, sortName, kindRank(o.Kind), now); err != nil {
					return fmt.Errorf("update %s: %w", o.Key, err)
				}
				o.ID = k.id
				updated++
			} else {
				if err := ins.QueryRowContext(ctx, o.Key, o.Kind, o.Country, o.Code, name, o.Kana, parent,
					o.Population, o.Lat, o.Lng, o.Website, search, sortName, kindRank(o.Kind), now).Scan(&o.ID); err != nil {
					return fmt.Errorf("insert %s: %w", o.Key, err)
				}
				created++
			}
			existing[o.Key] = known{id: o.ID, name: name, kana: merged.Kana}
			touched = append(touched, o.ID)
		}
		return reindexOrganisations(ctx, tx, touched)
	})
	if err != nil {
		return 0, 0, err
	}
	return created, updated, nil
}

// kindRank orders search results of equal relevance: a town before the
// department, prefecture or region named after it, wards and
// inter-municipal bodies last.
func kindRank(k rencontres.OrgKind) int {
	switch k {
	case rencontres.Commune, rencontres.Municipality, rencontres.SpecialWard:
		return 0
	case rencontres.Prefecture, rencontres.Departement, rencontres.Region, rencontres.Institution:
		return 1
	case rencontres.EPCI:
		return 2
	}
	return 3
}

// Partnerships lists the partnerships of the organisation with the given
// key, each with the partner filled in, oldest first.
func (s *Store) Partnerships(ctx context.Context, orgKey string) ([]*rencontres.Partnership, error) {
	rows, err := s.reader().QueryContext(ctx, `
		SELECT me.key, `+partnershipColumns+`, `+orgColumns+partnershipFrom+`
		JOIN organisations me ON me.key = $1 AND (pa.org_a = me.id OR pa.org_b = me.id)
		JOIN organisations o ON o.id = CASE WHEN pa.org_a = me.id THEN pa.org_b ELSE pa.org_a END
		LEFT JOIN organisations p ON p.id = o.parent_id
		ORDER BY pa.year, o.sort_name`, orgKey)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*rencontres.Partnership
	for rows.Next() {
		pa, sc := &rencontres.Partnership{}, &partnershipScan{}
		o, err := scanOrg(rows, append([]any{&pa.A}, sc.dest(pa)...)...)
		if err != nil {
			return nil, err
		}
		if err := sc.finish(pa); err != nil {
			return nil, err
		}
		pa.B, pa.Other = o.Key, o
		out = append(out, pa)
	}
	return out, rows.Err()
}

// UpsertPartnership stores a partnership between two organisations given by
// key, updating its year and note if it exists: what the reference and
// demo data load, which keeps the state the secretariat and the
// authorities keep.
func (s *Store) UpsertPartnership(ctx context.Context, p *rencontres.Partnership) error {
	if p.State == "" {
		p.State = rencontres.StateActive
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := orgID(ctx, tx, p.A)
		if err != nil {
			return err
		}
		b, err := orgID(ctx, tx, p.B)
		if err != nil {
			return err
		}
		if a > b {
			a, b = b, a
		}
		now := ts(time.Now())
		return tx.QueryRowContext(ctx, `INSERT INTO partnerships (org_a, org_b, kind, year, note, kind_label, year_ended, state,
			last_exchanges, current_projects, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
			ON CONFLICT (org_a, org_b, kind) DO UPDATE SET year = excluded.year, note = excluded.note
			RETURNING id`, a, b, p.Kind, p.Year, p.Note, p.KindLabel, p.YearEnded, p.State,
			p.LastExchanges, p.CurrentProjects, now).Scan(&p.ID)
	})
}

func orgID(ctx context.Context, tx querier, key string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM organisations WHERE key = $1", key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, &rencontres.Error{Code: rencontres.ENOTFOUND, Key: "error.unknown_organisation", Field: "organisation",
			Message: fmt.Sprintf("organisation %q not found", key), Args: map[string]any{"Key": key}}
	}
	return id, err
}
