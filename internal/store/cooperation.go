package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/partners"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// Cooperation profiles and partner suggestions (issue 17, migration
// 00037). A profile's lists are stored as ",a,b," (keyList).

// keyList stores a list of keys between commas; an empty list is "".
func keyList(keys []string) string {
	if len(keys) == 0 {
		return ""
	}
	return "," + strings.Join(keys, ",") + ","
}

func parseKeyList(s string) []string {
	out := []string{}
	for k := range strings.SplitSeq(strings.Trim(s, ","), ",") {
		if k != "" {
			out = append(out, k)
		}
	}
	return out
}

// CooperationProfile implements rencontres.CooperationService.
func (s *Store) CooperationProfile(ctx context.Context, orgKey string) (*rencontres.CooperationProfile, error) {
	p := &rencontres.CooperationProfile{OrgKey: orgKey, Seeks: []string{}, Offers: []string{}, Kinds: []string{}, Languages: []string{}}
	var seeks, offers, kinds, langs, updated string
	var by sql.NullInt64
	var exists int
	err := s.reader().QueryRowContext(ctx, `SELECT 1, COALESCE(c.seeks, ''), COALESCE(c.offers, ''), COALESCE(c.kinds, ''), COALESCE(c.languages, ''),
		c.updated_by, COALESCE(c.updated_at, '')
		FROM organisations o LEFT JOIN cooperation_profiles c ON c.org_id = o.id WHERE o.key = $1`, orgKey).
		Scan(&exists, &seeks, &offers, &kinds, &langs, &by, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("organisation")
	}
	if err != nil {
		return nil, err
	}
	p.Seeks, p.Offers, p.Kinds, p.Languages = parseKeyList(seeks), parseKeyList(offers), parseKeyList(kinds), parseKeyList(langs)
	p.UpdatedBy = by.Int64
	if updated != "" {
		p.UpdatedAt, _ = parseTS(updated)
	}
	return p, nil
}

// SaveCooperationProfile implements rencontres.CooperationService: the
// profile is checked whole, then written in one statement.
func (s *Store) SaveCooperationProfile(ctx context.Context, p *rencontres.CooperationProfile, by int64, now time.Time) error {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return err
	}
	var updatedBy any
	if by != 0 {
		updatedBy = by
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		o, err := orgByKey(ctx, tx, p.OrgKey)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO cooperation_profiles (org_id, seeks, offers, kinds, languages, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (org_id) DO UPDATE SET seeks = excluded.seeks, offers = excluded.offers, kinds = excluded.kinds,
				languages = excluded.languages, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			o.ID, keyList(p.Seeks), keyList(p.Offers), keyList(p.Kinds), keyList(p.Languages), updatedBy, ts(now))
		if err != nil {
			return fmt.Errorf("save cooperation profile %s: %w", p.OrgKey, err)
		}
		p.UpdatedBy, p.UpdatedAt = by, now.UTC()
		return nil
	})
}

