package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The lists of registrations that grow with the network, read a page at a
// time by keyset (internal/cursor): an event's registrations in the order
// of submission (their id, walked by the index registrations_event_order),
// and a session's attendance list, seats then waiting list. Exports read
// the same lists in chunks through Each…, so that neither a page nor an
// export holds more than a chunk of rows.

// exportChunk is the number of rows an export reads at a time.
const exportChunk = 500

// registrationWhere is the condition of filter f on registrations r (and
// organisations o when orgs is true), its arguments from $1 on. Only the
// filters set are written, so that the database picks its index for
// them; orgs reports whether the condition needs the authorities. The
// registrations' tallies name their columns as the registrations do, so
// that the conditions on event, status, delegation and elected also read
// them under r; the filters on a session and a search need the
// registrations themselves.
func (d dialect) registrationWhere(f rencontres.RegistrationFilter) (where string, args []any, orgs bool) {
	conds := []string{"r.event_id = $1"}
	args = []any{f.EventID}
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "$?", fmt.Sprintf("$%d", len(args))))
	}
	if f.Status == "" {
		conds = append(conds, "r.status <> 'withdrawn'")
	} else {
		add("r.status = $?", string(f.Status))
	}
	if f.DelegationID != 0 {
		add("r.delegation_id = $?", f.DelegationID)
	}
	if f.OrgKey != "" {
		add("o.key = $?", f.OrgKey)
	}
	if f.Country != "" {
		add("o.country = $?", string(f.Country))
	}
	if f.OrgKind != "" {
		add("o.kind = $?", string(f.OrgKind))
	}
	if f.SessionID != 0 {
		add("EXISTS (SELECT 1 FROM registration_choices c WHERE c.registration_id = r.id AND c.session_id = $?)", f.SessionID)
	}
	if q := searchText(f.Query); q != "" {
		if d.name == "postgres" && utf8.RuneCountInString(q) < 3 {
			// Two characters make no trigram. Where the plan is made
			// for any pattern (a prepared statement's generic plan),
			// LIKE read the whole trigram index (00057) for them: 95
			// against 60 ms at 100,000. strpos keeps to the rows.
			add("strpos(r.search, $?) > 0", q)
		} else {
			add("r.search LIKE $?", "%"+q+"%")
		}
	}
	if f.Elected != nil {
		add("r.elected = $?", *f.Elected)
	}
	return strings.Join(conds, " AND "), args, f.OrgKey != "" || f.Country != "" || f.OrgKind != ""
}

// RegistrationPage reads one page of an event's registrations with filter
// f, in the order of submission, with their choices; the head counts the
// whole filtered list.
func (s *Store) RegistrationPage(ctx context.Context, f rencontres.RegistrationFilter, req cursor.Request) ([]*rencontres.Registration, cursor.Head, error) {
	var after int64
	has, err := req.Key(&after)
	if err != nil {
		return nil, cursor.Head{}, err
	}
	d, err := s.sqliteDriver(ctx, f)
	if err != nil {
		return nil, cursor.Head{}, err
	}
	rows, err := s.registrationRows(ctx, f, d, has, after, req.Cmp(false), req.Order(false), req.Limit+1)
	if err != nil {
		return nil, cursor.Head{}, err
	}
	page, head := cursor.Cut(req, rows, func(r *rencontres.Registration) []any { return []any{r.ID} })
	if head.Total, err = s.countRegistrations(ctx, f, d); err != nil {
		return nil, cursor.Head{}, err
	}
	return page, head, s.loadChoicesOf(ctx, page)
}

// CountRegistrations counts an event's registrations with filter f. The
// filters on delegation, authority, country, kind, status and elected sum
// the kept tallies (migration 00055), a few rows a delegation however
// many registrations, and so does a session alone; a session with other
// filters, or a search, counts the rows they match (on SQLite from the
// session's choices or the search's index where they are few:
// sqliteDriver).
func (s *Store) CountRegistrations(ctx context.Context, f rencontres.RegistrationFilter) (int, error) {
	d, err := s.sqliteDriver(ctx, f)
	if err != nil {
		return 0, err
	}
	return s.countRegistrations(ctx, f, d)
}

// sessionAlone reports whether filter f is a session and nothing else.
func sessionAlone(f rencontres.RegistrationFilter) bool {
	return f.SessionID != 0 && f == rencontres.RegistrationFilter{EventID: f.EventID, SessionID: f.SessionID}
}

