package store

import (
	"context"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Practices lists the practices f selects, newest released first, with
// their total: from the copy of the library kept in memory (library.go),
// read again when the library's version changed. The Practices returned
// are shared with other requests: read them only. Inside a transaction,
// which may hold writes of its own, the database is read
// (PracticesFromDatabase).
func (s *Store) Practices(ctx context.Context, f rencontres.PracticeFilter) ([]*rencontres.Practice, int, error) {
	if s.tx != nil {
		return s.PracticesFromDatabase(ctx, f)
	}
	sn, err := s.currentLibrary(ctx)
	if err != nil {
		return nil, 0, err
	}
	if sn == nil { // being read again
		return s.PracticesFromDatabase(ctx, f)
	}
	hits, total, err := s.searchLibrary(ctx, sn, f)
	if hits == nil {
		return nil, total, err
	}
	out := make([]*rencontres.Practice, 0, len(hits))
	for _, r := range hits {
		if p := sn.rows[r].p; p != nil {
			out = append(out, p)
		}
	}
	return out, total, nil
}

// PracticesEncoded lists the practices f selects as Practices does, each
// as encode gives it: the API's JSON of a practice, which encode makes
// once per practice and version of the library for a given key (the
// API's address) and the copy keeps. Encoding twenty practices anew was
// a third of a search's time.
func (s *Store) PracticesEncoded(ctx context.Context, f rencontres.PracticeFilter, key string,
	encode func(*rencontres.Practice) ([]byte, error)) ([][]byte, int, error) {
	if s.tx != nil {
		ps, total, err := s.PracticesFromDatabase(ctx, f)
		return encodeEach(ps, encode, total, err)
	}
	sn, err := s.currentLibrary(ctx)
	if err != nil {
		return nil, 0, err
	}
	if sn == nil { // being read again
		ps, total, err := s.PracticesFromDatabase(ctx, f)
		return encodeEach(ps, encode, total, err)
	}
	hits, total, err := s.searchLibrary(ctx, sn, f)
	if hits == nil {
		return nil, total, err
	}
	out := make([][]byte, 0, len(hits))
	for _, r := range hits {
		p := sn.rows[r].p
		if p == nil {
			continue
		}
		if e := sn.encoded[r].Load(); e != nil && e.key == key {
			out = append(out, e.body)
			continue
		}
		b, err := encode(p)
		if err != nil {
			return nil, 0, err
		}
		sn.encoded[r].Store(&encodedPractice{key, b})
		out = append(out, b)
	}
	return out, total, nil
}

// encodedPractice is a practice's encoding for one key.
type encodedPractice struct {
	key  string
	body []byte
}

func encodeEach(ps []*rencontres.Practice, encode func(*rencontres.Practice) ([]byte, error), total int, err error) ([][]byte, int, error) {
	if err != nil || ps == nil {
		return nil, total, err
	}
	out := make([][]byte, 0, len(ps))
	for _, p := range ps {
		b, err := encode(p)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, b)
	}
	return out, total, nil
}

// broadPostings: a word whose terms' lists hold more than broadPostings
// entries a practice is checked practice by practice rather than made a
// set (a variable, for the test that holds both ways to the SQL search).
var broadPostings = 4

// libraryWord is a query word: the terms that start with its first
// practiceTermRunes runes, terms[lo:hi], and, when longer, the whole word
// that the practice's text must hold.
type libraryWord struct {
	lo, hi int32
	long   string
}

