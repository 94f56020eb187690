package store

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The library kept in memory (issue 15): each instance holds the whole
// library's searchable data, practices included, as read under the
// library's version (migration 00034's triggers raise it with every write
// to what the library shows or filters). Practices reads the version (one
// row) and searches the copy kept when it is current; otherwise the
// library is read again in the background, once however many ask, and a
// search that does not see it ready within LibraryWait asks the database
// (PracticesFromDatabase), so that a write never makes a reader wait the
// seconds a large library takes to read. The search itself (librarysearch.go) gives exactly what the SQL
// search (practicesSQL, practice.go) gives: the same practices, order,
// bounded totals and errors; TestLibraryIndexMatchesSQL holds it to that.

// libraryCache is an instance's copy of the library.
type libraryCache struct {
	cur atomic.Pointer[librarySnapshot]
	// mu guards reading: the read under way, closed when it ends.
	mu      sync.Mutex
	reading chan struct{}
	// wait is how long a search waits for a read under way before it
	// asks the database instead (LibraryWait).
	wait atomic.Int64
	// builds counts the times the library was read.
	builds atomic.Int64
	// versions shares the version's reads among concurrent searches.
	versions versionReads
}

// DefaultLibraryWait is how long a search waits for the library being
// read again before it searches the database: a small library is read
// within it, a large one (20,000 practices take seconds) is searched by
// SQL, 2–70 ms, until its copy is ready.
const DefaultLibraryWait = 100 * time.Millisecond

// SetLibraryWait changes how long a search waits for the library being
// read again (DefaultLibraryWait); tests that count the reads wait longer.
func (s *Store) SetLibraryWait(d time.Duration) { s.library.wait.Store(int64(d)) }

// librarySnapshot is the library as read under one version. It is never
// changed once built, and read by any number of requests at once.
type librarySnapshot struct {
	version int64
	// rows are practice_index's rows, newest released first (its order).
	rows []libraryRow
	// terms are practice_terms' terms in byte order; the practices of
	// terms[k] are the row positions posts[starts[k]:starts[k+1]],
	// ascending.
	terms  []string
	starts []int32
	posts  []int32
	// rowTerms[rowStarts[r]:rowStarts[r+1]] are row r's terms (indexes in
	// terms), ascending.
	rowStarts []int32
	rowTerms  []int32
	// The rows of each filter's value, ascending.
	bySDG     map[int][]int32
	byCountry map[string][]int32
	byKind    map[string][]int32
	byEdition map[int64][]int32
	// byWorkshop by edition and workshop (1 the first).
	byWorkshop map[[2]int64][]int32
	byOrg      map[string][]int32
	// editions by series and number; workshops by edition and seq.
	editions  map[editionKey]int64
	workshops map[[2]int64]bool
	// encoded keeps each row's practice as PracticesEncoded's caller
	// encoded it, once asked for.
	encoded []atomic.Pointer[encodedPractice]
	// wordSets keeps the sets of rows of the words searched (wordSet),
	// by their range of terms; wordSetCount counts them.
	wordSets     sync.Map
	wordSetCount atomic.Int32
}

type editionKey struct {
	series string
	number int
}

// libraryRow is a practice_index row with its texts and practice.
type libraryRow struct {
	id       int64
	edition  int64
	year     int
	workshop int
	sdgs     []int
	// countries and kinds as practice_index lists them (",fr,jp,").
	countries, kinds string
	// text is practice_texts' search_text.
	text string
	// p is the practice as the library shows it; nil when the proposal
	// is indexed but no longer in the library (practicesByID leaves it out
	// of a page, though it is counted).
	p *rencontres.Practice
}

// LibraryVersion is the library's version: a number raised, in the same
// transaction, by every write to what the library shows or filters
// (migration 00034's triggers).
func (s *Store) LibraryVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.reader().QueryRowContext(ctx, "SELECT version FROM data_versions WHERE name = 'library'").Scan(&v)
	return v, err
}

// LibraryBuilds is the number of times this instance read the library
// into memory.
func (s *Store) LibraryBuilds() int64 { return s.library.builds.Load() }

