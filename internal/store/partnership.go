package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// partnershipColumns are what a partnership reads, its agreement's
// description included (not its content).
const partnershipColumns = `pa.id, pa.kind, pa.kind_label, pa.year, pa.year_ended, pa.state, pa.note, pa.last_exchanges,
	pa.current_projects, COALESCE(ag.name, ''), COALESCE(ag.content_type, ''), COALESCE(ag.size, 0),
	COALESCE(ag.sha256, ''), COALESCE(ag.uploaded_at, '')`

const partnershipFrom = ` FROM partnerships pa LEFT JOIN partnership_agreements ag ON ag.partnership_id = pa.id`

// partnershipScan holds the agreement's columns until they are read.
type partnershipScan struct {
	ag       rencontres.Agreement
	uploaded string
}

func (sc *partnershipScan) dest(pa *rencontres.Partnership) []any {
	return []any{&pa.ID, &pa.Kind, &pa.KindLabel, &pa.Year, &pa.YearEnded, &pa.State, &pa.Note, &pa.LastExchanges,
		&pa.CurrentProjects, &sc.ag.Name, &sc.ag.ContentType, &sc.ag.Size, &sc.ag.SHA256, &sc.uploaded}
}

func (sc *partnershipScan) finish(pa *rencontres.Partnership) error {
	if sc.ag.Name == "" {
		return nil
	}
	t, err := parseTS(sc.uploaded)
	if err != nil {
		return err
	}
	ag := sc.ag
	ag.Uploaded = t
	pa.Agreement = &ag
	return nil
}

// Partnership returns one partnership with both sides filled in.
func (s *Store) Partnership(ctx context.Context, id int64) (*rencontres.Partnership, error) {
	list, err := s.partnerships(ctx, " WHERE pa.id = $1", id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, rencontres.NotFound("partnership")
	}
	return list[0], nil
}

// AllPartnerships lists every partnership of the network with both sides
// and the region or prefecture each lies in, most recently signed first.
func (s *Store) AllPartnerships(ctx context.Context) ([]*rencontres.Partnership, error) {
	return s.partnerships(ctx, "")
}

func (s *Store) partnerships(ctx context.Context, where string, args ...any) ([]*rencontres.Partnership, error) {
	return s.partnershipsRead(ctx, where+" ORDER BY pa.year DESC, oa.sort_name, ob.sort_name, pa.id", args...)
}