// countRegistrations counts the rows of filter f, where they start at
// d (sqliteDriver).
func (s *Store) countRegistrations(ctx context.Context, f rencontres.RegistrationFilter, d driver) (int, error) {
	if sessionAlone(f) {
		// A session alone: its choices are those of the registrations
		// not withdrawn that chose it (a withdrawal removes them).
		if d.counted {
			return d.choices, nil
		}
		return s.sessionChoices(ctx, f.EventID, f.SessionID)
	}
	count, from := "COUNT(*)", " FROM registrations r"
	if f.SessionID == 0 && searchText(f.Query) == "" {
		count, from = "COALESCE(SUM(r.n), 0)", " FROM registration_tallies r" // read as registrations (registrationWhere)
	}
	where, args, orgs := s.dialect.registrationWhere(f)
	if d.from != "" {
		from = d.from
		args = append(args, d.arg)
		where += fmt.Sprintf(d.cond, len(args))
	}
	if orgs {
		from += registrationOrgs
	}
	var n int
	err := s.reader().QueryRowContext(ctx, "SELECT "+count+from+" WHERE "+where, args...).Scan(&n)
	return n, err
}

// searchText is a search as the registrations' filter matches it: folded
// as their search column is (searchKey), without the LIKE patterns'
// wildcards, nor a NUL character, which neither PostgreSQL's text nor an
// FTS5 phrase takes (the pages and the API refuse it first).
func searchText(q string) string {
	return strings.TrimSpace(strings.NewReplacer("%", "", "_", "", "\x00", "").Replace(rencontres.FoldSearch(q)))
}

// EachRegistration calls fn with every registration of an event with
// filter f, in the order of submission, with their choices, a chunk of at
// most 500 at a time: an export's memory holds one chunk however long the
// list. fn must not keep the slice.
func (s *Store) EachRegistration(ctx context.Context, f rencontres.RegistrationFilter, fn func([]*rencontres.Registration) error) error {
	d, err := s.sqliteDriver(ctx, f)
	if err != nil {
		return err
	}
	var after int64
	for first := true; ; first = false {
		rows, err := s.registrationRows(ctx, f, d, !first, after, ">", "ASC", exportChunk)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		if err := s.loadChoicesOf(ctx, rows); err != nil {
			return err
		}
		if err := fn(rows); err != nil {
			return err
		}
		if len(rows) < exportChunk {
			return nil
		}
		after = rows[len(rows)-1].ID
	}
}

// registrationRows reads at most limit registrations with filter f, after
// (or before, with cmp "<") the one of id key when has, in order dir of
// their ids.
func (s *Store) registrationRows(ctx context.Context, f rencontres.RegistrationFilter, d driver, has bool, key int64, cmp, dir string, limit int) ([]*rencontres.Registration, error) {
	where, args, _ := s.dialect.registrationWhere(f)
	from := registrationFrom
	if d.from != "" {
		from = d.from + registrationOrgs
		args = append(args, d.arg)
		where += fmt.Sprintf(d.cond, len(args))
	}
	if has {
		args = append(args, key)
		where += fmt.Sprintf(" AND r.id %s $%d", cmp, len(args))
	}
	args = append(args, limit)
	return scanRegistrations(s.reader().QueryContext(ctx, "SELECT "+registrationColumns+from+" WHERE "+where+
		fmt.Sprintf(" ORDER BY r.id %s LIMIT $%d", dir, len(args)), args...))
}

// sessionChoices is how many choices a session of an event holds, by its
// tallies (0 for a session of another event).
func (s *Store) sessionChoices(ctx context.Context, eventID, sessionID int64) (int, error) {
	var n int
	err := s.reader().QueryRowContext(ctx, `SELECT COALESCE(SUM(t.n), 0) FROM session_tallies t JOIN programme_sessions ps ON ps.id = t.session_id
		WHERE t.session_id = $2 AND ps.edition_id = $1`, eventID, sessionID).Scan(&n)
	return n, err
}

// loadChoicesOf reads the choices of a page or a chunk of registrations,
// by their ids: never the whole event's.
func (s *Store) loadChoicesOf(ctx context.Context, list []*rencontres.Registration) error {
	byID := make(map[int64]*rencontres.Registration, len(list))
	for _, r := range list {
		byID[r.ID] = r
	}
	if len(byID) == 0 {
		return nil
	}
	args, in := inList(byID)
	rows, err := s.reader().QueryContext(ctx, `SELECT c.registration_id, c.session_id, c.rank, c.status, ps.title, c.position
		FROM registration_choices c JOIN programme_sessions ps ON ps.id = c.session_id
		WHERE c.registration_id IN `+in+` ORDER BY c.registration_id, c.rank`, args...)
	return addChoices(rows, err, byID)
}

