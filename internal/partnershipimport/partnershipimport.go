// Package partnershipimport reads a list of partnerships, as the
// partnerships' export writes it (CSV or .xlsx, headers in French,
// Japanese or English, or the API's keys), and brings the network in line
// with it: new pairs created, changed fields updated, the rest left alone,
// so that an export edited in Excel and imported again changes only what
// was edited.
package partnershipimport

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/contactimport"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/sheet"
	"github.com/rencontres/rencontres/internal/store"
)

// Columns are the export's columns, by their keys; the import reads those
// that say what a partnership is and ignores the names and countries,
// which only help a reader.
var Columns = []string{"number", "a", "a_name", "a_name_ja", "a_country", "b", "b_name", "b_name_ja", "b_country",
	"kind", "kind_label", "year", "year_ended", "state", "last_exchanges", "current_projects", "note"}

// Status is what importing a row does.
type Status string

// What a row does.
const (
	Created   Status = "created"
	Updated   Status = "updated"
	Unchanged Status = "unchanged"
)

// Problem is a refused row's fault, at its line and column (0 when the
// whole row is at fault).
type Problem struct {
	Line, Column int
	Err          *rencontres.Error
}

// Row is one data row and what it does.
type Row struct {
	Line        int
	Status      Status
	Partnership *rencontres.Partnership
}

// Preview is what importing the file does, or why it cannot.
type Preview struct {
	*sheet.Table
	Lang     rencontres.Lang // the language of the file's names and notes
	Headers  []string
	Problems []Problem
	Rows     []Row
	Count    map[Status]int
}

// Ready reports whether the file can be written: no row refused.
func (pv *Preview) Ready() bool { return len(pv.Problems) == 0 }

// errDryRun undoes a dry run's writes.
var errDryRun = errors.New("dry run")

