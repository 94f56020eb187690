package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/textdiff"
)

// The draft's history: every change with what it changed (a word diff in
// French and English, a character diff in Japanese, insertions in <ins>,
// deletions in <del>), one segment's page, the text as it stood after a
// change, and the restoring of an earlier version.

// VersionChange is a version in a history, with its diffs against the
// segment's version before it.
type VersionChange struct {
	DeclID int64
	V      *rencontres.SegmentVersion
	Diffs  []VersionDiff
	// Restorable: a drafter may make it the segment's text again (not the
	// current version).
	Restorable bool
}

// VersionDiff is what a change did to one language (LangDiff is the
// amendments').
type VersionDiff struct {
	Lang rencontres.Lang
	HTML template.HTML
}

// HistoryPage is the history of a whole declaration.
type HistoryPage struct {
	Decl    *rencontres.Declaration
	Title   string
	Drafts  bool
	Changes []*VersionChange
	Done    string
}

// SegmentPage is one segment's page: its form and its history.
type SegmentPage struct {
	Decl    *rencontres.Declaration
	Title   string
	Drafts  bool
	Row     *SegmentRow
	Kinds   []rencontres.SegmentKind
	Changes []*VersionChange
}

// TextAtPage is the text as it stood after change Rev.
type TextAtPage struct {
	Decl  *rencontres.Declaration // as it stood
	Title string
	At    time.Time
}

// diffHTML marks ops up: <ins> and <del>, the text escaped.
func diffHTML(ops []textdiff.Op) template.HTML {
	var b strings.Builder
	for _, o := range ops {
		t := template.HTMLEscapeString(o.Text)
		switch o.Kind {
		case textdiff.Insert:
			b.WriteString("<ins>" + t + "</ins>")
		case textdiff.Delete:
			b.WriteString("<del>" + t + "</del>")
		default:
			b.WriteString(t)
		}
	}
	return template.HTML(b.String())
}

// LangDiffs compares two texts of a segment in each language: by
// characters in Japanese, by words otherwise; a language unchanged is left
// out unless all are.
func LangDiffs(before, after rencontres.Text) []VersionDiff {
	var out []VersionDiff
	for _, l := range rencontres.Langs {
		if before[l] == "" && after[l] == "" {
			continue
		}
		if before[l] == after[l] {
			continue
		}
		ops := textdiff.Words(before[l], after[l])
		if l == rencontres.Japanese {
			ops = textdiff.Chars(before[l], after[l])
		}
		out = append(out, VersionDiff{Lang: l, HTML: diffHTML(ops)})
	}
	return out
}

// changes pairs each version (newest first) with the version of its
// segment before it; current holds each segment's current version.
func changes(declID int64, list []*rencontres.SegmentVersion, current map[int64]int64, drafts bool) []*VersionChange {
	out := make([]*VersionChange, len(list))
	prev := map[int64]*rencontres.SegmentVersion{}
	for i := len(list) - 1; i >= 0; i-- {
		v := list[i]
		before := rencontres.Text{}
		if p := prev[v.SegmentID]; p != nil {
			before = p.Text
		}
		out[i] = &VersionChange{DeclID: declID, V: v, Diffs: LangDiffs(before, v.Text), Restorable: drafts && current[v.SegmentID] != v.Version}
		prev[v.SegmentID] = v
	}
	return out
}

// currentVersions maps each segment of list to its newest version.
func currentVersions(list []*rencontres.SegmentVersion) map[int64]int64 {
	m := map[int64]int64{}
	for _, v := range list {
		if v.Version > m[v.SegmentID] {
			m[v.SegmentID] = v.Version
		}
	}
	return m
}

// Author names a version's author, or "an erased account".
func (p *Page) Author(v *rencontres.SegmentVersion) string {
	if v.ByName == "" {
		return p.P.T("declaration.erased_account")
	}
	return v.ByName
}

func (s *Site) declarationHistory(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	d, drafts, err := s.pathDeclaration(r, p)
	if err != nil {
		return "", err
	}
	list, err := s.declarations.DeclarationHistory(r.Context(), d.ID)
	if err != nil {
		return "", err
	}
	drafts = drafts && d.State == rencontres.DeclarationDraft
	pg := &HistoryPage{Decl: d, Title: d.Title.In(p.Lang), Drafts: drafts, Changes: changes(d.ID, list, currentVersions(list), drafts), Done: r.URL.Query().Get("done")}
	p.Title, p.Nav, p.Data = p.P.T("declaration.history_title", "Title", pg.Title), "events", pg
	return "declaration_history", nil
}

func (s *Site) declarationAt(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	d, _, err := s.pathDeclaration(r, p)
	if err != nil {
		return "", err
	}
	rev, err := strconv.ParseInt(r.PathValue("rev"), 10, 64)
	if err != nil {
		return "", rencontres.NotFound("version")
	}
	at, err := s.declarations.DeclarationAt(r.Context(), d.ID, rev)
	if err != nil {
		return "", err
	}
	pg := &TextAtPage{Decl: at, Title: d.Title.In(p.Lang)}
	for _, sg := range at.Segments {
		if sg.UpdatedAt.After(pg.At) {
			pg.At = sg.UpdatedAt
		}
	}
	p.Title, p.Nav, p.Data = p.P.T("declaration.at_title", "Title", pg.Title, "Rev", rev), "events", pg
	return "declaration_at", nil
}

func (s *Site) segmentPage(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	d, drafts, err := s.pathDeclaration(r, p)
	if err != nil {
		return "", err
	}
	return s.segmentView(r, p, d, drafts, pathSegment(r), nil)
}

// segmentView fills a segment's page; row is a failed save's form.
func (s *Site) segmentView(r *http.Request, p *Page, d *rencontres.Declaration, drafts bool, segID int64, row *SegmentRow) (string, error) {
	list, err := s.declarations.SegmentHistory(r.Context(), d.ID, segID)
	if err != nil {
		return "", err
	}
	var seg *rencontres.Segment
	for _, sg := range d.Segments {
		if sg.ID == segID {
			seg = sg
		}
	}
	drafts = drafts && d.State == rencontres.DeclarationDraft
	if seg == nil {
		// deleted: its history only, and its restoring
		last := list[0]
		seg = &rencontres.Segment{ID: segID, Kind: last.Kind, Text: last.Text, Version: last.Version, Deleted: true}
	}
	if row == nil {
		row = segmentRow(seg)
	}
	row.Seg = seg
	s.finish(p, row, d.ID, "segment")
	pg := &SegmentPage{Decl: d, Title: d.Title.In(p.Lang), Drafts: drafts, Row: row, Kinds: rencontres.SegmentKinds,
		Changes: changes(d.ID, list, map[int64]int64{segID: seg.Version}, drafts)}
	p.Title, p.Nav, p.Data = p.P.T("declaration.segment_title", "Title", pg.Title), "events", pg
	return "declaration_segment", nil
}

func (s *Site) restoreVersion(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	d, err := s.openToDraft(r, p)
	if err != nil {
		return "", err
	}
	vid, err := strconv.ParseInt(r.PathValue("version"), 10, 64)
	if err != nil {
		return "", rencontres.NotFound("version")
	}
	if err := s.declarations.RestoreVersion(r.Context(), d.ID, vid, p.Actor.User.ID, time.Now()); err != nil {
		return "", err
	}
	s.audit(r, "declaration.restore", "declaration", strconv.FormatInt(d.ID, 10), map[string]any{"version": vid})
	http.Redirect(w, r, p.Href(fmt.Sprintf("/declarations/%d/history?done=restored", d.ID)), http.StatusSeeOther)
	return "", nil
}
