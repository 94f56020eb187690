package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The secretariat's edits of the directory. A record's columns hold what
// is shown; for a reference record, overrides holds the reference value of
// each field the secretariat changed (rencontres.RefFields), which
// re-imports update instead of the column.

// orgByKey reads one organisation in a transaction.
func orgByKey(ctx context.Context, tx querier, key string) (*rencontres.Organisation, error) {
	o, err := scanOrg(tx.QueryRowContext(ctx, "SELECT "+orgColumns+orgFrom+" WHERE o.key = $1", key))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("organisation")
	}
	return o, err
}

// mergedKeys maps the keys of the organisations merged away to the id of
// the organisation each was merged into.
func mergedKeys(ctx context.Context, tx querier) (map[string]int64, error) {
	rows, err := tx.QueryContext(ctx, "SELECT removed_key, kept_id FROM organisation_merges")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]int64{}
	for rows.Next() {
		var k string
		var id int64
		if err := rows.Scan(&k, &id); err != nil {
			return nil, err
		}
		m[k] = id
	}
	return m, rows.Err()
}

// parentRef finds the id of a parent given by key ("" for none), following
// merges; self is the organisation's own id, which cannot be its parent.
func parentRef(ctx context.Context, tx querier, key string, self int64) (sql.NullInt64, error) {
	if key == "" {
		return sql.NullInt64{}, nil
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM organisations WHERE key = $1
		UNION ALL SELECT kept_id FROM organisation_merges WHERE removed_key = $1`, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return sql.NullInt64{}, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_parent", Field: "parent",
			Message: fmt.Sprintf("parent %q is unknown", key), Args: map[string]any{"Key": key}}
	}
	if err != nil {
		return sql.NullInt64{}, err
	}
	if id == self {
		return sql.NullInt64{}, &rencontres.Error{Code: rencontres.EINVALID, Key: "org_form.own_parent", Field: "parent",
			Message: "an organisation cannot be its own parent"}
	}
	return sql.NullInt64{Int64: id, Valid: true}, nil
}

// writeOrg stores every editable column of o, which has its id.
func writeOrg(ctx context.Context, tx querier, o *rencontres.Organisation, parent sql.NullInt64) error {
	languages, err := json.Marshal(nonNilSlice(o.Languages))
	if err != nil {
		return err
	}
	overrides, err := json.Marshal(nonNilMap(o.Reference))
	if err != nil {
		return err
	}
	o.Updated = time.Now().UTC()
	search, sortName := searchColumns(o)
	_, err = tx.ExecContext(ctx, `UPDATE organisations SET kind = $2, country = $3, code = $4, name = $5, kana = $6,
		parent_id = $7, population = $8, lat = $9, lng = $10, website = $11, address = $12, languages = $13,
		cuf_japan_group = $14, notes = $15, overrides = $16, search_text = $17, sort_name = $18, kind_rank = $19,
		updated_at = $20 WHERE id = $1`, o.ID, o.Kind, o.Country, o.Code, o.Name, o.Kana, parent, o.Population, o.Lat, o.Lng,
		o.Website, o.Address, string(languages), o.CUFJapanGroup, o.Notes, string(overrides), search, sortName,
		kindRank(o.Kind), ts(o.Updated))
	if err != nil {
		return err
	}
	// The search terms follow the names in the same transaction.
	return reindexOrganisations(ctx, tx, []int64{o.ID})
}

// nonNilSlice and nonNilMap make nil stored as [] and {}, as the columns'
// defaults are, rather than as null.
func nonNilSlice(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// upsertEdited re-imports o over the stored record id, some of whose fields
// the secretariat changed: the import applies to the reference values (its
// usual merge: a name per language, an unknown population or position
// keeping the one known), then each changed field keeps the secretariat's
// value and takes the new reference value beside it; a field whose
// reference value has come to equal the local one is no longer an edit.
func (s *Store) upsertEdited(ctx context.Context, tx *sql.Tx, id int64, o *rencontres.Organisation) error {
	stored, err := scanOrg(tx.QueryRowContext(ctx, "SELECT "+orgColumns+orgFrom+" WHERE o.id = $1", id))
	if err != nil {
		return err
	}
	ref := *stored
	ref.Name = maps.Clone(stored.Name)
	for f, v := range stored.Reference {
		ref.SetRefValue(f, v)
	}
	for l, v := range o.Name {
		if v != "" {
			ref.Name[l] = v
		}
	}
	if o.Kana != "" {
		ref.Kana = o.Kana
	}
	if o.ParentKey != "" {
		ref.ParentKey = o.ParentKey
	}
	if o.Population > 0 {
		ref.Population = o.Population
	}
	if o.Lat != nil && o.Lng != nil {
		ref.Lat, ref.Lng = o.Lat, o.Lng
	}
	if o.Website != "" {
		ref.Website = o.Website
	}
	ref.Kind, ref.Country, ref.Code = o.Kind, o.Country, o.Code
	out := ref
	out.Name = maps.Clone(ref.Name)
	out.Reference = map[string]string{}
	for f := range stored.Reference {
		local := stored.RefValue(f)
		if r := ref.RefValue(f); r != local {
			out.Reference[f] = r
		}
		out.SetRefValue(f, local)
	}
	parent, err := parentRef(ctx, tx, out.ParentKey, id)
	if err != nil {
		return err
	}
	return writeOrg(ctx, tx, &out, parent)
}

// CreateOrganisation stores a new organisation of the secretariat's, with
// a key made from its name: "inst-" and its slug, numbered when taken by
// another organisation or by one merged away.
func (s *Store) CreateOrganisation(ctx context.Context, o *rencontres.Organisation) error {
	var errs []error
	for _, e := range o.Problems() {
		errs = append(errs, e)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		parent, err := parentRef(ctx, tx, o.ParentKey, 0)
		if err := rencontres.Join(append(errs, err)...); err != nil {
			return err
		}
		base := rencontres.KeyBase(o.Name)
		o.Key = base
		for n := 2; ; n++ {
			var taken int
			if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM organisations WHERE key = $1)
				+ (SELECT COUNT(*) FROM organisation_merges WHERE removed_key = $1)`, o.Key).Scan(&taken); err != nil {
				return err
			}
			if taken == 0 {
				break
			}
			o.Key = base + "-" + strconv.Itoa(n)
		}
		o.Source, o.Reference = rencontres.Local, nil
		o.Created = time.Now().UTC()
		if err := tx.QueryRowContext(ctx, `INSERT INTO organisations (key, kind, country, name, source, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, o.Key, o.Kind, o.Country, o.Name, o.Source, ts(o.Created)).Scan(&o.ID); err != nil {
			return err
		}
		return writeOrg(ctx, tx, o, parent)
	})
}

// UpdateOrganisation replaces what the secretariat may change of the
// organisation key with o's fields. A reference record keeps its kind,
// country and official code (a different one is refused), and each of
// rencontres.RefFields that changes keeps its reference value aside; a
// field set back to its reference value is no longer an edit.
func (s *Store) UpdateOrganisation(ctx context.Context, key string, o *rencontres.Organisation) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		stored, err := orgByKey(ctx, tx, key)
		if err != nil {
			return err
		}
		var errs []error
		if stored.Source != rencontres.Local {
			if o.Code != stored.Code {
				errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "org_form.code_fixed", Field: "code",
					Message: "the official code of a record of the reference data cannot change"})
			}
			if o.Kind != stored.Kind || o.Country != stored.Country {
				errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "org_form.kind_fixed", Field: "kind",
					Message: "the kind and country of a record of the reference data cannot change"})
			}
		}
		for _, e := range o.Problems() {
			errs = append(errs, e)
		}
		parent, err := parentRef(ctx, tx, o.ParentKey, stored.ID)
		if err := rencontres.Join(append(errs, err)...); err != nil {
			return err
		}
		out := *o
		out.ID, out.Key, out.Source, out.Created = stored.ID, stored.Key, stored.Source, stored.Created
		out.Reference = nil
		if stored.Source != rencontres.Local {
			out.Reference = maps.Clone(stored.Reference)
			if out.Reference == nil {
				out.Reference = map[string]string{}
			}
			for _, f := range rencontres.RefFields {
				before, after := stored.RefValue(f), out.RefValue(f)
				if before == after {
					continue
				}
				if _, kept := out.Reference[f]; !kept {
					out.Reference[f] = before
				}
				if out.Reference[f] == after {
					delete(out.Reference, f)
				}
			}
		}
		if err := writeOrg(ctx, tx, &out, parent); err != nil {
			return err
		}
		*o = out
		return nil
	})
}

// RevertOrganisationField gives a field the secretariat changed on a
// reference record its reference value back.
func (s *Store) RevertOrganisationField(ctx context.Context, key, field string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		o, err := orgByKey(ctx, tx, key)
		if err != nil {
			return err
		}
		ref, ok := o.Reference[field]
		if !ok || !slices.Contains(rencontres.RefFields, field) {
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "org_form.not_edited", Field: "field",
				Message: fmt.Sprintf("field %q keeps its reference value", field), Args: map[string]any{"Name": field}}
		}
		o.SetRefValue(field, ref)
		delete(o.Reference, field)
		parent, err := parentRef(ctx, tx, o.ParentKey, o.ID)
		if err != nil {
			return err
		}
		return writeOrg(ctx, tx, o, parent)
	})
}
