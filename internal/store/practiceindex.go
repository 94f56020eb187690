package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The library's index (migration 00031): practice_index holds a row per
// accepted, released proposal with what the library's filters read, and
// practice_terms its search terms. reindexPractice keeps both; see
// practice.go for how they are read.

// practiceIndexVersion changes when the terms or the row built from a
// proposal do, so that Migrate rebuilds every practice's.
const practiceIndexVersion = "1"

// practiceTermRunes bounds a stored term: a longer query word is looked up
// by its first practiceTermRunes runes, then checked against search_text.
const practiceTermRunes = 12

// libraryCondition is what makes a proposal a practice of the library,
// on proposals p: read again by every query, so that a decision changed
// without a reindex never shows a proposal that is no longer accepted.
const libraryCondition = `p.released_at IS NOT NULL AND p.decision IN ('accepted', 'accepted_other') AND p.state = 'submitted'`

// stopWords are French and English words too common to search by: a
// query word among them is dropped, and no term is stored for them, so
// that « énergie de la ville » reads the ranges of « energie » and
// « ville » only.
var stopWords = map[string]bool{
	"a": true, "au": true, "aux": true, "d": true, "de": true, "des": true, "du": true, "en": true, "et": true,
	"l": true, "la": true, "le": true, "les": true, "un": true, "une": true, "pour": true, "par": true, "sur": true,
	"dans": true, "avec": true, "the": true, "of": true, "and": true, "to": true, "in": true, "for": true, "an": true, "on": true,
}

