package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rencontres/rencontres/internal/rencontres"
)

const editionColumns = `e.id, s.slug, e.number, e.year, COALESCE(h.key, ''), v.venue, v.start_date, v.end_date, v.time_zone,
	e.theme, v.status, e.declaration, e.summary, e.people, e.authorities_fr, e.authorities_jp, e.interpreters,
	e.record, e.figures_note, v.published`

// An edition's venue, zone, days and status are those of its event, which
// has the same id.
const editionFrom = ` FROM editions e JOIN events v ON v.id = e.id JOIN series s ON s.id = e.series_id LEFT JOIN organisations h ON h.id = e.host_id`

func scanEdition(row scanner) (*rencontres.Edition, error) {
	var e rencontres.Edition
	var people, fr, jp, interp sql.NullInt64
	if err := row.Scan(&e.ID, &e.SeriesSlug, &e.Number, &e.Year, &e.HostKey, &e.Venue, &e.Start, &e.End, &e.TimeZone,
		&e.Theme, &e.Status, &e.Declaration, &e.Summary, &people, &fr, &jp, &interp,
		&e.Figures.Record, &e.Figures.Note, &e.Published); err != nil {
		return nil, err
	}
	e.Figures.People, e.Figures.AuthoritiesFR = intPtr(people), intPtr(fr)
	e.Figures.AuthoritiesJP, e.Figures.Interpreters = intPtr(jp), intPtr(interp)
	e.DateChanges = []rencontres.DateChange{}
	return &e, nil
}

