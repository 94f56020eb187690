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

// orgRef is a column that points at an organisation, and the other columns
// of a unique key it belongs to: a row of the removed organisation that
// would repeat one of the kept organisation's (the same contact, the same
// role in the same series) is dropped rather than moved.
type orgRef struct {
	table, column string
	unique        []string
	// drop: the rows describe the removed organisation itself (its search
	// terms) and go with it instead of moving.
	drop bool
}

// orgReferences lists every column with a foreign key to organisations(id).
// MergeOrganisations moves each; TestMergeKnowsEveryReference reads the
// schema and fails when a migration adds one that is not here.
var orgReferences = []orgRef{
	{table: "organisations", column: "parent_id"},
	{table: "partnerships", column: "org_a"}, // movePartnerships
	{table: "partnerships", column: "org_b"},
	{table: "editions", column: "host_id"},
	{table: "edition_organisations", column: "org_id", unique: []string{"edition_id", "role"}},
	{table: "series_organisations", column: "org_id", unique: []string{"series_id", "role"}},
	{table: "user_organisations", column: "org_id", unique: []string{"user_id"}},
	{table: "committee_seats", column: "org_id"},
	{table: "agenda_items", column: "org_id"},
	{table: "session_speakers", column: "org_id"},
	{table: "delegations", column: "org_id", unique: []string{"event_id"}}, // moveDelegations first
	{table: "campaign_recipients", column: "org_id"},
	{table: "organisation_merges", column: "kept_id"},
	{table: "organisation_terms", column: "org_id", drop: true},
	{table: "partnership_reports", column: "org_id"},
	{table: "news_post_organisations", column: "org_id", unique: []string{"post_id"}},
	{table: "proposal_organisations", column: "org_id", unique: []string{"proposal_id"}},
	{table: "proposal_presenters", column: "org_id"},
	{table: "declaration_adoptions", column: "org_id", unique: []string{"declaration_id"}},
	{table: "declaration_amendments", column: "org_id"},
	{table: "declaration_supports", column: "org_id", unique: []string{"amendment_id"}},
	{table: "cooperation_profiles", column: "org_id", drop: true}, // moveCooperationProfile first
	{table: "meeting_requests", column: "from_org_id", unique: []string{"event_id", "to_org_id"}},
	{table: "meeting_requests", column: "to_org_id", unique: []string{"event_id", "from_org_id"}},
}

// MergeOrganisations moves everything that points at the organisation from
// to keep (contacts, partnerships less exact duplicates, delegations and
// their registrations, campaign recipients, editions hosted, series and
// edition roles, seats, speakers, child areas, earlier merges), fills
// keep's empty fields from from's (Organisation.FillFrom), removes from,
// records the merge and its audit entry naming the fields filled, all in
// one transaction.
func (s *Store) MergeOrganisations(ctx context.Context, keep, from string, confirm bool, by *rencontres.AuditEntry) (*rencontres.OrgMerge, error) {
	if from == "" {
		return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.required", Field: "from", Message: "the organisation to merge is required"}
	}
	if keep == from {
		return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "org_merge.self", Field: "from", Message: "an organisation cannot be merged with itself"}
	}
	var m *rencontres.OrgMerge
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		k, err := orgByKey(ctx, tx, keep)
		if err != nil {
			return err
		}
		f, err := orgByKey(ctx, tx, from)
		if err != nil {
			return &rencontres.Error{Code: rencontres.ENOTFOUND, Key: "error.unknown_organisation", Field: "from",
				Message: fmt.Sprintf("organisation %q not found", from), Args: map[string]any{"Key": from}}
		}
		if !confirm && k.Source != rencontres.Local && f.Source != rencontres.Local && k.Code != "" && f.Code != "" && k.Code != f.Code {
			return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "org_merge.codes_differ", Field: "confirm",
				Message: fmt.Sprintf("%s has official code %s and %s has %s: confirm that they are the same authority", keep, k.Code, from, f.Code),
				Args:    map[string]any{"Kept": k.Code, "From": f.Code}}
		}
		// The kept record takes what only the other knew; its own values
		// stay. A parent that was the other record goes (moveRefs clears
		// it below) before the other's parent may fill it.
		if k.ParentKey == f.Key {
			k.ParentKey = ""
		}
		filled := k.FillFrom(f)
		if err := movePartnerships(ctx, tx, k.ID, f.ID); err != nil {
			return err
		}
		if err := moveDelegations(ctx, tx, k.ID, f.ID); err != nil {
			return err
		}
		if err := moveCooperationProfile(ctx, tx, k.ID, f.ID); err != nil {
			return err
		}
		for _, r := range orgReferences {
			if r.table == "partnerships" || r.drop {
				continue
			}
			if err := moveRefs(ctx, tx, r, k.ID, f.ID); err != nil {
				return fmt.Errorf("merge %s.%s: %w", r.table, r.column, err)
			}
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM organisations WHERE id = $1", f.ID); err != nil {
			return err
		}
		if len(filled) > 0 {
			parent, err := parentRef(ctx, tx, k.ParentKey, k.ID)
			if err != nil {
				return err
			}
			if err := writeOrg(ctx, tx, k, parent); err != nil {
				return fmt.Errorf("merge: fill %s: %w", k.Key, err)
			}
		}
		m = &rencontres.OrgMerge{KeptKey: k.Key, RemovedKey: f.Key, RemovedName: f.Name, RemovedCode: f.Code, At: time.Now().UTC(),
			Filled: filled}
		e := rencontres.AuditEntry{At: m.At, Action: "organisation.merge", ObjectType: "organisation", ObjectID: k.Key,
			Detail: map[string]any{"from": f.Key, "from_name": f.Name, "from_code": f.Code, "filled": nonNilSlice(filled)}}
		if by != nil {
			e.ActorID, e.ActorEmail, e.IP = by.ActorID, by.ActorEmail, by.IP
		}
		detail, err := json.Marshal(e.Detail)
		if err != nil {
			return err
		}
		var actor sql.NullInt64
		if e.ActorID != 0 {
			actor = sql.NullInt64{Int64: e.ActorID, Valid: true}
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO audit_log (at, actor_id, actor_email, action, object_type, object_id, ip, detail)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, ts(e.At), actor, e.ActorEmail, e.Action, e.ObjectType, e.ObjectID,
			e.IP, string(detail)).Scan(&e.ID); err != nil {
			return err
		}
		m.By = e.ActorEmail
		if _, err = tx.ExecContext(ctx, `INSERT INTO organisation_merges (kept_id, removed_key, removed_name, removed_code, merged_at, audit_id)
			VALUES ($1, $2, $3, $4, $5, $6)`, k.ID, f.Key, f.Name, f.Code, ts(m.At), e.ID); err != nil {
			return err
		}
		// The practices of the removed record are now the kept one's:
		// their search terms name it.
		return reindexPracticesOf(ctx, tx, []int64{k.ID})
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// moveRefs points r's rows at keep instead of from, first dropping those
// that would repeat a row of keep's on r's unique key.
func moveRefs(ctx context.Context, tx *sql.Tx, r orgRef, keep, from int64) error {
	if r.table == "organisations" {
		// A child area of both stays one; the kept one is no child of itself.
		_, err := tx.ExecContext(ctx, "UPDATE organisations SET parent_id = CASE WHEN id = $1 THEN NULL ELSE $1 END WHERE parent_id = $2", keep, from)
		return err
	}
	if len(r.unique) > 0 {
		same := ""
		for _, c := range r.unique {
			same += " AND k." + c + " = " + r.table + "." + c
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+r.table+" WHERE "+r.column+" = $2 AND EXISTS (SELECT 1 FROM "+
			r.table+" k WHERE k."+r.column+" = $1"+same+")", keep, from); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, "UPDATE "+r.table+" SET "+r.column+" = $1 WHERE "+r.column+" = $2", keep, from)
	return err
}

