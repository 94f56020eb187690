package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/declaration"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The final declaration's draft (issue 16): the declarations one reads,
// one declaration whole, its segments saved against the version read (a
// stale save is 409 with the other's text), the translations confirmed,
// the versions and their restoring, the amendment period. The same rules
// as the pages (internal/declaration): one who may not read a declaration
// is told it does not exist; one who reads but does not draft is
// forbidden to change it.
func (a *API) registerDeclarations(route func(method, pattern string, perm rencontres.Permission, h handler)) {
	route("GET", "/api/v1/declarations", rencontres.ReadDeclarations, a.listDeclarations)
	route("POST", "/api/v1/declarations", rencontres.DraftDeclarations, a.startDeclaration)
	route("GET", "/api/v1/declarations/{id}", rencontres.ReadDeclarations, a.getDeclaration)
	route("POST", "/api/v1/declarations/{id}/segments", rencontres.DraftDeclarations, a.addSegment)
	route("PUT", "/api/v1/declarations/{id}/segments/{segment}", rencontres.DraftDeclarations, a.putSegment)
	route("DELETE", "/api/v1/declarations/{id}/segments/{segment}", rencontres.DraftDeclarations, a.deleteSegment)
	route("POST", "/api/v1/declarations/{id}/segments/{segment}/confirm", rencontres.DraftDeclarations, a.confirmSegment)
	route("GET", "/api/v1/declarations/{id}/versions", rencontres.ReadDeclarations, a.declarationVersions)
	route("POST", "/api/v1/declarations/{id}/versions/{version}/restore", rencontres.DraftDeclarations, a.restoreVersion)
	route("PUT", "/api/v1/declarations/{id}/period", rencontres.DraftDeclarations, a.putPeriod)
}

// DeclarationOut is the body of GET /api/v1/declarations/{id}: the
// declaration with its live segments, and what each part of issue 16 adds
// (one field each).
type DeclarationOut struct {
	*rencontres.Declaration
	// Drafts says whether the caller edits the draft.
	Drafts   bool                         `json:"drafts"`
	Versions []*rencontres.SegmentVersion `json:"versions"`
	// Amendments are the declaration's amendments with their state
	// (declaration_amend.go).
	Amendments []*rencontres.Amendment `json:"amendments,omitempty"`
	// Adoptions and Corrections are the adoption's: the votes or
	// endorsements recorded, the corrections of the adopted text.
	Adoptions   []*rencontres.Adoption              `json:"adoptions,omitempty"`
	Corrections []*rencontres.DeclarationCorrection `json:"corrections,omitempty"`
}

func (a *API) pathDeclaration(r *http.Request) (*rencontres.Declaration, bool, error) {
	id, err := reviewPathID(r, "id", "declaration")
	if err != nil {
		return nil, false, err
	}
	return declaration.Open(r.Context(), a.declarations, auth.ActorFrom(r.Context()), id)
}

func (a *API) draftDeclaration(r *http.Request) (*rencontres.Declaration, error) {
	id, err := reviewPathID(r, "id", "declaration")
	if err != nil {
		return nil, err
	}
	return declaration.OpenToDraft(r.Context(), a.declarations, auth.ActorFrom(r.Context()), id)
}

// DeclarationsOut is the body of GET /api/v1/declarations: the
// declarations the caller reads, without their segments.
type DeclarationsOut struct {
	Declarations []*rencontres.Declaration `json:"declarations"`
}

func (a *API) listDeclarations(w http.ResponseWriter, r *http.Request) (any, error) {
	list, err := declaration.Readable(r.Context(), a.declarations, auth.ActorFrom(r.Context()))
	if err != nil {
		return nil, err
	}
	return DeclarationsOut{Declarations: list}, nil
}

// DeclarationIn is the body of POST /api/v1/declarations: the edition, a
// title (the edition's when none) and the first segments (perhaps none).
type DeclarationIn struct {
	EditionID int64           `json:"edition_id"`
	Title     rencontres.Text `json:"title"`
	Segments  []SegmentIn     `json:"segments"`
}

// SegmentIn is a segment as the API writes it: its kind (paragraph when
// none), its text, and the version read (for a change).
type SegmentIn struct {
	Kind    rencontres.SegmentKind `json:"kind"`
	Text    rencontres.Text        `json:"text"`
	Version int64                  `json:"version"`
	// After places it: a new segment after the segment After (0: first);
	// a changed one moves after it (-1: first), 0 leaving it in place.
	After int64 `json:"after"`
}