// partnershipsRead reads the partnerships of tail (a condition on pa, oa
// and ob, their order and limit) with both sides and their areas.
func (s *Store) partnershipsRead(ctx context.Context, tail string, args ...any) ([]*rencontres.Partnership, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT "+partnershipColumns+`, oa.key, ob.key`+partnershipFrom+`
		JOIN organisations oa ON oa.id = pa.org_a JOIN organisations ob ON ob.id = pa.org_b`+tail, args...)
	if err != nil {
		return nil, err
	}
	var out []*rencontres.Partnership
	for rows.Next() {
		pa, sc := &rencontres.Partnership{}, &partnershipScan{}
		if err := rows.Scan(append(sc.dest(pa), &pa.A, &pa.B)...); err != nil {
			rows.Close()
			return nil, err
		}
		if err := sc.finish(pa); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, pa)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Both sides, then their parents up to the region or prefecture, a
	// level at a time.
	orgs := map[string]*rencontres.Organisation{}
	var want []string
	for _, pa := range out {
		want = append(want, pa.A, pa.B)
	}
	for level := 0; level < 4 && len(want) > 0; level++ {
		if err := s.loadOrgs(ctx, orgs, want); err != nil {
			return nil, err
		}
		want = want[:0]
		for _, o := range orgs {
			if o.ParentKey != "" && orgs[o.ParentKey] == nil && !slices.Contains(want, o.ParentKey) {
				want = append(want, o.ParentKey)
			}
		}
	}
	for _, pa := range out {
		pa.OrgA, pa.OrgB = orgs[pa.A], orgs[pa.B]
		pa.AreaA, pa.AreaB = areaOf(orgs, pa.OrgA), areaOf(orgs, pa.OrgB)
	}
	return out, nil
}

// loadOrgs adds the organisations of the keys to orgs.
func (s *Store) loadOrgs(ctx context.Context, orgs map[string]*rencontres.Organisation, keys []string) error {
	for len(keys) > 0 {
		n := min(len(keys), 500)
		batch := keys[:n]
		keys = keys[n:]
		marks := make([]string, len(batch))
		args := make([]any, len(batch))
		for i, k := range batch {
			marks[i], args[i] = fmt.Sprintf("$%d", i+1), k
		}
		rows, err := s.reader().QueryContext(ctx, "SELECT "+orgColumns+orgFrom+" WHERE o.key IN ("+strings.Join(marks, ", ")+")", args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			o, err := scanOrg(rows)
			if err != nil {
				rows.Close()
				return err
			}
			orgs[o.Key] = o
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// areaOf is the region or prefecture an organisation is, or lies in.
func areaOf(orgs map[string]*rencontres.Organisation, o *rencontres.Organisation) *rencontres.Organisation {
	for range 5 {
		if o == nil {
			return nil
		}
		if o.Kind == rencontres.Region || o.Kind == rencontres.Prefecture {
			return o
		}
		o = orgs[o.ParentKey]
	}
	return nil
}

// sides finds both organisations of a partnership, a fault for each one
// missing, named by its field.
func sides(ctx context.Context, q querier, p *rencontres.Partnership) (a, b int64, errs []error) {
	for _, side := range []struct {
		key, field string
		id         *int64
	}{{p.A, "a", &a}, {p.B, "b", &b}} {
		if side.key == "" {
			continue
		}
		err := q.QueryRowContext(ctx, "SELECT id FROM organisations WHERE key = $1", side.key).Scan(side.id)
		if errors.Is(err, sql.ErrNoRows) {
			err = &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_organisation", Field: side.field,
				Message: fmt.Sprintf("organisation %q not found", side.key), Args: map[string]any{"Key": side.key}}
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return a, b, errs
}

// checkPartnership validates a partnership to write and finds its sides:
// every fault of the input at once, the same pair and kind (in either
// order) already recorded among them, named.
func (s *Store) checkPartnership(ctx context.Context, p *rencontres.Partnership) (a, b int64, err error) {
	if p.State == "" {
		p.State = rencontres.StateActive
		if p.YearEnded != 0 {
			p.State = rencontres.StateEnded
		}
	}
	errs := []error{p.Validate()}
	a, b, missing := sides(ctx, s.writer(), p)
	errs = append(errs, missing...)
	if a != 0 && b != 0 && a != b {
		var id int64
		var year int
		err := s.writer().QueryRowContext(ctx, `SELECT id, year FROM partnerships WHERE kind = $3 AND id <> $4
			AND ((org_a = $1 AND org_b = $2) OR (org_a = $2 AND org_b = $1))`, a, b, p.Kind, p.ID).Scan(&id, &year)
		switch {
		case err == nil:
			errs = append(errs, s.duplicate(ctx, p, year))
		case !errors.Is(err, sql.ErrNoRows):
			return 0, 0, err
		}
	}
	if a > b {
		a, b = b, a
	}
	return a, b, rencontres.Join(errs...)
}

// duplicate is the refusal of a pair and kind already recorded, naming
// both authorities and the year, « Aix-en-Provence et Kumamoto sont déjà
// jumelées depuis 2013 ».
func (s *Store) duplicate(ctx context.Context, p *rencontres.Partnership, year int) error {
	var na, nb rencontres.Text
	if err := s.writer().QueryRowContext(ctx, "SELECT name FROM organisations WHERE key = $1", p.A).Scan(&na); err != nil {
		return err
	}
	if err := s.writer().QueryRowContext(ctx, "SELECT name FROM organisations WHERE key = $1", p.B).Scan(&nb); err != nil {
		return err
	}
	return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "partnership_error.duplicate_" + string(p.Kind), Field: "b",
		Message: fmt.Sprintf("%s and %s already have this agreement (%d)", na.In(rencontres.English), nb.In(rencontres.English), year),
		Args:    map[string]any{"A": na, "B": nb, "Year": year, "Label": p.KindLabel}}
}

// CreatePartnership records a new partnership; the same pair and kind
// twice, in either order, is refused with the existing one named, and
// every other fault is told at once.
func (s *Store) CreatePartnership(ctx context.Context, p *rencontres.Partnership) error {
	p.ID = 0
	return s.InTx(ctx, func(s *Store) error {
		a, b, err := s.checkPartnership(ctx, p)
		if err != nil {
			return err
		}
		now := ts(time.Now())
		return s.writer().QueryRowContext(ctx, `INSERT INTO partnerships (org_a, org_b, kind, year, note, kind_label, year_ended,
			state, last_exchanges, current_projects, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
			a, b, p.Kind, p.Year, p.Note, p.KindLabel, p.YearEnded, p.State, p.LastExchanges, p.CurrentProjects, now).Scan(&p.ID)
	})
}

