package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rencontres/rencontres/internal/rencontres"
)

const seriesColumns = `s.id, s.slug, s.name, s.short_name, s.rhythm, s.alternating, s.description,
		(SELECT COUNT(*) FROM editions e WHERE e.series_id = s.id), s.sender_name, s.reply_to`

func scanSeries(row scanner) (*rencontres.Series, error) {
	se := rencontres.Series{Organisations: []rencontres.EditionOrg{}}
	err := row.Scan(&se.ID, &se.Slug, &se.Name, &se.Short, &se.Rhythm, &se.Alternating, &se.Description, &se.Editions, &se.SenderName, &se.ReplyTo)
	return &se, err
}

// AllSeries lists every series with its number of editions and its
// organisations.
func (s *Store) AllSeries(ctx context.Context) ([]*rencontres.Series, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT `+seriesColumns+` FROM series s ORDER BY s.id`)
	if err != nil {
		return nil, err
	}
	var out []*rencontres.Series
	byID := map[int64]*rencontres.Series{}
	for rows.Next() {
		se, err := scanSeries(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, se)
		byID[se.ID] = se
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.loadSeriesOrganisations(ctx, byID)
}

// Series returns the series with the given slug.
func (s *Store) Series(ctx context.Context, slug string) (*rencontres.Series, error) {
	se, err := scanSeries(s.reader().QueryRowContext(ctx, `SELECT `+seriesColumns+` FROM series s WHERE s.slug = $1`, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("series")
	}
	if err != nil {
		return nil, err
	}
	return se, s.loadSeriesOrganisations(ctx, map[int64]*rencontres.Series{se.ID: se})
}

// loadSeriesOrganisations fills the co-organisers and patrons of the given
// series, in the order they were given, with one query.
func (s *Store) loadSeriesOrganisations(ctx context.Context, byID map[int64]*rencontres.Series) error {
	if len(byID) == 0 {
		return nil
	}
	ids, in := inList(byID)
	rows, err := s.reader().QueryContext(ctx, `SELECT x.series_id, x.role, `+orgColumns+`
		FROM series_organisations x JOIN organisations o ON o.id = x.org_id LEFT JOIN organisations p ON p.id = o.parent_id
		WHERE x.series_id IN `+in+` ORDER BY x.series_id, x.seq`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var role string
		o, err := scanOrg(rows, &id, &role)
		if err != nil {
			return err
		}
		if se := byID[id]; se != nil {
			se.Organisations = append(se.Organisations, rencontres.EditionOrg{Role: rencontres.EditionRole(role), OrgKey: o.Key, Org: o})
		}
	}
	return rows.Err()
}

// CreateSeries creates a series, refusing a slug already taken: its URLs
// belong to the series that has it.
func (s *Store) CreateSeries(ctx context.Context, se *rencontres.Series) error {
	if err := se.Validate(); err != nil {
		return err
	}
	return s.InTx(ctx, func(s *Store) error {
		if _, err := s.Series(ctx, se.Slug); err == nil {
			return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "series_form.slug_taken", Field: "slug",
				Message: fmt.Sprintf("a series already has the slug %q", se.Slug), Args: map[string]any{"Slug": se.Slug}}
		}
		return s.SaveSeries(ctx, se)
	})
}

// UpdateSeries replaces the series named slug; its slug does not change.
func (s *Store) UpdateSeries(ctx context.Context, slug string, se *rencontres.Series) error {
	se.Slug = slug
	if err := se.Validate(); err != nil {
		return err
	}
	return s.InTx(ctx, func(s *Store) error {
		if _, err := s.Series(ctx, slug); err != nil {
			return err
		}
		return s.SaveSeries(ctx, se)
	})
}

// SaveSeries creates a series, or updates the one with the same slug, with
// its organisations, in one transaction; nil organisations leave those
// stored as they are. A series given no short name
// takes its name as one: editions' titles are made from it.
func (s *Store) SaveSeries(ctx context.Context, se *rencontres.Series) error {
	if err := se.Validate(); err != nil {
		return err
	}
	if se.Short.IsZero() {
		se.Short = se.Name
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO series (slug, name, short_name, rhythm, alternating, description, sender_name, reply_to)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (slug) DO UPDATE SET name = excluded.name, short_name = excluded.short_name,
				rhythm = excluded.rhythm, alternating = excluded.alternating, description = excluded.description,
				sender_name = excluded.sender_name, reply_to = excluded.reply_to
			RETURNING id`, se.Slug, se.Name, se.Short, se.Rhythm, se.Alternating, se.Description, se.SenderName, se.ReplyTo).Scan(&se.ID); err != nil {
			return err
		}
		if se.Organisations == nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM series_organisations WHERE series_id = $1", se.ID); err != nil {
			return err
		}
		seen := map[string]bool{}
		for i, so := range se.Organisations {
			id, err := orgID(ctx, tx, so.OrgKey)
			if err != nil {
				var e *rencontres.Error
				if errors.As(err, &e) {
					e.Code, e.Field = rencontres.EINVALID, fmt.Sprintf("organisations[%d].organisation", i)
				}
				return err
			}
			if seen[so.OrgKey+" "+string(so.Role)] {
				continue // the same organisation twice in the same role
			}
			seen[so.OrgKey+" "+string(so.Role)] = true
			if _, err := tx.ExecContext(ctx, `INSERT INTO series_organisations (series_id, org_id, role, seq)
				VALUES ($1, $2, $3, $4)`, se.ID, id, so.Role, i); err != nil {
				return err
			}
		}
		return nil
	})
}

// SeriesSender is the sender name and Reply-To of the series an event
// belongs to: an edition's own series, a meeting's through the edition it
// prepares, else through the event it is held within (a committee meeting
// held within the RAICT); empty when the event has no series or the series
// sets neither.
func (s *Store) SeriesSender(ctx context.Context, eventID int64) (senderName, replyTo string, err error) {
	err = s.reader().QueryRowContext(ctx, `SELECT se.sender_name, se.reply_to FROM events v
		JOIN editions ed ON ed.id = COALESCE(v.edition_id, v.within_id) JOIN series se ON se.id = ed.series_id
		WHERE v.id = $1`, eventID).Scan(&senderName, &replyTo)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	return senderName, replyTo, err
}