func (a *API) startDeclaration(w http.ResponseWriter, r *http.Request) (any, error) {
	actor := auth.ActorFrom(r.Context())
	if !declaration.Starts(actor) {
		// The secretariat starts declarations; to the committee, which
		// drafts, this endpoint is not there (as the reviews' are not to
		// a reviewer not assigned).
		return nil, rencontres.NotFound("endpoint")
	}
	var in DeclarationIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if in.EditionID == 0 {
		return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.required", Field: "edition_id", Message: "required"}
	}
	d := &rencontres.Declaration{EditionID: in.EditionID, Title: in.Title}
	for _, s := range in.Segments {
		d.Segments = append(d.Segments, &rencontres.Segment{Kind: s.Kind, Text: s.Text})
	}
	if err := a.declarations.StartDeclaration(r.Context(), d, actor.User.ID, time.Now()); err != nil {
		return nil, err
	}
	a.audit(r, "declaration.start", "declaration", d.ID, map[string]any{"edition": d.EditionID})
	got, err := a.declarations.Declaration(r.Context(), d.ID)
	if err != nil {
		return nil, err
	}
	return created(DeclarationOut{Declaration: got, Drafts: true, Versions: []*rencontres.SegmentVersion{}}), nil
}

func (a *API) getDeclaration(w http.ResponseWriter, r *http.Request) (any, error) {
	d, drafts, err := a.pathDeclaration(r)
	if err != nil {
		return nil, err
	}
	out := DeclarationOut{Declaration: d, Drafts: drafts}
	if out.Versions, err = a.declarations.DeclarationHistory(r.Context(), d.ID); err != nil {
		return nil, err
	}
	if out.Amendments, err = a.declarations.Amendments(r.Context(), d.ID); err != nil {
		return nil, err
	}
	if out.Adoptions, out.Corrections, err = a.adoptionParts(r, d.ID); err != nil {
		return nil, err
	}
	return out, nil
}

// ConflictOut is the body of a 409 answer to a segment's save against a
// stale version: the error and the segment as the other save left it.
type ConflictOut struct {
	Error   ErrorDetail         `json:"error"`
	Current *rencontres.Segment `json:"current"`
}

// segmentAnswer answers a segment's write: the segment saved, or 409 with
// the current segment on a conflict.
func (a *API) segmentAnswer(r *http.Request, d *rencontres.Declaration, segID int64, isNew bool, err error) (any, error) {
	var c *rencontres.SegmentConflict
	if errors.As(err, &c) {
		p := a.cat.Printer(clientLang(r))
		return withStatus{http.StatusConflict, ConflictOut{Error: ErrorDetail{Code: rencontres.ECONFLICT, Message: p.Error(c.Err), Field: c.Err.Field}, Current: c.Current}}, nil
	}
	if err != nil {
		return nil, err
	}
	got, err := a.declarations.Declaration(r.Context(), d.ID)
	if err != nil {
		return nil, err
	}
	for _, s := range got.Segments {
		if s.ID == segID {
			return saved(isNew, s), nil
		}
	}
	return noContent, nil
}

func (a *API) addSegment(w http.ResponseWriter, r *http.Request) (any, error) {
	d, err := a.draftDeclaration(r)
	if err != nil {
		return nil, err
	}
	var in SegmentIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	s := &rencontres.Segment{Kind: in.Kind, Text: in.Text}
	err = a.declarations.SaveSegment(r.Context(), d.ID, s, max(in.After, 0), auth.ActorFrom(r.Context()).User.ID, time.Now())
	if err == nil {
		a.audit(r, "declaration.segment_add", "declaration", d.ID, map[string]any{"segment": s.ID})
	}
	return a.segmentAnswer(r, d, s.ID, true, err)
}

func (a *API) putSegment(w http.ResponseWriter, r *http.Request) (any, error) {
	d, err := a.draftDeclaration(r)
	if err != nil {
		return nil, err
	}
	segID, err := reviewPathID(r, "segment", "segment")
	if err != nil {
		return nil, err
	}
	var in SegmentIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if in.Version < 1 {
		return nil, errNoVersion()
	}
	s := &rencontres.Segment{ID: segID, Kind: in.Kind, Text: in.Text, Version: in.Version}
	err = a.declarations.SaveSegment(r.Context(), d.ID, s, in.After, auth.ActorFrom(r.Context()).User.ID, time.Now())
	if err == nil {
		a.audit(r, "declaration.segment_save", "declaration", d.ID, map[string]any{"segment": segID, "version": s.Version})
	}
	return a.segmentAnswer(r, d, segID, false, err)
}

// VersionIn names the version of a segment read: ?version= or the body's
// "version".
type VersionIn struct {
	Version int64           `json:"version"`
	Lang    rencontres.Lang `json:"lang"`
}

// errNoVersion is the refusal of a change that names no version read.
func errNoVersion() error {
	return &rencontres.Error{Code: rencontres.EINVALID, Key: "declaration.err_version", Field: "version", Message: "give the version of the segment you read"}
}