// An attendance list's order is its keyset: the people with a seat
// (status confirmed, place 0) by family name then given name, then those
// waiting by their place. The choices keep the names folded as the
// attendance sheets compare them (nameKey), and the index
// registration_choices_attendance holds the list in this order, so that a
// page starts at any line and stops after its rows.
const attendanceKey = "c.status, c.position, c.family_key, c.given_key, c.registration_id"

// attendanceSort is one attendee's key, as a cursor holds it.
type attendanceSort struct {
	status        string
	position      int
	family, given string
	id            int64
}

// AttendancePage reads one page of a session's attendance list: the people
// with a seat then those waiting, with their registration and choices; the
// head counts the whole list.
func (s *Store) AttendancePage(ctx context.Context, eventID, sessionID int64, req cursor.Request) ([]rencontres.Attendee, cursor.Head, error) {
	var k attendanceSort
	has, err := req.Key(&k.status, &k.position, &k.family, &k.given, &k.id)
	if err != nil {
		return nil, cursor.Head{}, err
	}
	rows, err := s.attendeeRows(ctx, eventID, sessionID, has, k, req.Cmp(false), req.Order(false), req.Limit+1)
	if err != nil {
		return nil, cursor.Head{}, err
	}
	page, head := cursor.Cut(req, rows, func(r attendeeRow) []any {
		return []any{r.k.status, r.k.position, r.k.family, r.k.given, r.k.id}
	})
	out := make([]rencontres.Attendee, len(page))
	regs := make([]*rencontres.Registration, len(page))
	for i, r := range page {
		out[i], regs[i] = r.a, r.a.Registration
	}
	// The session's tallies (migration 00055) count its list.
	if err := s.reader().QueryRowContext(ctx, `SELECT COALESCE(SUM(t.n), 0) FROM session_tallies t
		WHERE t.session_id = $1 AND t.status IN ('confirmed', 'waitlisted')
		AND EXISTS (SELECT 1 FROM programme_sessions ps WHERE ps.id = t.session_id AND ps.edition_id = $2)`, sessionID, eventID).Scan(&head.Total); err != nil {
		return nil, cursor.Head{}, err
	}
	return out, head, s.loadChoicesOf(ctx, regs)
}

// EachAttendee calls fn with a session's whole attendance list, in its
// order, a chunk of at most 500 at a time. fn must not keep the slice.
func (s *Store) EachAttendee(ctx context.Context, eventID, sessionID int64, fn func([]rencontres.Attendee) error) error {
	var k attendanceSort
	for first := true; ; first = false {
		rows, err := s.attendeeRows(ctx, eventID, sessionID, !first, k, ">", "ASC", exportChunk)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		list := make([]rencontres.Attendee, len(rows))
		regs := make([]*rencontres.Registration, len(rows))
		for i, r := range rows {
			list[i], regs[i] = r.a, r.a.Registration
		}
		if err := s.loadChoicesOf(ctx, regs); err != nil {
			return err
		}
		if err := fn(list); err != nil {
			return err
		}
		if len(rows) < exportChunk {
			return nil
		}
		k = rows[len(rows)-1].k
	}
}

// attendeeRow is an attendee with their sort key.
type attendeeRow struct {
	a rencontres.Attendee
	k attendanceSort
}