// movePartnerships gives keep the partnerships of from: one between the two
// goes, as does one that repeats a partnership of keep's (same partner,
// same kind, either way round); pairs stay stored smaller id first, as
// UpsertPartnership expects.
func movePartnerships(ctx context.Context, tx *sql.Tx, keep, from int64) error {
	for _, q := range []string{
		`DELETE FROM partnerships WHERE (org_a = $1 AND org_b = $2) OR (org_a = $2 AND org_b = $1)`,
		`DELETE FROM partnerships WHERE (org_a = $2 OR org_b = $2) AND EXISTS (SELECT 1 FROM partnerships k
			WHERE k.kind = partnerships.kind AND (k.org_a = $1 OR k.org_b = $1)
			AND CASE WHEN k.org_a = $1 THEN k.org_b ELSE k.org_a END
			  = CASE WHEN partnerships.org_a = $2 THEN partnerships.org_b ELSE partnerships.org_a END)`,
		`UPDATE partnerships SET org_a = $1 WHERE org_a = $2`,
		`UPDATE partnerships SET org_b = $1 WHERE org_b = $2`,
	} {
		if _, err := tx.ExecContext(ctx, q, keep, from); err != nil {
			return fmt.Errorf("merge partnerships: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE partnerships SET org_a = org_b, org_b = org_a
		WHERE org_a > org_b AND (org_a = $1 OR org_b = $1)`, keep); err != nil {
		return fmt.Errorf("merge partnerships: %w", err)
	}
	return nil
}

// moveDelegations puts the registrations of from's delegation to an event
// where keep has one too into keep's: the two delegations become one.
func moveDelegations(ctx context.Context, tx *sql.Tx, keep, from int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE registrations SET delegation_id = (SELECT k.id FROM delegations k, delegations f
			WHERE f.id = registrations.delegation_id AND k.event_id = f.event_id AND k.org_id = $1)
		WHERE delegation_id IN (SELECT f.id FROM delegations f JOIN delegations k ON k.event_id = f.event_id AND k.org_id = $1
			WHERE f.org_id = $2)`, keep, from)
	if err != nil {
		return fmt.Errorf("merge delegations: %w", err)
	}
	return nil
}

// OrganisationMerges lists the organisations merged into key, oldest first.
func (s *Store) OrganisationMerges(ctx context.Context, key string) ([]*rencontres.OrgMerge, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT o.key, m.removed_key, m.removed_name, m.removed_code, m.merged_at,
		COALESCE(a.actor_email, '')
		FROM organisation_merges m JOIN organisations o ON o.id = m.kept_id LEFT JOIN audit_log a ON a.id = m.audit_id
		WHERE o.key = $1 ORDER BY m.merged_at, m.id`, key)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*rencontres.OrgMerge
	for rows.Next() {
		var m rencontres.OrgMerge
		var at string
		if err := rows.Scan(&m.KeptKey, &m.RemovedKey, &m.RemovedName, &m.RemovedCode, &at, &m.By); err != nil {
			return nil, err
		}
		if m.At, err = parseTS(at); err != nil {
			return nil, err
		}
		out = append(out, &m)
	}
	return out, rows.Err()
}

// MergedInto returns the key of the organisation removedKey was merged into.
func (s *Store) MergedInto(ctx context.Context, removedKey string) (string, error) {
	var key string
	err := s.reader().QueryRowContext(ctx, `SELECT o.key FROM organisation_merges m JOIN organisations o ON o.id = m.kept_id
		WHERE m.removed_key = $1`, removedKey).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", rencontres.NotFound("organisation")
	}
	return key, err
}