func intPtr(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

// Editions lists editions in order of series and number, each with its host,
// its date changes, its organisations and its workshops. Committees are
// loaded only by Edition.
func (s *Store) Editions(ctx context.Context, f rencontres.EditionFilter) ([]*rencontres.Edition, error) {
	query := "SELECT " + editionColumns + editionFrom + " WHERE ($1 = '' OR s.slug = $1) AND ($2 = '' OR h.key = $2) ORDER BY s.id, e.number"
	rows, err := s.reader().QueryContext(ctx, query, f.Series, f.HostKey)
	if err != nil {
		return nil, err
	}
	var out []*rencontres.Edition
	byID := map[int64]*rencontres.Edition{}
	for rows.Next() {
		e, err := scanEdition(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, e)
		byID[e.ID] = e
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	if err := s.loadEditionDetails(ctx, byID); err != nil {
		return nil, err
	}
	return out, nil
}

// loadEditionDetails fills hosts, date changes, organisations and workshops
// of the given editions with one query each, whatever their number.
func (s *Store) loadEditionDetails(ctx context.Context, byID map[int64]*rencontres.Edition) error {
	ids, in := inList(byID)

	// Hosts and organisations: every organisation linked to these editions.
	rows, err := s.reader().QueryContext(ctx, `SELECT x.edition_id, x.role, `+orgColumns+` FROM (
			SELECT id AS edition_id, '' AS role, host_id AS org_id, 0 AS seq FROM editions WHERE host_id IS NOT NULL AND id IN `+in+`
			UNION ALL SELECT edition_id, role, org_id, seq FROM edition_organisations WHERE edition_id IN `+in+`
		) x JOIN organisations o ON o.id = x.org_id LEFT JOIN organisations p ON p.id = o.parent_id
		ORDER BY x.edition_id, x.role, x.seq`, ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var role string
		o, err := scanOrg(rows, &id, &role)
		if err != nil {
			rows.Close()
			return err
		}
		e := byID[id]
		if e == nil {
			continue
		}
		if role == "" {
			e.Host = o
		} else {
			e.Organisations = append(e.Organisations, rencontres.EditionOrg{Role: rencontres.EditionRole(role), OrgKey: o.Key, Org: o})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	if err := s.dateChanges(ctx, ids, in, func(id int64, c rencontres.DateChange) {
		if e := byID[id]; e != nil {
			e.DateChanges = append(e.DateChanges, c)
		}
	}); err != nil {
		return err
	}

	rows, err = s.reader().QueryContext(ctx, `SELECT edition_id, title, theme FROM edition_workshops WHERE edition_id IN `+in+` ORDER BY edition_id, seq`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var w rencontres.Workshop
		if err := rows.Scan(&id, &w.Title, &w.Theme); err != nil {
			return err
		}
		if e := byID[id]; e != nil {
			e.Workshops = append(e.Workshops, w)
		}
	}
	return rows.Err()
}

// Edition returns one edition with everything known about it.
func (s *Store) Edition(ctx context.Context, series string, number int) (*rencontres.Edition, error) {
	e, err := scanEdition(s.reader().QueryRowContext(ctx, "SELECT "+editionColumns+editionFrom+" WHERE s.slug = $1 AND e.number = $2", series, number))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("edition")
	}
	if err != nil {
		return nil, err
	}
	if err := s.loadEditionDetails(ctx, map[int64]*rencontres.Edition{e.ID: e}); err != nil {
		return nil, err
	}
	if err := s.loadCommittees(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

func (s *Store) loadCommittees(ctx context.Context, e *rencontres.Edition) error {
	rows, err := s.reader().QueryContext(ctx, `SELECT id, kind, name FROM committees WHERE edition_id = $1 ORDER BY id`, e.ID)
	if err != nil {
		return err
	}
	byID := map[int64]*rencontres.Committee{}
	for rows.Next() {
		c := rencontres.Committee{EditionID: e.ID}
		if err := rows.Scan(&c.ID, &c.Kind, &c.Name); err != nil {
			rows.Close()
			return err
		}
		e.Committees = append(e.Committees, &c)
		byID[c.ID] = &c
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(byID) == 0 {
		return err
	}
	rows, err = s.reader().QueryContext(ctx, `SELECT m.committee_id, `+seatColumns+`
		FROM committee_seats m JOIN committees c ON c.id = m.committee_id
		LEFT JOIN organisations o ON o.id = m.org_id
		WHERE c.edition_id = $1 ORDER BY m.committee_id, m.seq, m.id`, e.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var m rencontres.CommitteeSeat
		if err := rows.Scan(&id, &m.ID, &m.Person, &m.Role, &m.Function, &m.OrgKey, &m.MandateStart, &m.MandateEnd, &m.PersonJa, &m.Kana); err != nil {
			rows.Close()
			return err
		}
		byID[id].Members = append(byID[id].Members, &m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range e.Committees {
		if c.Meetings, err = s.Events(ctx, rencontres.EventFilter{CommitteeID: c.ID}); err != nil {
			return err
		}
		for _, m := range c.Meetings {
			if m.WithinID != 0 {
				if m.Within, err = s.Event(ctx, m.WithinID); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

const seatColumns = `m.id, m.person, m.role, m.function, COALESCE(o.key, ''), m.mandate_start, m.mandate_end, m.person_ja, m.kana`

// SaveEdition creates an edition and its event, or replaces the one with
// the same series and number, with its date changes, organisations and
// workshops, in one transaction. Its committees are saved by SaveCommittee
// and keep their ids, and with them their seats and meetings.
func (s *Store) SaveEdition(ctx context.Context, e *rencontres.Edition) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var seriesID int64
		if err := tx.QueryRowContext(ctx, "SELECT id FROM series WHERE slug = $1", e.SeriesSlug).Scan(&seriesID); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_series", Field: "series",
					Message: fmt.Sprintf("series %q not found", e.SeriesSlug)}
			}
			return err
		}
		var host sql.NullInt64
		if e.HostKey != "" {
			id, err := orgID(ctx, tx, e.HostKey)
			if err != nil {
				return err
			}
			host = sql.NullInt64{Int64: id, Valid: true}
		}
		f := e.Figures
		err := tx.QueryRowContext(ctx, "SELECT id FROM editions WHERE series_id = $1 AND number = $2", seriesID, e.Number).Scan(&e.ID)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if err := tx.QueryRowContext(ctx, `INSERT INTO events (kind, venue, time_zone, start_date, end_date, status)
				VALUES ('edition', $1, $2, $3, $4, $5) RETURNING id`, e.Venue, e.TimeZone, e.Start, e.End, e.Status).Scan(&e.ID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE events SET edition_id = id WHERE id = $1", e.ID); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			if _, err := tx.ExecContext(ctx, `UPDATE events SET venue = $2, time_zone = $3, start_date = $4, end_date = $5, status = $6
				WHERE id = $1`, e.ID, e.Venue, e.TimeZone, e.Start, e.End, e.Status); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO editions (id, series_id, number, year, host_id,
				theme, declaration, summary, people, authorities_fr, authorities_jp, interpreters, record, figures_note)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
			ON CONFLICT (series_id, number) DO UPDATE SET year = excluded.year, host_id = excluded.host_id,
				theme = excluded.theme, declaration = excluded.declaration,
				summary = excluded.summary, people = excluded.people, authorities_fr = excluded.authorities_fr,
				authorities_jp = excluded.authorities_jp, interpreters = excluded.interpreters,
				record = excluded.record, figures_note = excluded.figures_note`,
			e.ID, seriesID, e.Number, e.Year, host, e.Theme, e.Declaration,
			e.Summary, f.People, f.AuthoritiesFR, f.AuthoritiesJP, f.Interpreters, f.Record, f.Note)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM event_date_changes WHERE event_id = $1", e.ID); err != nil {
			return err
		}
		for _, table := range []string{"edition_organisations", "edition_workshops"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE edition_id = $1", e.ID); err != nil {
				return err
			}
		}
		for i, c := range e.DateChanges {
			kind := cmp.Or(c.Kind, rencontres.Postponement)
			if _, err := tx.ExecContext(ctx, `INSERT INTO event_date_changes
				(event_id, seq, from_start, from_end, to_start, to_end, decided_on, reason, kind)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
				e.ID, i, c.FromStart, c.FromEnd, c.ToStart, c.ToEnd, c.DecidedOn, c.Reason, kind); err != nil {
				return err
			}
		}
		for i, eo := range e.Organisations {
			id, err := orgID(ctx, tx, eo.OrgKey)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO edition_organisations (edition_id, org_id, role, seq)
				VALUES ($1, $2, $3, $4)`, e.ID, id, eo.Role, i); err != nil {
				return err
			}
		}
		for i, w := range e.Workshops {
			if _, err := tx.ExecContext(ctx, `INSERT INTO edition_workshops (edition_id, seq, title, theme)
				VALUES ($1, $2, $3, $4)`, e.ID, i, w.Title, w.Theme); err != nil {
				return err
			}
		}
		return nil
	})
}

// CountSeries returns the number of series, which tells whether the demo
// dataset may be loaded.
func (s *Store) CountSeries(ctx context.Context) (int, error) {
	var n int
	err := s.reader().QueryRowContext(ctx, "SELECT COUNT(*) FROM series").Scan(&n)
	return n, err
}