// UpdatePartnership replaces a partnership's fields with p's; ending one
// is setting its year ended and its state.
func (s *Store) UpdatePartnership(ctx context.Context, p *rencontres.Partnership) error {
	return s.InTx(ctx, func(s *Store) error {
		if _, err := s.Partnership(ctx, p.ID); err != nil {
			return err
		}
		a, b, err := s.checkPartnership(ctx, p)
		if err != nil {
			return err
		}
		_, err = s.writer().ExecContext(ctx, `UPDATE partnerships SET org_a = $2, org_b = $3, kind = $4, year = $5, note = $6,
			kind_label = $7, year_ended = $8, state = $9, last_exchanges = $10, current_projects = $11, updated_at = $12
			WHERE id = $1`, p.ID, a, b, p.Kind, p.Year, p.Note, p.KindLabel, p.YearEnded, p.State, p.LastExchanges,
			p.CurrentProjects, ts(time.Now()))
		return err
	})
}

// SavePartnershipAgreement stores the signed agreement of a partnership,
// replacing the one before; its type is found from its content.
func (s *Store) SavePartnershipAgreement(ctx context.Context, id int64, name string, data []byte, by int64) error {
	ctype, err := rencontres.CheckDocument(name, data)
	if err != nil {
		return err
	}
	return s.InTx(ctx, func(s *Store) error {
		if _, err := s.Partnership(ctx, id); err != nil {
			return err
		}
		_, err := s.writer().ExecContext(ctx, `INSERT INTO partnership_agreements
			(partnership_id, name, content_type, size, sha256, uploaded_by, uploaded_at, data)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (partnership_id) DO UPDATE SET name = excluded.name, content_type = excluded.content_type,
			size = excluded.size, sha256 = excluded.sha256, uploaded_by = excluded.uploaded_by,
			uploaded_at = excluded.uploaded_at, data = excluded.data`,
			id, cleanName(name), ctype, len(data), sha256Hex(data), nullID(by), ts(time.Now()), data)
		return err
	})
}

// cleanName is a file name without the folders a browser may send.
func cleanName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	return strings.TrimSpace(name[strings.LastIndexByte(name, '/')+1:])
}

// PartnershipAgreement returns a partnership's signed agreement and its
// content.
func (s *Store) PartnershipAgreement(ctx context.Context, id int64) (*rencontres.Agreement, []byte, error) {
	var ag rencontres.Agreement
	var uploaded string
	var data []byte
	err := s.reader().QueryRowContext(ctx, `SELECT name, content_type, size, sha256, uploaded_at, data
		FROM partnership_agreements WHERE partnership_id = $1`, id).Scan(&ag.Name, &ag.ContentType, &ag.Size, &ag.SHA256, &uploaded, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, rencontres.NotFound("agreement")
	}
	if err != nil {
		return nil, nil, err
	}
	ag.Uploaded, err = parseTS(uploaded)
	return &ag, data, err
}

