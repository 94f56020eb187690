package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The library of good practices: the accepted, released proposals, read
// through practice_index and practice_terms (practiceindex.go). A query's
// every word is a range of practice_terms' primary key (term >= w AND
// term < successor(w)), read as a semi-join on both databases; filters
// read practice_index's columns; the page is read newest released first
// by practice_index_released, and its practices by id.

// broadWord is how many terms a query word may match and still be read
// whole as a list of practices.
const broadWord = 2000

// jsonInts scans a JSON array of numbers.
type jsonInts []int

func (v *jsonInts) Scan(src any) error {
	var b []byte
	switch s := src.(type) {
	case string:
		b = []byte(s)
	case []byte:
		b = s
	case nil:
		*v = nil
		return nil
	default:
		return fmt.Errorf("jsonInts: cannot scan %T", src)
	}
	return json.Unmarshal(b, (*[]int)(v))
}

// PracticesFromDatabase lists the practices f selects as Practices does,
// by SQL over the library's index tables: the reference the copy kept in
// memory (library.go) is tested against, and how a transaction, which may
// hold writes of its own, reads the library.
func (s *Store) PracticesFromDatabase(ctx context.Context, f rencontres.PracticeFilter) ([]*rencontres.Practice, int, error) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	// practice_index holds the practices of the library only
	// (reindexPractice); practicesByID checks each page's again.
	where := []string{"1 = 1"}
	if f.Series != "" {
		var edition int64
		err := s.reader().QueryRowContext(ctx, `SELECT ed.id FROM editions ed JOIN series se ON se.id = ed.series_id
			WHERE se.slug = $1 AND ed.number = $2`, f.Series, f.Number).Scan(&edition)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, 0, rencontres.Join(paramErr("edition", "error.param_edition", "Value", f.Edition()))
		}
		if err != nil {
			return nil, 0, err
		}
		where = append(where, "i.edition_id = "+arg(edition))
		if f.Workshop != 0 {
			var n int
			if err := s.reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM edition_workshops WHERE edition_id = $1 AND seq = $2`,
				edition, f.Workshop-1).Scan(&n); err != nil {
				return nil, 0, err
			}
			if n == 0 {
				return nil, 0, rencontres.Join(paramErr("workshop", "error.param_workshop", "Value", f.Workshop, "Edition", f.Edition()))
			}
			where = append(where, "i.workshop = "+arg(f.Workshop))
		}
	}
	// An SDG is a range of practice_sdgs' primary key (sdg, released_at,
	// proposal_id): without a query the listing is read from it, the
	// goal's practices newest first. With one, each practice the words
	// find is checked by a LIKE on the practice_index row already read,
	// which measured cheaper than a second index's lookup per practice.
	from, order := " FROM practice_index i", " ORDER BY i.released_at DESC, i.proposal_id DESC"
	sdgWhere, sdgArg := len(where), 0
	if f.SDG != 0 {
		where = append(where, "i.sdgs LIKE "+arg("%,"+strconv.Itoa(f.SDG)+",%"))
		sdgArg = len(args)
	}
	if f.Country != "" {
		where = append(where, "i.countries LIKE "+arg("%,"+string(f.Country)+",%"))
	}
	if f.Kind != "" {
		where = append(where, "i.kinds LIKE "+arg("%,"+string(f.Kind)+",%"))
	}
	if f.From != 0 {
		where = append(where, "i.year >= "+arg(f.From))
	}
	if f.To != 0 {
		where = append(where, "i.year <= "+arg(f.To))
	}
	if f.OrgKey != "" {
		if _, err := orgID(ctx, s.reader(), f.OrgKey); err != nil {
			if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
				return nil, 0, rencontres.Join(paramErr("organisation", "error.unknown_organisation", "Key", f.OrgKey))
			}
			return nil, 0, err
		}
		where = append(where, `i.proposal_id IN (SELECT po.proposal_id FROM proposal_organisations po
			JOIN organisations o ON o.id = po.org_id WHERE o.key = `+arg(f.OrgKey)+")")
	}
	// Each query word is a range of practice_terms. The narrowest word
	// (the fewest terms, counted up to broadWord+1) drives the count: its
	// practices, one by one, each checked against the other words and the
	// filters, until PracticeCountBound+1 are found. The page is read
	// newest first by practice_index_released, each practice checked
	// against every word by practice_terms_proposal, except that a narrow
	// driving word is read whole as a list first: a broad query (« s »,
	// 市) finds its page in its first rows, a narrow one (a town's name)
	// reads only its own practices.
	type word struct {
		lo    string
		terms int
	}
	var words []word
	for _, w := range queryWords(f.Query) {
		lo := w
		if utf8.RuneCountInString(w) > practiceTermRunes {
			lo = string([]rune(w)[:practiceTermRunes])
			where = append(where, "EXISTS (SELECT 1 FROM practice_texts x WHERE x.proposal_id = i.proposal_id AND x.search_text LIKE "+arg(likePattern(w))+")")
		}
		var n int
		if err := s.reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM practice_terms t WHERE t.term >= $1 AND t.term < $2 LIMIT $3) x`,
			lo, successor(lo), broadWord+1).Scan(&n); err != nil {
			return nil, 0, err
		}
		if n == 0 {
			return nil, 0, nil
		}
		words = append(words, word{lo, n})
	}
	slices.SortStableFunc(words, func(a, b word) int { return cmp.Compare(a.terms, b.terms) })
	filters := len(where)
	// A word's check of one practice is a descent of
	// practice_terms_proposal(_term). PostgreSQL would turn it into a
	// join and, misjudging a prefix's range (1 term estimated for
	// « kumamoto »'s 5,163), read every match to sort them (16 ms) rather
	// than walk the newest practices checking each (0.1 ms): OFFSET 0
	// keeps it a check.
	fence := ""
	if s.dialect.name == "postgres" {
		fence = " OFFSET 0"
	}
	for i, w := range words {
		if i == 0 {
			continue
		}
		where = append(where, "EXISTS (SELECT 1 FROM practice_terms t WHERE t.proposal_id = i.proposal_id AND t.term >= "+
			arg(w.lo)+" AND t.term < "+arg(successor(w.lo))+fence+")")
	}
	var total int
	var cond string
	if len(words) == 0 {
		if f.SDG != 0 {
			from = " FROM practice_sdgs g JOIN practice_index i ON i.proposal_id = g.proposal_id"
			order = " ORDER BY g.released_at DESC, g.proposal_id DESC"
			where[sdgWhere] = "g.sdg = $" + strconv.Itoa(sdgArg)
			args[sdgArg-1] = f.SDG // in place of the LIKE's pattern

		}
		cond = from + " WHERE " + strings.Join(where, " AND ")
		if err := s.reader().QueryRowContext(ctx, "SELECT COUNT(*)"+cond, args...).Scan(&total); err != nil {
			return nil, 0, err
		}
	} else {
		d := words[0]
		lo, hi := arg(d.lo), arg(successor(d.lo))
		// Without a filter the driving word's practices need not be read.
		from := "practice_terms d JOIN practice_index i ON i.proposal_id = d.proposal_id"
		if filters == 1 {
			from = "practice_terms d"
		}
		count := "SELECT COUNT(*) FROM (SELECT DISTINCT d.proposal_id FROM " + from + " WHERE d.term >= " +
			lo + " AND d.term < " + hi + " AND " + strings.ReplaceAll(strings.Join(where, " AND "), "= i.proposal_id", "= d.proposal_id") +
			" LIMIT " + strconv.Itoa(rencontres.PracticeCountBound+1) + ") x"
		if err := s.reader().QueryRowContext(ctx, count, args...).Scan(&total); err != nil {
			return nil, 0, err
		}
		if d.terms <= broadWord {
			where = append(where, "i.proposal_id IN (SELECT d.proposal_id FROM practice_terms d WHERE d.term >= "+lo+" AND d.term < "+hi+")")
		} else {
			where = append(where, "EXISTS (SELECT 1 FROM practice_terms d WHERE d.proposal_id = i.proposal_id AND d.term >= "+lo+" AND d.term < "+hi+fence+")")
		}
		cond = " FROM practice_index i WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = rencontres.PracticePageSize
	}
	page := max(f.Page, 1)
	nargs := len(args)
	rows, err := s.reader().QueryContext(ctx, "SELECT i.proposal_id"+cond+
		order+" LIMIT "+arg(limit)+" OFFSET "+arg((page-1)*limit), args...)
	if err != nil {
		return nil, 0, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(ids) == 0 && page > 1 {
		// Past the last page: say how many there are.
		if err := s.reader().QueryRowContext(ctx, "SELECT COUNT(*)"+cond, args[:nargs]...).Scan(&total); err != nil {
			return nil, 0, err
		}
		return nil, total, rencontres.Join(rencontres.PageError(page, max(1, (total+limit-1)/limit)))
	}
	out, err := s.practicesByID(ctx, ids)
	return out, total, err
}