// searchLibrary answers f from sn as PracticesFromDatabase answers it
// from the database: the same checks in the same order, the same rows
// (those whose practice is nil left for the caller to leave out), the
// same total (bounded by PracticeCountBound with a query). The rows are
// nil when there are none.
func (s *Store) searchLibrary(ctx context.Context, sn *librarySnapshot, f rencontres.PracticeFilter) ([]int32, int, error) {
	edition := int64(-1)
	if f.Series != "" {
		id, ok := sn.editions[editionKey{f.Series, f.Number}]
		if !ok {
			return nil, 0, rencontres.Join(paramErr("edition", "error.param_edition", "Value", f.Edition()))
		}
		edition = id
		if f.Workshop != 0 && !sn.workshops[[2]int64{id, int64(f.Workshop - 1)}] {
			return nil, 0, rencontres.Join(paramErr("workshop", "error.param_workshop", "Value", f.Workshop, "Edition", f.Edition()))
		}
	}
	if f.OrgKey != "" {
		// Any authority of the directory may be asked for, not only those
		// of a practice: the database says whether it exists.
		if _, err := orgID(ctx, s.reader(), f.OrgKey); err != nil {
			if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
				return nil, 0, rencontres.Join(paramErr("organisation", "error.unknown_organisation", "Key", f.OrgKey))
			}
			return nil, 0, err
		}
	}
	var words []libraryWord
	for _, w := range queryWords(f.Query) {
		lo, long := w, ""
		if utf8.RuneCountInString(w) > practiceTermRunes {
			lo = string([]rune(w)[:practiceTermRunes])
			long = strings.NewReplacer("%", "", "_", "", `\`, "").Replace(w) // as likePattern
		}
		a, b := sort.SearchStrings(sn.terms, lo), sort.SearchStrings(sn.terms, successor(lo))
		if a == b {
			return nil, 0, nil
		}
		words = append(words, libraryWord{int32(a), int32(b), long})
	}
	fold := s.dialect.name != "postgres" // SQLite's LIKE ignores ASCII case
	country, kind := string(f.Country), string(f.Kind)
	all := len(sn.rows)
	// A word whose terms' lists are not too long becomes a set of rows
	// (the union of its terms' lists), and the words' sets one set; a
	// broader word (« s ») is checked on each row walked, by a binary
	// search of the row's terms.
	var set []uint64
	owned := false
	var broad []libraryWord
	for _, w := range words {
		posts := sn.posts[sn.starts[w.lo]:sn.starts[w.hi]]
		if len(posts) > broadPostings*all {
			broad = append(broad, w)
			continue
		}
		ws := sn.wordSet(w, posts)
		switch {
		case set == nil:
			set = ws // kept with the copy: read only
		case !owned:
			// A second word: the intersection in a set of this search's.
			x := getRowSet(all)
			defer putRowSet(x)
			for i := range x {
				x[i] = set[i] & ws[i]
			}
			set, owned = x, true
		default:
			for i := range set {
				set[i] &= ws[i]
			}
		}
	}
	var long []string
	for _, w := range words {
		if w.long != "" {
			long = append(long, w.long)
		}
	}
	var orgRows []int32
	if f.OrgKey != "" {
		orgRows = sn.byOrg[f.OrgKey]
	}
	match := func(r int32) bool {
		row := &sn.rows[r]
		switch {
		case set != nil && set[r>>6]&(1<<(r&63)) == 0,
			edition >= 0 && row.edition != edition,
			edition >= 0 && f.Workshop != 0 && row.workshop != f.Workshop,
			f.SDG != 0 && !slices.Contains(row.sdgs, f.SDG),
			country != "" && !likeList(row.countries, country, fold),
			kind != "" && !likeList(row.kinds, kind, fold),
			f.From != 0 && row.year < f.From,
			f.To != 0 && row.year > f.To:
			return false
		}
		if f.OrgKey != "" {
			if _, ok := slices.BinarySearch(orgRows, r); !ok {
				return false
			}
		}
		if len(broad) > 0 {
			terms := sn.rowTerms[sn.rowStarts[r]:sn.rowStarts[r+1]]
			for _, w := range broad {
				i, _ := slices.BinarySearch(terms, w.lo)
				if i == len(terms) || terms[i] >= w.hi {
					return false
				}
			}
		}
		for _, w := range long {
			if !strings.Contains(row.text, w) {
				return false
			}
		}
		return true
	}
	// The candidates: the shortest list of rows that every match is in,
	// walked in order (newest first); else the words' set, or all rows.
	var cands []int32
	narrowest := all + 1
	consider := func(l []int32) {
		if len(l) < narrowest {
			cands, narrowest = l, len(l)
		}
	}
	if edition >= 0 {
		consider(sn.byEdition[edition])
		if f.Workshop != 0 {
			consider(sn.byWorkshop[[2]int64{edition, int64(f.Workshop)}])
		}
	}
	if f.SDG != 0 {
		consider(sn.bySDG[f.SDG])
	}
	if country != "" && !strings.ContainsAny(country, "%_") && !fold {
		consider(sn.byCountry[country])
	}
	if kind != "" && !strings.ContainsAny(kind, "%_") && !fold {
		consider(sn.byKind[kind])
	}
	if f.OrgKey != "" {
		consider(orgRows)
	}
	// Else the words' set, walked bit by bit; else every row.
	listed := narrowest <= all
	filtered := edition >= 0 || f.SDG != 0 || country != "" || kind != "" || f.From != 0 || f.To != 0 || f.OrgKey != "" || len(words) > 0
	limit := f.Limit
	if limit <= 0 {
		limit = rencontres.PracticePageSize
	}
	page := max(f.Page, 1)
	offset := (page - 1) * limit
	var hits []int32
	count := 0
	// One condition whose list is the candidates' (« sdg=7 », an edition's
	// workshop): its rows are the answer, no row to check.
	conditions := 0
	for _, on := range []bool{edition >= 0, f.Workshop != 0 && edition >= 0, f.SDG != 0, country != "", kind != "",
		f.From != 0, f.To != 0, f.OrgKey != "", len(words) > 0} {
		if on {
			conditions++
		}
	}
	exact := listed && len(words) == 0 && (conditions == 1 && (f.SDG != 0 || edition >= 0 || f.OrgKey != "") ||
		conditions == 2 && edition >= 0 && f.Workshop != 0)
	switch {
	case !filtered:
		count = all
		for r := offset; r < min(all, offset+limit); r++ {
			hits = append(hits, int32(r))
		}
	case exact:
		count = len(cands)
		if offset < count {
			hits = slices.Clone(cands[offset:min(count, offset+limit)])
		}
	case !listed && set != nil && conditions == 1 && len(broad) == 0 && len(long) == 0:
		// The words alone, each a set: the set's rows are the answer,
		// counted whole (what the walk below counts before stopping at
		// the bound) and the page's picked without checking each row.
		count, hits = pageOfSet(set, offset, limit)
	default:
		visit := func(r int32) bool {
			if !match(r) {
				return true
			}
			if count >= offset && count < offset+limit {
				hits = append(hits, r)
			}
			count++
			// With a query the total is counted up to the bound only.
			return len(words) == 0 || count <= rencontres.PracticeCountBound || count < offset+limit
		}
		switch {
		case listed:
			for _, r := range cands {
				if !visit(r) {
					break
				}
			}
		case set != nil:
		walk:
			for i, x := range set {
				for x != 0 {
					if !visit(int32(i*64 + bits.TrailingZeros64(x))) {
						break walk
					}
					x &= x - 1
				}
			}
		default:
			for r := range int32(all) {
				if !visit(r) {
					break
				}
			}
		}
	}
	total := count
	if len(words) > 0 {
		total = min(count, rencontres.PracticeCountBound+1)
	}
	if len(hits) == 0 {
		if page > 1 {
			// Every match was counted: the walk stops early only once
			// the page is full.
			return nil, count, rencontres.Join(rencontres.PageError(page, max(1, (count+limit-1)/limit)))
		}
		return nil, total, nil
	}
	return hits, total, nil
}

// pageOfSet counts set's rows and returns, in order, those from the
// offset-th to the limit following.
func pageOfSet(set []uint64, offset, limit int) (int, []int32) {
	count := 0
	var hits []int32
	for i, x := range set {
		n := bits.OnesCount64(x)
		if count+n > offset && count < offset+limit {
			for k := count; x != 0; k++ {
				if k >= offset && k < offset+limit {
					hits = append(hits, int32(i*64+bits.TrailingZeros64(x)))
				}
				x &= x - 1
			}
		}
		count += n
	}
	return count, hits
}

// maxWordSets bounds the words whose sets of rows a copy of the library
// keeps (2.5 KB each for 20,000 practices).
const maxWordSets = 1024

// wordSet is the set of rows of w, whose terms' lists are posts: kept with
// the copy once made, for the next searches of the word (making it was
// most of a search's time for « kumamoto », 5,000 practices), up to
// maxWordSets words; read only.
func (sn *librarySnapshot) wordSet(w libraryWord, posts []int32) []uint64 {
	key := int64(w.lo)<<32 | int64(w.hi)
	if v, ok := sn.wordSets.Load(key); ok {
		return v.([]uint64)
	}
	ws := make([]uint64, (len(sn.rows)+63)/64)
	for _, r := range posts {
		ws[r>>6] |= 1 << (r & 63)
	}
	if sn.wordSetCount.Load() < maxWordSets && sn.wordSetCount.Add(1) <= maxWordSets {
		sn.wordSets.Store(key, ws)
	}
	return ws
}

// rowSets keeps the bit sets of rows the searches make (2.5 KB for
// 20,000 practices), so that a search allocates none.
var rowSets sync.Pool

// getRowSet is a set of rows empty for a library of n rows.
func getRowSet(n int) []uint64 {
	words := (n + 63) / 64
	if p, ok := rowSets.Get().(*[]uint64); ok && cap(*p) >= words {
		s := (*p)[:words]
		clear(s)
		return s
	}
	return make([]uint64, words)
}

func putRowSet(s []uint64) { rowSets.Put(&s) }

// likeList is practice_index's "list LIKE '%,v,%'": whether the list
// ",a,b," holds v, v's % and _ matching as LIKE's do, ASCII case ignored
// when fold (SQLite).
func likeList(list, v string, fold bool) bool {
	if !strings.ContainsAny(v, "%_") {
		for _, x := range splitComma(list) {
			if x == v || fold && strings.EqualFold(x, v) && isASCII(x) && isASCII(v) {
				return true
			}
		}
		return false
	}
	return likeMatch("%,"+v+",%", list, fold)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// likeMatch is SQL's LIKE without escapes: % any run, _ any one character.
func likeMatch(pattern, s string, fold bool) bool {
	if pattern == "" {
		return s == ""
	}
	pr, pn := utf8.DecodeRuneInString(pattern)
	switch pr {
	case '%':
		for i := 0; ; {
			if likeMatch(pattern[pn:], s[i:], fold) {
				return true
			}
			if i == len(s) {
				return false
			}
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
		}
	case '_':
		if s == "" {
			return false
		}
		_, n := utf8.DecodeRuneInString(s)
		return likeMatch(pattern[pn:], s[n:], fold)
	}
	if s == "" {
		return false
	}
	sr, sn := utf8.DecodeRuneInString(s)
	if sr != pr && !(fold && sr < utf8.RuneSelf && pr < utf8.RuneSelf && strings.EqualFold(string(sr), string(pr))) {
		return false
	}
	return likeMatch(pattern[pn:], s[sn:], fold)
}