// Import reads data and, in one transaction, creates and updates the
// partnerships it lists; nothing is written when a row is refused or
// when dryRun is set. Every refused row is in the preview.
func Import(ctx context.Context, st *store.Store, cat *i18n.Catalogue, data []byte, opt sheet.Options, dryRun bool) (*Preview, error) {
	t, err := sheet.Read(data, opt)
	if err != nil {
		return nil, err
	}
	pv := &Preview{Table: t, Count: map[Status]int{}}
	if len(t.Rows) == 0 {
		return nil, &sheet.Error{Key: "empty"}
	}
	pv.Headers = t.Rows[0]
	col, lang := matchHeaders(cat, pv.Headers)
	pv.Lang = lang
	for _, k := range []string{"a", "b", "kind"} {
		if col[k] < 0 {
			pv.Problems = append(pv.Problems, Problem{Line: t.Lines[0], Err: &rencontres.Error{Code: rencontres.EINVALID,
				Key: "partnership_import.missing_column", Args: map[string]any{"Column": cat.Printer(lang).T("partnership_export." + k)}}})
		}
	}
	if len(pv.Problems) > 0 {
		return pv, nil
	}
	kinds, states := words(cat)
	err = st.InTx(ctx, func(tx *store.Store) error {
		all, err := tx.AllPartnerships(ctx)
		if err != nil {
			return err
		}
		existing := map[string]*rencontres.Partnership{}
		for _, p := range all {
			existing[pairKey(p.A, p.B, p.Kind)] = p
		}
		seen := map[string]int{}
		for i, cells := range t.Rows[1:] {
			line := t.Lines[i+1]
			cell := func(k string) (string, bool) {
				if c := col[k]; c >= 0 && c < len(cells) {
					return strings.TrimSpace(cells[c]), true
				}
				return "", col[k] >= 0
			}
			refuse := func(k, key string, args map[string]any) {
				pv.Problems = append(pv.Problems, Problem{Line: line, Column: col[k] + 1,
					Err: &rencontres.Error{Code: rencontres.EINVALID, Key: key, Args: args}})
			}
			before := len(pv.Problems)
			a, _ := cell("a")
			b, _ := cell("b")
			kindCell, _ := cell("kind")
			kind, ok := kinds[sheet.FoldHeader(kindCell)]
			if !ok {
				refuse("kind", "partnership_import.bad_kind", map[string]any{"Value": kindCell})
			}
			year := func(k string) int {
				v, _ := cell(k)
				if v == "" {
					return 0
				}
				n, err := strconv.Atoi(v)
				if err != nil {
					refuse(k, "partnership_import.bad_year", map[string]any{"Value": v})
				}
				return n
			}
			y, ye := year("year"), year("year_ended")
			stateCell, hasState := cell("state")
			state := rencontres.PartnershipState("")
			if stateCell != "" {
				if state, ok = states[sheet.FoldHeader(stateCell)]; !ok {
					refuse("state", "partnership_import.bad_state", map[string]any{"Value": stateCell})
				}
			}
			if len(pv.Problems) > before {
				continue
			}
			key := pairKey(a, b, kind)
			if first, ok := seen[key]; ok && a != "" && b != "" {
				refuse("b", "partnership_import.duplicate_row", map[string]any{"Line": first})
				continue
			}
			seen[key] = line
			p := &rencontres.Partnership{A: a, B: b, Kind: kind}
			status := Created
			if old := existing[key]; old != nil {
				c := *old
				c.Agreement, c.KindLabel, c.Note = nil, clone(old.KindLabel), clone(old.Note)
				p, status = &c, Unchanged
			}
			p.Year, p.YearEnded = y, ye
			if hasState && state != "" {
				p.State = state
			}
			for k, to := range map[string]*string{"last_exchanges": &p.LastExchanges, "current_projects": &p.CurrentProjects} {
				if v, ok := cell(k); ok {
					*to = v
				}
			}
			for k, to := range map[string]*rencontres.Text{"kind_label": &p.KindLabel, "note": &p.Note} {
				if v, ok := cell(k); ok && v != to.In(lang) {
					if *to == nil {
						*to = rencontres.Text{}
					}
					(*to)[lang] = v
				}
			}
			if old := existing[key]; old != nil && !same(old, p) {
				status = Updated
			}
			switch status {
			case Created:
				err = tx.CreatePartnership(ctx, p)
			case Updated:
				err = tx.UpdatePartnership(ctx, p)
			}
			var e *rencontres.Error
			if errors.As(err, &e) {
				for _, f := range e.All() {
					c, ok := col[f.Field]
					if !ok {
						c = -1
					}
					pv.Problems = append(pv.Problems, Problem{Line: line, Column: c + 1, Err: f})
				}
				continue
			} else if err != nil {
				return err
			}
			pv.Rows = append(pv.Rows, Row{Line: line, Status: status, Partnership: p})
			pv.Count[status]++
		}
		if len(pv.Problems) > 0 || dryRun {
			return errDryRun
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDryRun) {
		return nil, err
	}
	return pv, nil
}

func clone(t rencontres.Text) rencontres.Text {
	out := rencontres.Text{}
	for k, v := range t {
		out[k] = v
	}
	return out
}

// same reports whether the import leaves a partnership as it was.
func same(a, b *rencontres.Partnership) bool {
	return a.Year == b.Year && a.YearEnded == b.YearEnded && a.State == b.State && a.LastExchanges == b.LastExchanges &&
		a.CurrentProjects == b.CurrentProjects && sameText(a.KindLabel, b.KindLabel) && sameText(a.Note, b.Note)
}

func sameText(a, b rencontres.Text) bool {
	for _, l := range []rencontres.Lang{rencontres.French, rencontres.Japanese, rencontres.English} {
		if a[l] != b[l] {
			return false
		}
	}
	return true
}

// pairKey names a pair and kind whichever side comes first.
func pairKey(a, b string, k rencontres.PartnershipKind) string {
	if a > b {
		a, b = b, a
	}
	return a + "\x00" + b + "\x00" + string(k)
}

// matchHeaders finds each column's index (-1 when absent) from the
// headings in any language or the keys, and the language the file's
// headings are in: French for the API's keys.
func matchHeaders(cat *i18n.Catalogue, row []string) (map[string]int, rencontres.Lang) {
	names := map[string]string{}
	votes := map[rencontres.Lang]int{}
	byLang := map[rencontres.Lang]map[string]bool{}
	for _, l := range []rencontres.Lang{rencontres.French, rencontres.Japanese, rencontres.English} {
		p := cat.Printer(l)
		byLang[l] = map[string]bool{}
		for _, k := range Columns {
			h := sheet.FoldHeader(p.T("partnership_export." + k))
			names[h] = k
			byLang[l][h] = true
		}
	}
	for _, k := range Columns {
		names[sheet.FoldHeader(k)] = k
	}
	col, keys := map[string]int{}, 0
	for _, k := range Columns {
		col[k] = -1
	}
	for i, h := range row {
		f := sheet.FoldHeader(h)
		if k, ok := names[f]; ok && col[k] < 0 {
			col[k] = i
		}
		for l, set := range byLang {
			if set[f] {
				votes[l]++
			}
		}
		if k, ok := names[f]; ok && h == k {
			keys++
		}
	}
	if keys*2 > len(row) {
		// The API's export: names and notes in French.
		return col, rencontres.French
	}
	lang := rencontres.French
	for _, l := range []rencontres.Lang{rencontres.Japanese, rencontres.English} {
		if votes[l] > votes[lang] {
			lang = l
		}
	}
	return col, lang
}

// words maps a kind's and a state's code and names, in every language,
// folded, to the kind or state.
func words(cat *i18n.Catalogue) (map[string]rencontres.PartnershipKind, map[string]rencontres.PartnershipState) {
	kinds := map[string]rencontres.PartnershipKind{}
	states := map[string]rencontres.PartnershipState{}
	for _, l := range []rencontres.Lang{rencontres.French, rencontres.Japanese, rencontres.English} {
		p := cat.Printer(l)
		for _, k := range rencontres.PartnershipKinds {
			kinds[sheet.FoldHeader(p.T(k.MessageKey()))] = k
			kinds[sheet.FoldHeader(string(k))] = k
		}
		for _, s := range rencontres.PartnershipStates {
			states[sheet.FoldHeader(p.T("partnership_state."+string(s)))] = s
			states[sheet.FoldHeader(string(s))] = s
		}
	}
	return kinds, states
}

// Message says a problem in the reader's language, with where it is.
func (pr Problem) Message(p *i18n.Printer, headers []string) string {
	return contactimport.Where(p, pr.Line, pr.Column, headers) + p.T("import.colon") + p.Error(pr.Err)
}

// Summary counts what the import does.
func (pv *Preview) Summary(p *i18n.Printer) string {
	return p.T("partnership_import.summary", "Created", pv.Count[Created], "Updated", pv.Count[Updated],
		"Unchanged", pv.Count[Unchanged])
}