// ReportPartnership records an authority's answer to the état des lieux
// and makes what it reports the partnership's state, last exchanges and
// current projects. The authority must be one side of the partnership.
func (s *Store) ReportPartnership(ctx context.Context, r *rencontres.PartnershipReport) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if r.Created.IsZero() {
		r.Created = time.Now()
	}
	return s.InTx(ctx, func(s *Store) error {
		p, err := s.Partnership(ctx, r.PartnershipID)
		if err != nil {
			return err
		}
		if !p.Involves(r.OrgKey) {
			return rencontres.NotFound("partnership")
		}
		org, err := orgID(ctx, s.writer(), r.OrgKey)
		if err != nil {
			return err
		}
		if err := s.writer().QueryRowContext(ctx, `INSERT INTO partnership_reports
			(partnership_id, org_id, state, last_exchanges, current_projects, author_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, r.PartnershipID, org, r.State, r.LastExchanges,
			r.CurrentProjects, nullID(r.AuthorID), ts(r.Created)).Scan(&r.ID); err != nil {
			return err
		}
		_, err = s.writer().ExecContext(ctx, `UPDATE partnerships SET state = $2, last_exchanges = $3, current_projects = $4,
			updated_at = $5 WHERE id = $1`, r.PartnershipID, r.State, r.LastExchanges, r.CurrentProjects, ts(r.Created))
		return err
	})
}

// ReviewPartnershipReport marks an answer as read by the secretariat.
func (s *Store) ReviewPartnershipReport(ctx context.Context, id, by int64, at time.Time) error {
	res, err := s.writer().ExecContext(ctx, `UPDATE partnership_reports SET reviewed_at = $2, reviewed_by = $3 WHERE id = $1`,
		id, ts(at), nullID(by))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return rencontres.NotFound("report")
	}
	return nil
}

const reportQuery = `SELECT r.id, r.partnership_id, o.key, r.state, r.last_exchanges, r.current_projects,
	COALESCE(r.author_id, 0), COALESCE(u.name, ''), r.created_at, r.reviewed_at, COALESCE(v.name, '')
	FROM partnership_reports r JOIN organisations o ON o.id = r.org_id
	LEFT JOIN users u ON u.id = r.author_id LEFT JOIN users v ON v.id = r.reviewed_by`

func (s *Store) reports(ctx context.Context, where string, args ...any) ([]*rencontres.PartnershipReport, error) {
	rows, err := s.reader().QueryContext(ctx, reportQuery+where+" ORDER BY r.created_at DESC, r.id DESC", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*rencontres.PartnershipReport
	for rows.Next() {
		var r rencontres.PartnershipReport
		var created string
		var reviewed sql.NullString
		if err := rows.Scan(&r.ID, &r.PartnershipID, &r.OrgKey, &r.State, &r.LastExchanges, &r.CurrentProjects,
			&r.AuthorID, &r.Author, &created, &reviewed, &r.ReviewedBy); err != nil {
			return nil, err
		}
		if r.Created, err = parseTS(created); err != nil {
			return nil, err
		}
		r.Reviewed = parseNullTS(reviewed)
		out = append(out, &r)
	}
	return out, rows.Err()
}

// PartnershipReports lists the answers about a partnership, newest first.
func (s *Store) PartnershipReports(ctx context.Context, partnershipID int64) ([]*rencontres.PartnershipReport, error) {
	return s.reports(ctx, " WHERE r.partnership_id = $1", partnershipID)
}

// PartnershipSurvey tells, for every authority with a partnership (of a
// country, when given), whether it answered the état des lieux, when, and
// whether the secretariat reviewed its answers; those that have not
// answered come first, then by name.
func (s *Store) PartnershipSurvey(ctx context.Context, country rencontres.Country) ([]*rencontres.SurveyRow, error) {
	all, err := s.AllPartnerships(ctx)
	if err != nil {
		return nil, err
	}
	rows := map[string]*rencontres.SurveyRow{}
	for _, p := range all {
		for _, o := range []*rencontres.Organisation{p.OrgA, p.OrgB} {
			if o == nil || !o.Kind.IsAuthority() || (country != "" && o.Country != country) {
				continue
			}
			if rows[o.Key] == nil {
				rows[o.Key] = &rencontres.SurveyRow{Org: o, Status: rencontres.NotAnswered}
			}
			rows[o.Key].Partnerships++
		}
	}
	reports, err := s.reports(ctx, "")
	if err != nil {
		return nil, err
	}
	for _, r := range reports {
		row := rows[r.OrgKey]
		if row == nil {
			continue
		}
		row.Reports = append(row.Reports, r)
		if r.Created.After(row.Answered) {
			row.Answered = r.Created
		}
		switch {
		case r.Reviewed == nil:
			row.Status = rencontres.ToReview
		case row.Status == rencontres.NotAnswered:
			row.Status = rencontres.Reviewed
		}
	}
	out := make([]*rencontres.SurveyRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *rencontres.SurveyRow) int {
		if c := slices.Index(rencontres.SurveyStatuses, a.Status) - slices.Index(rencontres.SurveyStatuses, b.Status); c != 0 {
			return c
		}
		return strings.Compare(rencontres.FoldSearch(a.Org.Name.In(rencontres.French)), rencontres.FoldSearch(b.Org.Name.In(rencontres.French)))
	})
	return out, nil
}