// searchWords cuts a folded text into its words: runs of letters and
// digits (kana's sound marks included), so that the punctuation of
// Japanese (、。「」) and French (« » , .) separates words.
func searchWords(folded string) []string {
	return strings.FieldsFunc(folded, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
}

// queryWords returns the words of a library query a practice must all
// match: folded, without stop words, without repeats.
func queryWords(q string) []string {
	var out []string
	for _, w := range searchWords(rencontres.FoldSearch(q)) {
		if !stopWords[w] && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// practiceTerms returns the terms of folded texts: every word, and in
// kanji and kana every suffix of a word (Japanese is written without
// spaces), each cut to practiceTermRunes.
func practiceTerms(texts []string) []string {
	seen := map[string]bool{}
	for _, t := range texts {
		for _, w := range searchWords(t) {
			if stopWords[w] {
				continue
			}
			runes := []rune(w)
			for i, r := range runes {
				if i > 0 && !rencontres.IsCJK(r) {
					continue
				}
				seen[string(runes[i:min(i+practiceTermRunes, len(runes))])] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for t := range seen {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// commaList returns ",a,b," for LIKE '%,a,%'.
func commaList[T any](vs []T) string {
	var b strings.Builder
	b.WriteByte(',')
	for _, v := range vs {
		fmt.Fprint(&b, v)
		b.WriteByte(',')
	}
	return b.String()
}

// reindexPractice brings the library's row and terms of proposal id up to
// date: built when the proposal is accepted (for its workshop or another)
// and released, removed otherwise. Every path that releases decisions or
// changes a released proposal (its texts, SDGs, workshop, authorities,
// decision) calls it in its transaction; Migrate calls it for proposals an
// older version indexed.
func reindexPractice(ctx context.Context, tx querier, id int64) error {
	for _, table := range []string{"practice_terms", "practice_texts", "practice_sdgs", "practice_index"} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE proposal_id = $1", id); err != nil {
			return fmt.Errorf("reindex practice %d: %w", id, err)
		}
	}
	var title, summary rencontres.Text
	var sdgs jsonInts
	var released string
	var edition sql.NullInt64
	var year, workshop int
	err := tx.QueryRowContext(ctx, `SELECT p.title, p.summary, p.sdgs, p.released_at, v.edition_id, COALESCE(ed.year, 0),
			COALESCE(CASE WHEN p.decision = 'accepted_other' THEN p.decision_workshop END, p.workshop, -1) + 1
		FROM proposals p JOIN calls c ON c.id = p.call_id JOIN events v ON v.id = c.event_id
		LEFT JOIN editions ed ON ed.id = v.edition_id
		WHERE p.id = $1 AND `+libraryCondition, id).Scan(&title, &summary, &sdgs, &released, &edition, &year, &workshop)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reindex practice %d: %w", id, err)
	}
	var texts []string
	for _, t := range []rencontres.Text{title, summary} {
		for _, l := range rencontres.Langs {
			if t[l] != "" {
				texts = append(texts, rencontres.FoldSearch(t[l]))
			}
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT o.code, o.name, o.kana, o.country, o.kind FROM proposal_organisations po
		JOIN organisations o ON o.id = po.org_id WHERE po.proposal_id = $1 ORDER BY o.id`, id)
	if err != nil {
		return err
	}
	var countries, kinds []string
	for rows.Next() {
		var o rencontres.Organisation
		if err := rows.Scan(&o.Code, &o.Name, &o.Kana, &o.Country, &o.Kind); err != nil {
			rows.Close()
			return err
		}
		texts = append(texts, rencontres.SearchForms(&o)...)
		if !slices.Contains(countries, string(o.Country)) {
			countries = append(countries, string(o.Country))
		}
		if !slices.Contains(kinds, string(o.Kind)) {
			kinds = append(kinds, string(o.Kind))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	slices.Sort(sdgs)
	if _, err := tx.ExecContext(ctx, `INSERT INTO practice_index
		(proposal_id, released_at, edition_id, year, workshop, sdgs, countries, kinds, indexed)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		id, released, edition, year, max(workshop, 0), commaList(sdgs), commaList(countries), commaList(kinds),
		practiceIndexVersion); err != nil {
		return fmt.Errorf("reindex practice %d: %w", id, err)
	}
	// practice_sdgs (migration 00033): a row per goal, which the SDG
	// filter reads as a range rather than a LIKE over every practice.
	for i, g := range sdgs {
		if i > 0 && g == sdgs[i-1] {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO practice_sdgs (sdg, released_at, proposal_id) VALUES ($1, $2, $3)`,
			g, released, id); err != nil {
			return fmt.Errorf("reindex practice %d: %w", id, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO practice_texts (proposal_id, search_text) VALUES ($1, $2)`,
		id, " "+strings.Join(texts, " ")+" "); err != nil {
		return fmt.Errorf("reindex practice %d: %w", id, err)
	}
	terms := practiceTerms(texts)
	const perInsert = 200
	for len(terms) > 0 {
		n := min(perInsert, len(terms))
		var b strings.Builder
		b.WriteString("INSERT INTO practice_terms (term, proposal_id) VALUES ")
		args := make([]any, 0, n+1)
		args = append(args, id)
		for i, t := range terms[:n] {
			if i > 0 {
				b.WriteByte(',')
			}
			args = append(args, t)
			b.WriteString("($" + strconv.Itoa(i+2) + ", $1)")
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("terms of practice %d: %w", id, err)
		}
		terms = terms[n:]
	}
	return nil
}

// reindexStalePractices reindexes the practices an older version of the
// index built, the accepted, released proposals without a row, and removes
// the rows of proposals no longer in the library.
func reindexStalePractices(ctx context.Context, tx querier) error {
	ids, err := queryIDs(ctx, tx, `SELECT p.id FROM proposals p LEFT JOIN practice_index i ON i.proposal_id = p.id
		WHERE (`+libraryCondition+`) AND (i.proposal_id IS NULL OR i.indexed <> $1)
		UNION SELECT i.proposal_id FROM practice_index i JOIN proposals p ON p.id = i.proposal_id WHERE NOT (`+libraryCondition+`)`,
		practiceIndexVersion)
	if err != nil {
		return err
	}
	return reindexPractices(ctx, tx, ids)
}

// reindexPractices reindexes each of the practices ids.
func reindexPractices(ctx context.Context, tx querier, ids []int64) error {
	for _, id := range ids {
		if err := reindexPractice(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

// reindexPracticesOf reindexes the practices of the organisations with the
// given ids, whatever their role: after their names changed, or a merge.
func reindexPracticesOf(ctx context.Context, tx querier, orgIDs []int64) error {
	var ids []int64
	for chunk := range chunks(orgIDs, 500) {
		args, in := placeholders(nil, chunk)
		some, err := queryIDs(ctx, tx, `SELECT DISTINCT po.proposal_id FROM proposal_organisations po
			JOIN practice_index i ON i.proposal_id = po.proposal_id WHERE po.org_id IN `+in, args...)
		if err != nil {
			return err
		}
		ids = append(ids, some...)
	}
	return reindexPractices(ctx, tx, ids)
}

// ReindexPractice brings proposal id's place in the library up to date in
// its own transaction (or the caller's, inside InTx).
func (s *Store) ReindexPractice(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return reindexPractice(ctx, tx, id) })
}