func readVersion(r *http.Request, in *VersionIn) error {
	if v := r.URL.Query().Get("version"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return errNoVersion()
		}
		in.Version = n
	} else if r.ContentLength != 0 {
		if err := decode(r, in); err != nil {
			return err
		}
	}
	if in.Version < 1 {
		return errNoVersion()
	}
	return nil
}

func (a *API) deleteSegment(w http.ResponseWriter, r *http.Request) (any, error) {
	d, err := a.draftDeclaration(r)
	if err != nil {
		return nil, err
	}
	segID, err := reviewPathID(r, "segment", "segment")
	if err != nil {
		return nil, err
	}
	var in VersionIn
	if err := readVersion(r, &in); err != nil {
		return nil, err
	}
	err = a.declarations.DeleteSegment(r.Context(), d.ID, segID, in.Version, auth.ActorFrom(r.Context()).User.ID, time.Now())
	if err == nil {
		a.audit(r, "declaration.segment_delete", "declaration", d.ID, map[string]any{"segment": segID})
	}
	return a.segmentAnswer(r, d, segID, false, err)
}

func (a *API) confirmSegment(w http.ResponseWriter, r *http.Request) (any, error) {
	d, err := a.draftDeclaration(r)
	if err != nil {
		return nil, err
	}
	segID, err := reviewPathID(r, "segment", "segment")
	if err != nil {
		return nil, err
	}
	var in VersionIn
	if err := readVersion(r, &in); err != nil {
		return nil, err
	}
	if _, ok := rencontres.ParseLang(string(in.Lang)); !ok {
		return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_language", Field: "lang", Message: "fr, ja or en", Args: map[string]any{"Lang": string(in.Lang)}}
	}
	err = a.declarations.ConfirmTranslation(r.Context(), d.ID, segID, in.Version, in.Lang, auth.ActorFrom(r.Context()).User.ID, time.Now())
	if err == nil {
		a.audit(r, "declaration.confirm", "declaration", d.ID, map[string]any{"segment": segID, "lang": in.Lang})
	}
	return a.segmentAnswer(r, d, segID, false, err)
}

// VersionsOut is the body of GET /api/v1/declarations/{id}/versions:
// every saved change, newest first (?segment= for one segment's).
type VersionsOut struct {
	Versions []*rencontres.SegmentVersion `json:"versions"`
	// Amendments are the declaration's amendments with their state
	// (declaration_amend.go).
	Amendments []*rencontres.Amendment `json:"amendments,omitempty"`
}

func (a *API) declarationVersions(w http.ResponseWriter, r *http.Request) (any, error) {
	d, _, err := a.pathDeclaration(r)
	if err != nil {
		return nil, err
	}
	var list []*rencontres.SegmentVersion
	if v := r.URL.Query().Get("segment"); v != "" {
		seg, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil {
			return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.not_found", Field: "segment", Message: "no such segment", Args: map[string]any{"What": "segment"}}
		}
		list, err = a.declarations.SegmentHistory(r.Context(), d.ID, seg)
	} else {
		list, err = a.declarations.DeclarationHistory(r.Context(), d.ID)
	}
	return VersionsOut{Versions: list}, err
}

func (a *API) restoreVersion(w http.ResponseWriter, r *http.Request) (any, error) {
	d, err := a.draftDeclaration(r)
	if err != nil {
		return nil, err
	}
	vid, err := reviewPathID(r, "version", "version")
	if err != nil {
		return nil, err
	}
	if err := a.declarations.RestoreVersion(r.Context(), d.ID, vid, auth.ActorFrom(r.Context()).User.ID, time.Now()); err != nil {
		return nil, err
	}
	a.audit(r, "declaration.restore", "declaration", d.ID, map[string]any{"version": vid})
	got, err := a.declarations.Declaration(r.Context(), d.ID)
	if err != nil {
		return nil, err
	}
	return DeclarationOut{Declaration: got, Drafts: true}, nil
}

// PeriodIn is the body of PUT /api/v1/declarations/{id}/period: the
// amendment period's opening and deadline (RFC 3339 instants), both or
// neither.
type PeriodIn struct {
	Opens  *time.Time `json:"amendments_open_at"`
	Closes *time.Time `json:"amendments_close_at"`
}

func (a *API) putPeriod(w http.ResponseWriter, r *http.Request) (any, error) {
	d, err := a.draftDeclaration(r)
	if err != nil {
		return nil, err
	}
	var in PeriodIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	if err := a.declarations.SetAmendmentPeriod(r.Context(), d.ID, in.Opens, in.Closes, time.Now()); err != nil {
		return nil, err
	}
	a.audit(r, "declaration.period", "declaration", d.ID, nil)
	got, err := a.declarations.Declaration(r.Context(), d.ID)
	if err != nil {
		return nil, err
	}
	got.Segments = nil
	return got, nil
}