// moveCooperationProfile gives keep the profile of from when keep has
// none, before a merge removes from (and its profile with it).
func moveCooperationProfile(ctx context.Context, tx *sql.Tx, keep, from int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE cooperation_profiles SET org_id = $1 WHERE org_id = $2
		AND NOT EXISTS (SELECT 1 FROM cooperation_profiles k WHERE k.org_id = $1)`, keep, from)
	return err
}

// Suggestions implements rencontres.CooperationService. Only authorities
// with some signal are read (a profile, a practice, a delegation, a
// partnership, or a position near one of the authority's twins), so that
// the 36,000 authorities of the directory, most with no data, cost
// nothing; partners.Rank scores them.
func (s *Store) Suggestions(ctx context.Context, orgKey string, limit int) ([]*rencontres.Suggestion, error) {
	o, err := s.Organisation(ctx, orgKey)
	if err != nil {
		return nil, err
	}
	if !o.Kind.IsAuthority() {
		return []*rencontres.Suggestion{}, nil
	}
	g := &gathered{byID: map[int64]*partners.Authority{}}
	if err := g.read(ctx, s.reader(), o); err != nil {
		return nil, err
	}
	a := g.byID[o.ID]
	var candidates []*partners.Authority
	for _, c := range g.byID {
		if c.ID != a.ID && c.Kind.IsAuthority() && (c.Country == rencontres.France || c.Country == rencontres.Japan) {
			candidates = append(candidates, c)
		}
	}
	names, err := readNames(ctx, s.reader())
	if err != nil {
		return nil, err
	}
	out := partners.Rank(a, candidates, g.byID, names, partners.DefaultWeights, limit)
	if out == nil {
		out = []*rencontres.Suggestion{}
	}
	return out, nil
}

// readNames reads the editions and workshops a reason may name: a few
// dozen rows.
func readNames(ctx context.Context, q querier) (partners.Names, error) {
	n := partners.Names{Editions: map[int64]partners.Edition{}, Workshops: map[string]partners.Workshop{}}
	err := eachRow(ctx, q, `SELECT ed.id, ed.number, se.short_name FROM editions ed JOIN series se ON se.id = ed.series_id`, nil, func(sc scanner) error {
		var id int64
		var e partners.Edition
		if err := sc.Scan(&id, &e.Number, &e.Series); err != nil {
			return err
		}
		n.Editions[id] = e
		return nil
	})
	if err != nil {
		return n, err
	}
	err = eachRow(ctx, q, `SELECT edition_id, seq, title FROM edition_workshops`, nil, func(sc scanner) error {
		var id, seq int64
		var title rencontres.Text
		if err := sc.Scan(&id, &seq, &title); err != nil {
			return err
		}
		// A practice's workshop counts from 1, the table's seq from 0.
		n.Workshops[fmt.Sprintf("%d/%d", id, seq+1)] = partners.Workshop{Edition: n.Editions[id], Title: title}
		return nil
	})
	return n, err
}

// gathered is what the suggestions read, by authority.
type gathered struct {
	byID map[int64]*partners.Authority
	// facts hold what was read before the authorities themselves.
	twins     map[int64][]int64
	profiles  map[int64][2][]string
	sdgs      map[int64][]int
	practices map[int64]int
	editions  map[int64][]int64
	workshops map[int64][]string
}

func (g *gathered) read(ctx context.Context, q querier, o *rencontres.Organisation) error {
	g.twins, g.profiles, g.sdgs, g.practices = map[int64][]int64{}, map[int64][2][]string{}, map[int64][]int{}, map[int64]int{}
	g.editions, g.workshops = map[int64][]int64{}, map[int64][]string{}
	ids := map[int64]bool{o.ID: true}
	err := eachRow(ctx, q, "SELECT org_a, org_b FROM partnerships", nil, func(sc scanner) error {
		var a, b int64
		if err := sc.Scan(&a, &b); err != nil {
			return err
		}
		g.twins[a] = append(g.twins[a], b)
		g.twins[b] = append(g.twins[b], a)
		ids[a], ids[b] = true, true
		return nil
	})
	if err != nil {
		return err
	}
	err = eachRow(ctx, q, "SELECT org_id, seeks, offers FROM cooperation_profiles", nil, func(sc scanner) error {
		var id int64
		var seeks, offers string
		if err := sc.Scan(&id, &seeks, &offers); err != nil {
			return err
		}
		g.profiles[id] = [2][]string{parseKeyList(seeks), parseKeyList(offers)}
		ids[id] = true
		return nil
	})
	if err != nil {
		return err
	}
	err = eachRow(ctx, q, `SELECT po.org_id, COALESCE(pi.edition_id, 0), pi.workshop, pi.sdgs
		FROM practice_index pi JOIN proposal_organisations po ON po.proposal_id = pi.proposal_id`, nil, func(sc scanner) error {
		var id, edition, workshop int64
		var sdgs string
		if err := sc.Scan(&id, &edition, &workshop, &sdgs); err != nil {
			return err
		}
		g.practices[id]++
		for _, n := range parseKeyList(sdgs) {
			if v, err := strconv.Atoi(n); err == nil {
				g.sdgs[id] = append(g.sdgs[id], v)
			}
		}
		if edition != 0 && workshop > 0 {
			g.workshops[id] = append(g.workshops[id], fmt.Sprintf("%d/%d", edition, workshop))
		}
		ids[id] = true
		return nil
	})
	if err != nil {
		return err
	}
	err = eachRow(ctx, q, `SELECT DISTINCT d.org_id, d.event_id FROM delegations d JOIN events e ON e.id = d.event_id
		WHERE e.kind = 'edition' AND EXISTS (SELECT 1 FROM registrations r WHERE r.delegation_id = d.id AND r.status <> 'withdrawn')`, nil, func(sc scanner) error {
		var id, event int64
		if err := sc.Scan(&id, &event); err != nil {
			return err
		}
		g.editions[id] = append(g.editions[id], event)
		ids[id] = true
		return nil
	})
	if err != nil {
		return err
	}
	// Authorities of the other country near one of o's twins: a box of
	// NearKm around each twin, read by position.
	if err := g.readAuthorities(ctx, q, keysOf(ids)); err != nil {
		return err
	}
	near := map[int64]bool{}
	for _, t := range g.twins[o.ID] {
		tw := g.byID[t]
		if tw == nil || !tw.Located {
			continue
		}
		dLat := partners.DefaultWeights.NearKm / 111.0
		dLng := dLat / math.Max(0.1, math.Cos(tw.Lat*math.Pi/180))
		err := eachRow(ctx, q, `SELECT id FROM organisations WHERE country = $1 AND lat BETWEEN $2 AND $3 AND lng BETWEEN $4 AND $5`,
			[]any{string(tw.Country), tw.Lat - dLat, tw.Lat + dLat, tw.Lng - dLng, tw.Lng + dLng}, func(sc scanner) error {
				var id int64
				if err := sc.Scan(&id); err != nil {
					return err
				}
				if g.byID[id] == nil {
					near[id] = true
				}
				return nil
			})
		if err != nil {
			return err
		}
	}
	return g.readAuthorities(ctx, q, keysOf(near))
}

// readAuthorities reads the authorities ids names, by chunks that keep a
// statement's parameters few.
func (g *gathered) readAuthorities(ctx context.Context, q querier, ids []int64) error {
	const chunk = 500
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		marks := make([]string, len(part))
		args := make([]any, len(part))
		for i, id := range part {
			marks[i], args[i] = "$"+strconv.Itoa(i+1), id
		}
		err := eachRow(ctx, q, "SELECT id, key, kind, country, name, population, lat, lng FROM organisations WHERE id IN ("+strings.Join(marks, ",")+")", args,
			func(sc scanner) error {
				a := &partners.Authority{}
				var lat, lng sql.NullFloat64
				if err := sc.Scan(&a.ID, &a.Key, &a.Kind, &a.Country, &a.Name, &a.Population, &lat, &lng); err != nil {
					return err
				}
				if lat.Valid && lng.Valid {
					a.Lat, a.Lng, a.Located = lat.Float64, lng.Float64, true
				}
				a.Twins = g.twins[a.ID]
				if p, ok := g.profiles[a.ID]; ok {
					a.Seeks, a.Offers = p[0], p[1]
				}
				a.SDGs, a.Practices, a.Editions, a.Workshops = g.sdgs[a.ID], g.practices[a.ID], g.editions[a.ID], g.workshops[a.ID]
				g.byID[a.ID] = a
				return nil
			})
		if err != nil {
			return err
		}
	}
	return nil
}

func keysOf(m map[int64]bool) []int64 {
	out := make([]int64, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	return out
}

// eachRow runs query and calls fn on every row.
func eachRow(ctx context.Context, q querier, query string, args []any, fn func(scanner) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// cooperationProfilesBy are the profiles the account saved last, for its
// personal data.
func (s *Store) cooperationProfilesBy(ctx context.Context, userID int64) ([]*rencontres.CooperationProfile, error) {
	var keys []string
	err := eachRow(ctx, s.reader(), `SELECT o.key FROM cooperation_profiles c JOIN organisations o ON o.id = c.org_id
		WHERE c.updated_by = $1 ORDER BY o.key`, []any{userID}, func(sc scanner) error {
		keys = append(keys, "")
		return sc.Scan(&keys[len(keys)-1])
	})
	if err != nil {
		return nil, err
	}
	out := []*rencontres.CooperationProfile{}
	for _, k := range keys {
		p, err := s.CooperationProfile(ctx, k)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}