// currentLibrary returns the copy of the library that is current, or nil
// when the library changed and is being read again: the caller then
// searches the database, so that no search waits seconds for a large
// library to be read after a write. One read runs at a time, whoever
// asked for it; a request leaving does not stop it.
func (s *Store) currentLibrary(ctx context.Context) (*librarySnapshot, error) {
	v, err := s.sharedLibraryVersion(ctx)
	if err != nil {
		return nil, err
	}
	c := s.library
	if sn := c.cur.Load(); sn != nil && sn.version >= v {
		return sn, nil
	}
	c.mu.Lock()
	reading := c.reading
	if reading == nil {
		reading = make(chan struct{})
		c.reading = reading
		go s.readLibraryInBackground(reading)
	}
	c.mu.Unlock()
	wait := time.Duration(c.wait.Load())
	if wait == 0 {
		wait = DefaultLibraryWait
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-reading:
	case <-t.C:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if sn := c.cur.Load(); sn != nil && sn.version >= v {
		return sn, nil
	}
	return nil, nil
}

// readLibraryInBackground reads the library, keeps the copy and closes
// done. A failed read keeps the former copy; the next search after it
// tries again.
func (s *Store) readLibraryInBackground(done chan struct{}) {
	c := s.library
	defer func() {
		c.mu.Lock()
		c.reading = nil
		c.mu.Unlock()
		close(done)
	}()
	sn, err := s.readLibrary(context.Background())
	if err != nil {
		return
	}
	if old := c.cur.Load(); old == nil || old.version <= sn.version {
		c.cur.Store(sn)
	}
	c.builds.Add(1)
}

// readLibrary reads the whole library. The version is read first: a write
// landing during the reads leaves a copy newer than its number, which the
// next request replaces; never an older one kept as current.
func (s *Store) readLibrary(ctx context.Context) (*librarySnapshot, error) {
	sn := &librarySnapshot{bySDG: map[int][]int32{}, byCountry: map[string][]int32{}, byKind: map[string][]int32{},
		byEdition: map[int64][]int32{}, byWorkshop: map[[2]int64][]int32{}, byOrg: map[string][]int32{}, editions: map[editionKey]int64{}, workshops: map[[2]int64]bool{}}
	var err error
	if sn.version, err = s.LibraryVersion(ctx); err != nil {
		return nil, err
	}
	q := s.reader()
	rows, err := q.QueryContext(ctx, `SELECT i.proposal_id, COALESCE(i.edition_id, 0), i.year, i.workshop, i.sdgs, i.countries, i.kinds,
			COALESCE(x.search_text, '')
		FROM practice_index i LEFT JOIN practice_texts x ON x.proposal_id = i.proposal_id
		ORDER BY i.released_at DESC, i.proposal_id DESC`)
	if err != nil {
		return nil, err
	}
	pos := map[int64]int32{}
	for rows.Next() {
		var r libraryRow
		var sdgs string
		if err := rows.Scan(&r.id, &r.edition, &r.year, &r.workshop, &sdgs, &r.countries, &r.kinds, &r.text); err != nil {
			rows.Close()
			return nil, err
		}
		r.sdgs = parseCommaInts(sdgs)
		at := int32(len(sn.rows))
		pos[r.id] = at
		for i, g := range r.sdgs {
			if i == 0 || g != r.sdgs[i-1] {
				sn.bySDG[g] = append(sn.bySDG[g], at)
			}
		}
		for _, c := range splitComma(r.countries) {
			sn.byCountry[c] = append(sn.byCountry[c], at)
		}
		for _, k := range splitComma(r.kinds) {
			sn.byKind[k] = append(sn.byKind[k], at)
		}
		sn.byEdition[r.edition] = append(sn.byEdition[r.edition], at)
		k := [2]int64{r.edition, int64(r.workshop)}
		sn.byWorkshop[k] = append(sn.byWorkshop[k], at)
		sn.rows = append(sn.rows, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sn.encoded = make([]atomic.Pointer[encodedPractice], len(sn.rows))
	// The terms are computed meanwhile, on the other core.
	terms := make(chan struct{})
	go func() {
		sn.libraryTerms()
		close(terms)
	}()
	err = s.readLibraryPractices(ctx, sn, pos)
	if err == nil {
		err = s.readLibraryEditions(ctx, sn)
	}
	<-terms
	if err != nil {
		return nil, err
	}
	return sn, nil
}

// libraryTerms builds the terms, their practices and each practice's
// terms from the practices' texts, by the function that built
// practice_terms from the same texts (reindexPractice): practice_texts'
// search_text is the folded texts joined by spaces, which separate words
// as the texts' own ends do. Computed rather than read: reading
// practice_terms' 1.8 million rows (20,000 practices) took seconds.
func (sn *librarySnapshot) libraryTerms() {
	ids := map[string]int32{}
	var names []string
	sn.rowStarts = make([]int32, 1, len(sn.rows)+1)
	for i := range sn.rows {
		// The text only: the rows' practices are being read meanwhile
		// (readLibraryPractices), and copying a whole row read them.
		for _, t := range practiceTerms([]string{sn.rows[i].text}) {
			id, ok := ids[t]
			if !ok {
				id = int32(len(names))
				ids[t] = id
				names = append(names, t)
			}
			sn.rowTerms = append(sn.rowTerms, id)
		}
		sn.rowStarts = append(sn.rowStarts, int32(len(sn.rowTerms)))
	}
	// Byte order, which the SQL ranges read on both databases (SQLite's
	// BINARY, PostgreSQL's C.UTF-8). A row's terms came sorted, and stay
	// so numbered by rank.
	order := make([]int32, len(names))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(names[a], names[b]) })
	rank := make([]int32, len(names))
	sn.terms = make([]string, len(names))
	for r, id := range order {
		rank[id] = int32(r)
		sn.terms[r] = names[id]
	}
	counts := make([]int32, len(names)+1)
	for i, id := range sn.rowTerms {
		sn.rowTerms[i] = rank[id]
		counts[rank[id]+1]++
	}
	for k := 1; k < len(counts); k++ {
		counts[k] += counts[k-1]
	}
	sn.starts = slices.Clone(counts)
	sn.posts = make([]int32, len(sn.rowTerms))
	for r := range sn.rows {
		for _, k := range sn.rowTerms[sn.rowStarts[r]:sn.rowStarts[r+1]] {
			sn.posts[counts[k]] = int32(r)
			counts[k]++
		}
	}
}

// readLibraryPractices reads every practice of the library as
// practicesByID does, and the authorities of every indexed one.
func (s *Store) readLibraryPractices(ctx context.Context, sn *librarySnapshot, pos map[int64]int32) error {
	rows, err := s.searcher().QueryContext(ctx, practiceColumns+`
		FROM proposals p
		JOIN practice_index i ON i.proposal_id = p.id
		`+practiceJoins+`
		WHERE `+libraryCondition)
	if err != nil {
		return err
	}
	// What practices share (an edition, a workshop's title, a session, an
	// authority's name) is held once: read only, as the practices are.
	editions := map[int64]*rencontres.PracticeEdition{}
	workshops := map[[2]int64]rencontres.Text{}
	sessions := map[int64]*rencontres.PracticeSession{}
	for rows.Next() {
		p, err := scanPractice(rows)
		if err != nil {
			rows.Close()
			return err
		}
		if e := p.Edition; e != nil {
			if x := editions[e.ID]; x != nil {
				p.Edition = x
			} else {
				editions[e.ID] = e
			}
			if p.WorkshopTitle != nil {
				k := [2]int64{e.ID, int64(p.Workshop)}
				if x, ok := workshops[k]; ok {
					p.WorkshopTitle = x
				} else {
					workshops[k] = p.WorkshopTitle
				}
			}
		}
		if ses := p.Session; ses != nil {
			if x := sessions[ses.ID]; x != nil {
				p.Session = x
			} else {
				sessions[ses.ID] = ses
			}
		}
		if at, ok := pos[p.ID]; ok {
			sn.rows[at].p = p
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = s.searcher().QueryContext(ctx, `SELECT po.proposal_id, o.key, o.name, po.role, o.country, o.kind
		FROM proposal_organisations po JOIN organisations o ON o.id = po.org_id
		WHERE po.proposal_id IN (SELECT proposal_id FROM practice_index)
		ORDER BY po.proposal_id, CASE po.role WHEN 'lead' THEN 0 WHEN 'coproposer' THEN 1 ELSE 2 END, o.key`)
	if err != nil {
		return err
	}
	defer rows.Close()
	names := map[string]rencontres.Text{}
	for rows.Next() {
		var id int64
		var o rencontres.PracticeOrg
		if err := rows.Scan(&id, &o.Key, &o.Name, &o.Role, &o.Country, &o.Kind); err != nil {
			return err
		}
		at, ok := pos[id]
		if !ok {
			continue
		}
		if x, ok := names[o.Key]; ok {
			o.Name = x
		} else {
			names[o.Key] = o.Name
		}
		// The organisation filter reads proposal_organisations whatever
		// the practice shows.
		if l := sn.byOrg[o.Key]; len(l) == 0 || l[len(l)-1] != at {
			sn.byOrg[o.Key] = append(sn.byOrg[o.Key], at)
		}
		if p := sn.rows[at].p; p != nil {
			p.Orgs = append(p.Orgs, o)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	// Each organisation's rows were gathered by practice id: sort them.
	for _, l := range sn.byOrg {
		slices.Sort(l)
	}
	return nil
}

// readLibraryEditions reads the editions and workshops the filters name.
func (s *Store) readLibraryEditions(ctx context.Context, sn *librarySnapshot) error {
	rows, err := s.reader().QueryContext(ctx, `SELECT ed.id, se.slug, ed.number FROM editions ed JOIN series se ON se.id = ed.series_id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var k editionKey
		if err := rows.Scan(&id, &k.series, &k.number); err != nil {
			rows.Close()
			return err
		}
		sn.editions[k] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = s.reader().QueryContext(ctx, `SELECT edition_id, seq FROM edition_workshops`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var w [2]int64
		if err := rows.Scan(&w[0], &w[1]); err != nil {
			return err
		}
		sn.workshops[w] = true
	}
	return rows.Err()
}

// parseCommaInts reads ",7,11," as practice_index stores SDGs.
func parseCommaInts(s string) []int {
	var out []int
	n, in := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			n, in = n*10+int(c-'0'), true
			continue
		}
		if in {
			out = append(out, n)
		}
		n, in = 0, false
	}
	if in {
		out = append(out, n)
	}
	return out
}

// splitComma returns the values of ",fr,jp,", each once.
func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			if v := s[start:i]; v != "" && !slices.Contains(out, v) {
				out = append(out, v)
			}
			start = i + 1
		}
	}
	return out
}