// attendeeRows reads at most limit lines of a session's attendance list
// beyond key k when has, comparing with cmp and ordering in dir. The
// lines are taken from the list's index before their registrations are
// joined, so that the page reads its own rows whatever the statistics
// say of the session (a workshop that filled since the last ANALYZE
// looked to PostgreSQL like a few rows to sort).
func (s *Store) attendeeRows(ctx context.Context, eventID, sessionID int64, has bool, k attendanceSort, cmp, dir string, limit int) ([]attendeeRow, error) {
	where, args := "c.session_id = $1 AND c.status IN ('confirmed', 'waitlisted')", []any{sessionID, eventID}
	if has {
		args = append(args, k.status, k.position, k.family, k.given, k.id)
		where += " AND (" + attendanceKey + ") " + cmp + " ($3, $4, $5, $6, $7)"
	}
	args = append(args, limit)
	order := strings.ReplaceAll(attendanceKey, ",", " "+dir+",") + " " + dir
	lines := "SELECT " + attendanceKey + " FROM registration_choices c WHERE " + where + fmt.Sprintf(" ORDER BY %s LIMIT $%d", order, len(args))
	rows, err := s.reader().QueryContext(ctx, "SELECT "+attendanceKey+", "+registrationColumns+" FROM ("+lines+") c"+
		" JOIN registrations r ON r.id = c.registration_id"+registrationOrgs+" WHERE r.event_id = $2 ORDER BY "+order, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []attendeeRow
	for rows.Next() {
		var row attendeeRow
		reg, err := scanRegistration(extraScan{rows, []any{&row.k.status, &row.k.position, &row.k.family, &row.k.given, &row.k.id}})
		if err != nil {
			return nil, err
		}
		row.a = rencontres.Attendee{Registration: reg, Seat: rencontres.SeatStatus(row.k.status)}
		if row.a.Seat == rencontres.Waitlisted {
			row.a.Place = row.k.position
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// extraScan scans some columns before those a scan function reads.
type extraScan struct {
	row   scanner
	extra []any
}

func (p extraScan) Scan(dest ...any) error { return p.row.Scan(append(p.extra, dest...)...) }

// RegistrationExtent reads what an export of an event's registrations
// with filter f needs before its first row: the keys of the answers given
// (a column each) and the date of the last registration. It reads the
// answers only, a row at a time.
func (s *Store) RegistrationExtent(ctx context.Context, f rencontres.RegistrationFilter) ([]string, time.Time, error) {
	where, args, orgs := s.dialect.registrationWhere(f)
	from := " FROM registrations r"
	if orgs {
		from = registrationFrom
	}
	rows, err := s.reader().QueryContext(ctx, "SELECT r.answers, r.created_at"+from+" WHERE "+where, args...)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer rows.Close()
	seen := map[string]bool{}
	var keys []string
	var latest time.Time
	var answers map[string]string
	for rows.Next() {
		var text, created string
		if err := rows.Scan(&text, &created); err != nil {
			return nil, time.Time{}, err
		}
		clear(answers)
		if err := json.Unmarshal([]byte(text), &answers); err != nil {
			return nil, time.Time{}, err
		}
		for k := range answers {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
		if t, _ := parseTS(created); t.After(latest) {
			latest = t
		}
	}
	return keys, latest, rows.Err()
}

// rekeyChoices writes the names that the choices keep by Go's rules
// (nameKey) where migration 00055, which made them with the database's
// LOWER, wrote others: LOWER keeps accents ("élodie" for "elodie"), and
// SQLite's lower-cases ASCII letters only ("Élodie" stays). It reads the
// names once, at that migration.
func rekeyChoices(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT r.id, r.family_name, r.given_name, c.family_key, c.given_key
		FROM registrations r JOIN registration_choices c ON c.registration_id = r.id`)
	if err != nil {
		return err
	}
	type rekey struct {
		id            int64
		family, given string
	}
	var wrong []rekey
	for rows.Next() {
		var k rekey
		var family, given string
		if err := rows.Scan(&k.id, &k.family, &k.given, &family, &given); err != nil {
			rows.Close()
			return err
		}
		if k.family, k.given = nameKey(k.family), nameKey(k.given); k.family != family || k.given != given {
			wrong = append(wrong, k)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, k := range wrong {
		if _, err := tx.ExecContext(ctx, "UPDATE registration_choices SET family_key = $2, given_key = $3 WHERE registration_id = $1", k.id, k.family, k.given); err != nil {
			return err
		}
	}
	return nil
}

// fillRegistrationSearch writes every registration's search text
// (searchKey), once, at migration 00056 that made the column: 200 rows a
// statement.
func fillRegistrationSearch(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "SELECT id, given_name, family_name, name_ja, kana, email FROM registrations")
	if err != nil {
		return err
	}
	var args []any
	for rows.Next() {
		var r rencontres.Registration
		if err := rows.Scan(&r.ID, &r.GivenName, &r.FamilyName, &r.NameJa, &r.Kana, &r.Email); err != nil {
			rows.Close()
			return err
		}
		args = append(args, r.ID, searchKey(&r))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for len(args) > 0 {
		part := args[:min(len(args), 400)]
		args = args[len(part):]
		var cases, ids strings.Builder
		for i := 0; i < len(part); i += 2 {
			fmt.Fprintf(&cases, " WHEN $%d THEN $%d", i+1, i+2)
			if i > 0 {
				ids.WriteString(", ")
			}
			fmt.Fprintf(&ids, "$%d", i+1)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE registrations SET search = CASE id"+cases.String()+" END WHERE id IN ("+ids.String()+")", part...); err != nil {
			return err
		}
	}
	return nil
}