func paramErr(field, key string, args ...any) *rencontres.Error {
	m := map[string]any{}
	for i := 0; i+1 < len(args); i += 2 {
		m[args[i].(string)] = args[i+1]
	}
	return &rencontres.Error{Code: rencontres.EINVALID, Key: key, Field: field,
		Message: fmt.Sprintf("parameter %q is not valid (%s %v)", field, key, args), Args: m}
}

// Practice returns an accepted, released practice with its documents.
func (s *Store) Practice(ctx context.Context, id int64) (*rencontres.Practice, error) {
	ps, err := s.practicesByID(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, rencontres.NotFound("practice")
	}
	p := ps[0]
	rows, err := s.reader().QueryContext(ctx, `SELECT id, name, content_type, size, sha256, uploaded_at
		FROM proposal_documents WHERE proposal_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		d := rencontres.ProposalDocument{ProposalID: id}
		var at string
		if err := rows.Scan(&d.ID, &d.Name, &d.ContentType, &d.Size, &d.SHA256, &at); err != nil {
			return nil, err
		}
		d.Uploaded, _ = parseTS(at)
		p.Documents = append(p.Documents, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	prs, err := s.reader().QueryContext(ctx, `SELECT pp.person, pp.function, COALESCE(o.key, '') FROM proposal_presenters pp
		LEFT JOIN organisations o ON o.id = pp.org_id WHERE pp.proposal_id = $1 ORDER BY pp.seq`, id)
	if err != nil {
		return nil, err
	}
	defer prs.Close()
	for prs.Next() {
		var pr rencontres.PracticePresenter
		if err := prs.Scan(&pr.Person, &pr.Function, &pr.OrgKey); err != nil {
			return nil, err
		}
		p.Presenters = append(p.Presenters, pr)
	}
	return p, prs.Err()
}

// PracticeDocument returns a document of an accepted, released practice
// with its data.
func (s *Store) PracticeDocument(ctx context.Context, practiceID, id int64) (*rencontres.ProposalDocument, []byte, error) {
	d := rencontres.ProposalDocument{ProposalID: practiceID}
	var at string
	var data []byte
	err := s.reader().QueryRowContext(ctx, `SELECT d.id, d.name, d.content_type, d.size, d.sha256, d.uploaded_at, d.data
		FROM proposal_documents d JOIN proposals p ON p.id = d.proposal_id
		WHERE d.id = $1 AND d.proposal_id = $2 AND `+libraryCondition, id, practiceID).
		Scan(&d.ID, &d.Name, &d.ContentType, &d.Size, &d.SHA256, &at, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, rencontres.NotFound("document")
	}
	if err != nil {
		return nil, nil, err
	}
	d.Uploaded, _ = parseTS(at)
	return &d, data, nil
}

// practiceColumns and practiceJoins read a practice as scanPractice
// scans it, from proposals p and practice_index i.
const practiceColumns = `SELECT p.id, p.title, p.summary, p.sdgs, p.released_at,
			COALESCE(ed.id, 0), COALESCE(se.slug, ''), COALESCE(se.short_name, '{}'), COALESCE(ed.number, 0), COALESCE(ed.year, 0),
			COALESCE(i.workshop, 0), COALESCE(w.title, '{}'),
			COALESCE(ps.id, 0), COALESCE(ps.title, '{}'), COALESCE(ps.starts_at, ''), COALESCE(ps.ends_at, ''), COALESCE(pv.time_zone, '')`

const practiceJoins = `JOIN calls c ON c.id = p.call_id JOIN events v ON v.id = c.event_id
		LEFT JOIN editions ed ON ed.id = v.edition_id LEFT JOIN series se ON se.id = ed.series_id
		LEFT JOIN edition_workshops w ON w.edition_id = ed.id AND w.seq = i.workshop - 1
		LEFT JOIN programme_sessions ps ON ps.id = p.session_id LEFT JOIN events pv ON pv.id = ps.edition_id`

// scanPractice scans a row of practiceColumns, without its authorities.
func scanPractice(rows *sql.Rows) (*rencontres.Practice, error) {
	p := &rencontres.Practice{Orgs: []rencontres.PracticeOrg{}, Documents: []rencontres.ProposalDocument{}}
	var sdgs jsonInts
	var released, starts, ends, zone string
	var ed rencontres.PracticeEdition
	var ses rencontres.PracticeSession
	if err := rows.Scan(&p.ID, &p.Title, &p.Summary, &sdgs, &released,
		&ed.ID, &ed.Series, &ed.Short, &ed.Number, &ed.Year, &p.Workshop, &p.WorkshopTitle,
		&ses.ID, &ses.Title, &starts, &ends, &zone); err != nil {
		return nil, err
	}
	p.SDGs = []int(sdgs)
	if p.SDGs == nil {
		p.SDGs = []int{}
	}
	p.Released, _ = parseTS(released)
	if ed.ID != 0 {
		p.Edition = &ed
	}
	if p.WorkshopTitle.IsZero() {
		p.WorkshopTitle = nil
	}
	if ses.ID != 0 {
		ses.Starts, _ = parseTS(starts)
		ses.Ends, _ = parseTS(ends)
		ses.TimeZone = zone
		p.Session = &ses
	}
	return p, nil
}

// practicesByID reads the practices of ids in their order, leaving out
// any proposal not in the library. It reads through searcher(): on
// PostgreSQL a session with generic plans, as planning its nine joins
// anew at each page took 8 ms against 0.5 ms to run (the plan does not
// depend on which practices).
func (s *Store) practicesByID(ctx context.Context, ids []int64) ([]*rencontres.Practice, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args, in := placeholders(nil, ids)
	rows, err := s.searcher().QueryContext(ctx, practiceColumns+`
		FROM proposals p
		LEFT JOIN practice_index i ON i.proposal_id = p.id
		`+practiceJoins+`
		WHERE p.id IN `+in+` AND `+libraryCondition, args...)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*rencontres.Practice{}
	for rows.Next() {
		p, err := scanPractice(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		byID[p.ID] = p
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.searcher().QueryContext(ctx, `SELECT po.proposal_id, o.key, o.name, po.role, o.country, o.kind
		FROM proposal_organisations po JOIN organisations o ON o.id = po.org_id
		WHERE po.proposal_id IN `+in+`
		ORDER BY po.proposal_id, CASE po.role WHEN 'lead' THEN 0 WHEN 'coproposer' THEN 1 ELSE 2 END, o.key`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var o rencontres.PracticeOrg
		if err := rows.Scan(&id, &o.Key, &o.Name, &o.Role, &o.Country, &o.Kind); err != nil {
			return nil, err
		}
		if p := byID[id]; p != nil {
			p.Orgs = append(p.Orgs, o)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]*rencontres.Practice, 0, len(ids))
	for _, id := range ids {
		if p := byID[id]; p != nil {
			out = append(out, p)
		}
	}
	return out, nil
}
