package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/declaration"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The adoption of a declaration (issue 16, part 3): one page where the
// committee freezes the text and chooses how it is adopted, records each
// authority's vote in plenary or follows the endorsements, records the
// adoption, then corrects the adopted text; where an authority's contact
// endorses it for the authority; and where those who take part in the
// edition follow it. The published text is declaration_public.go.

func (s *Site) registerDeclarationAdoption(route func(method, path string, perm rencontres.Permission, h handlerFunc)) {
	route("GET", "/declarations/{declaration}/adoption", rencontres.ReadDeclarations, s.adoptionPage)
	route("POST", "/declarations/{declaration}/adoption/freeze", rencontres.DraftDeclarations, s.freezeForm)
	route("POST", "/declarations/{declaration}/adoption/votes", rencontres.DraftDeclarations, s.voteForm)
	route("POST", "/declarations/{declaration}/adoption/endorse", rencontres.AmendDeclarations, s.endorseForm)
	route("POST", "/declarations/{declaration}/adoption/adopt", rencontres.DraftDeclarations, s.adoptForm)
	route("POST", "/declarations/{declaration}/adoption/corrections", rencontres.DraftDeclarations, s.correctionForm)
	route("GET", "/series/{series}/{number}/declaration", rencontres.ReadPublic, s.publicDeclaration)
	route("GET", "/series/{series}/{number}/declaration.pdf", rencontres.ReadPublic, s.publicDeclarationPDF)
}

// AdoptionRow is a registered authority and its part in the adoption.
type AdoptionRow struct {
	OrgKey string
	Choice rencontres.AdoptionChoice // "" when none yet
	At     time.Time
}

// AdoptionPage is the adoption's page.
type AdoptionPage struct {
	Decl *rencontres.Declaration
	// Drafts: the committee or the secretariat, who freeze, record the
	// votes, adopt and correct.
	Drafts bool
	// Endorses are the authorities the reader endorses for and has not
	// yet; Endorsed those it has.
	Endorses, Endorsed []string
	Rows               []AdoptionRow
	For, Against       int
	Abstain, Endorse   int
	// EndorseUntil is the deadline on the edition's clock and the other
	// country's.
	EndorseUntil, EndorseUntilElsewhere string
	EndorseOpen                         bool
	Corrections                         []declaration.Corrected
	// Pending are the amendments still proposed, which the committee
	// decides before the freeze or names as not taken up (Leave, those
	// it ticked).
	Pending []*rencontres.Amendment
	Leave   []int64
	Form    map[string]string
	Errors  map[string]string
	Done    string
	// Public is the published page's path, once adopted.
	Public string
}

// Choices are the votes the committee records.
func (AdoptionPage) Choices() []rencontres.AdoptionChoice {
	return []rencontres.AdoptionChoice{rencontres.VoteFor, rencontres.VoteAgainst, rencontres.VoteAbstain}
}

// Modes are the ways of adoption the freeze offers.
func (AdoptionPage) Modes() []rencontres.AdoptionMode {
	return []rencontres.AdoptionMode{rencontres.AdoptionVote, rencontres.AdoptionEndorsement}
}

// Leaves reports whether the committee ticked the amendment id as not
// taken up, in the form it posted.
func (d AdoptionPage) Leaves(id int64) bool { return slices.Contains(d.Leave, id) }

// SegmentField is the name of a correction form's field for a segment's
// language.
func (AdoptionPage) SegmentField(id int64, lang rencontres.Lang) string {
	return "segment_" + strconv.FormatInt(id, 10) + "_" + string(lang)
}

// Value is a correction field's value: what was posted, else the segment's
// current text.
func (d AdoptionPage) Value(sg *rencontres.Segment, lang rencontres.Lang) string {
	if v, ok := d.Form[d.SegmentField(sg.ID, lang)]; ok {
		return v
	}
	return sg.Text[lang]
}

// adoptionDeclaration reads the declaration the path names, when the
// reader may read it before its publication (declaration.Open).
func (s *Site) adoptionDeclaration(r *http.Request, p *Page) (*rencontres.Declaration, error) {
	id, err := strconv.ParseInt(r.PathValue("declaration"), 10, 64)
	if err != nil || id < 1 {
		return nil, rencontres.NotFound("declaration")
	}
	d, _, err := declaration.Open(r.Context(), s.declarations, p.Actor, id)
	return d, err
}

// draftedDeclaration reads the declaration the path names, when the
// reader drafts it (declaration.OpenToDraft): the committee's forms.
func (s *Site) draftedDeclaration(r *http.Request, p *Page) (*rencontres.Declaration, error) {
	id, err := strconv.ParseInt(r.PathValue("declaration"), 10, 64)
	if err != nil || id < 1 {
		return nil, rencontres.NotFound("declaration")
	}
	return declaration.OpenToDraft(r.Context(), s.declarations, p.Actor, id)
}

func (s *Site) adoptionPageOf(r *http.Request, p *Page, decl *rencontres.Declaration, d *AdoptionPage) (string, error) {
	ctx := r.Context()
	d.Decl = decl
	if d.Form == nil {
		d.Form = map[string]string{}
	}
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	var err error
	if d.Drafts, err = declaration.Drafts(ctx, s.declarations, p.Actor, decl.EditionID); err != nil {
		return "", err
	}
	registered, err := s.declarations.RegisteredOrgs(ctx, decl.EditionID)
	if err != nil {
		return "", err
	}
	adoptions, err := s.declarations.Adoptions(ctx, decl.ID)
	if err != nil {
		return "", err
	}
	byOrg := map[string]*rencontres.Adoption{}
	for _, a := range adoptions {
		byOrg[a.OrgKey] = a
		switch a.Choice {
		case rencontres.VoteFor:
			d.For++
		case rencontres.VoteAgainst:
			d.Against++
		case rencontres.VoteAbstain:
			d.Abstain++
		case rencontres.Endorse:
			d.Endorse++
		}
	}
	keys := slices.Clone(registered)
	for k := range byOrg {
		if !slices.Contains(keys, k) {
			keys = append(keys, k) // registered when it voted, withdrawn since
		}
	}
	if err := s.loadOrgs(ctx, p, keys...); err != nil {
		return "", err
	}
	slices.SortFunc(keys, func(a, b string) int { return strings.Compare(p.OrgText(a), p.OrgText(b)) })
	for _, k := range keys {
		row := AdoptionRow{OrgKey: k}
		if a := byOrg[k]; a != nil {
			row.Choice, row.At = a.Choice, a.At
		}
		d.Rows = append(d.Rows, row)
	}
	mine, err := declaration.Endorses(ctx, s.declarations, p.Actor, decl.EditionID)
	if err != nil {
		return "", err
	}
	for _, k := range mine {
		if a := byOrg[k]; a != nil && a.Choice == rencontres.Endorse {
			d.Endorsed = append(d.Endorsed, k)
		} else {
			d.Endorses = append(d.Endorses, k)
		}
	}
	if decl.EndorseUntil != nil {
		ev := &rencontres.Event{TimeZone: decl.TimeZone}
		d.EndorseUntil, d.EndorseUntilElsewhere = bothZones(p, *decl.EndorseUntil, ev)
		d.EndorseOpen = decl.State == rencontres.DeclarationFrozen && s.now().Before(*decl.EndorseUntil)
	}
	if decl.State == rencontres.DeclarationAdopted {
		list, err := s.declarations.Corrections(ctx, decl.ID)
		if err != nil {
			return "", err
		}
		if len(list) > 0 {
			history, err := s.declarations.DeclarationHistory(ctx, decl.ID)
			if err != nil {
				return "", err
			}
			d.Corrections = declaration.Corrections(list, history)
		}
		if path, err := s.declarationPublicPath(r, decl); err != nil {
			return "", err
		} else {
			d.Public = path
		}
	}
	if decl.State == rencontres.DeclarationDraft && d.Drafts {
		all, err := s.declarations.Amendments(ctx, decl.ID)
		if err != nil {
			return "", err
		}
		for _, a := range all {
			if a.State == rencontres.AmendmentProposed {
				d.Pending = append(d.Pending, a)
			}
		}
	}
	if d.Form["endorse_until"] == "" && decl.State == rencontres.DeclarationDraft {
		if loc, err := time.LoadLocation(decl.TimeZone); err == nil {
			d.Form["endorse_until"] = s.now().In(loc).AddDate(0, 0, 14).Format("2006-01-02") + "T18:00"
		}
	}
	p.Title, p.Data = p.P.T("adoption.title", "Title", decl.Title.In(p.Lang)), d
	return "declaration_adoption", nil
}

// declarationPublicPath is the published page of a declaration, after the
// language: /series/{series}/{number}/declaration.
func (s *Site) declarationPublicPath(r *http.Request, decl *rencontres.Declaration) (string, error) {
	e, err := s.events.Event(r.Context(), decl.EditionID)
	if err != nil {
		return "", err
	}
	if e.Series == "" {
		return "", nil
	}
	return "/series/" + e.Series + "/" + strconv.Itoa(e.Number) + "/declaration", nil
}

func (s *Site) adoptionPage(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	decl, err := s.adoptionDeclaration(r, p)
	if err != nil {
		return "", err
	}
	return s.adoptionPageOf(r, p, decl, &AdoptionPage{Done: r.URL.Query().Get("done")})
}

// adoptionDone answers a form that worked: back to the page, told what
// was done.
func adoptionDone(w http.ResponseWriter, r *http.Request, p *Page, decl *rencontres.Declaration, done string) (string, error) {
	http.Redirect(w, r, p.Href("/declarations/"+strconv.FormatInt(decl.ID, 10)+"/adoption?done="+done+"#"+done), http.StatusSeeOther)
	return "", nil
}

// adoptionRefused shows the page again with the faults beside their
// fields, or returns an error that is no fault of the input.
func (s *Site) adoptionRefused(r *http.Request, p *Page, decl *rencontres.Declaration, d *AdoptionPage, err error) (string, error) {
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	if ferr := faultsBeside(p, err, d.Errors); ferr != nil {
		return "", ferr
	}
	return s.adoptionPageOf(r, p, decl, d)
}

func (s *Site) freezeForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	decl, err := s.draftedDeclaration(r, p)
	if err != nil {
		return "", err
	}
	d := &AdoptionPage{Form: map[string]string{"mode": r.PostFormValue("mode"), "endorse_until": strings.TrimSpace(r.PostFormValue("endorse_until"))}}
	mode := rencontres.AdoptionMode(d.Form["mode"])
	for _, v := range r.PostForm["leave"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			d.Leave = append(d.Leave, id)
		}
	}
	var until *time.Time
	if mode == rencontres.AdoptionEndorsement && d.Form["endorse_until"] != "" {
		loc, lerr := time.LoadLocation(decl.TimeZone)
		if lerr != nil {
			return "", lerr
		}
		t, perr := parseLocal(d.Form["endorse_until"], loc, "endorse_until")
		if perr != nil {
			return s.adoptionRefused(r, p, decl, d, perr)
		}
		until = &t
	}
	if err := s.declarations.FreezeDeclaration(r.Context(), decl.ID, mode, until, d.Leave, s.now()); err != nil {
		return s.adoptionRefused(r, p, decl, d, err)
	}
	s.audit(r, "declaration.freeze", "declaration", strconv.FormatInt(decl.ID, 10), map[string]any{"mode": string(mode), "left_undecided": d.Leave})
	return adoptionDone(w, r, p, decl, "frozen")
}

func (s *Site) voteForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	decl, err := s.draftedDeclaration(r, p)
	if err != nil {
		return "", err
	}
	org, choice := r.PostFormValue("organisation"), rencontres.AdoptionChoice(r.PostFormValue("choice"))
	if err := s.declarations.RecordVote(r.Context(), decl.ID, org, choice, p.Actor.User.ID, s.now()); err != nil {
		return s.adoptionRefused(r, p, decl, &AdoptionPage{Form: map[string]string{"organisation": org, "choice": string(choice)}}, err)
	}
	s.audit(r, "declaration.vote", "declaration", strconv.FormatInt(decl.ID, 10), map[string]any{"organisation": org, "choice": string(choice)})
	return adoptionDone(w, r, p, decl, "voted")
}

func (s *Site) endorseForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	decl, err := s.adoptionDeclaration(r, p)
	if err != nil {
		return "", err
	}
	org := r.PostFormValue("organisation")
	mine, err := declaration.Endorses(r.Context(), s.declarations, p.Actor, decl.EditionID)
	if err != nil {
		return "", err
	}
	if !slices.Contains(mine, org) {
		return s.adoptionRefused(r, p, decl, &AdoptionPage{}, &rencontres.Error{Code: rencontres.EINVALID, Key: "adoption.error_not_contact",
			Field: "organisation", Message: "only a contact of a registered authority endorses for it", Args: map[string]any{"Key": org}})
	}
	if err := s.declarations.EndorseDeclaration(r.Context(), decl.ID, org, p.Actor.User.ID, s.now()); err != nil {
		return s.adoptionRefused(r, p, decl, &AdoptionPage{}, err)
	}
	s.audit(r, "declaration.endorse", "declaration", strconv.FormatInt(decl.ID, 10), map[string]any{"organisation": org})
	return adoptionDone(w, r, p, decl, "endorsed")
}

func (s *Site) adoptForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	decl, err := s.draftedDeclaration(r, p)
	if err != nil {
		return "", err
	}
	if err := s.declarations.AdoptDeclaration(r.Context(), decl.ID, p.Actor.User.ID, s.now()); err != nil {
		return s.adoptionRefused(r, p, decl, &AdoptionPage{}, err)
	}
	s.audit(r, "declaration.adopt", "declaration", strconv.FormatInt(decl.ID, 10), nil)
	return adoptionDone(w, r, p, decl, "adopted")
}

func (s *Site) correctionForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	decl, err := s.draftedDeclaration(r, p)
	if err != nil {
		return "", err
	}
	d := &AdoptionPage{Form: map[string]string{}}
	reason := rencontres.Text{}
	for _, l := range rencontres.Langs {
		k := "reason_" + string(l)
		d.Form[k] = r.PostFormValue(k)
		if v := strings.TrimSpace(d.Form[k]); v != "" {
			reason[l] = v
		}
	}
	var segs []*rencontres.Segment
	for _, sg := range decl.Segments {
		text, changed := rencontres.Text{}, false
		for _, l := range rencontres.Langs {
			k := d.SegmentField(sg.ID, l)
			v, sent := r.PostForm[k]
			if !sent {
				text[l] = sg.Text[l]
				continue
			}
			d.Form[k] = v[0]
			if strings.TrimSpace(v[0]) != "" {
				text[l] = v[0]
			}
			if strings.TrimSpace(v[0]) != strings.TrimSpace(sg.Text[l]) {
				changed = true
			}
		}
		if changed {
			version, _ := strconv.ParseInt(r.PostFormValue("segment_"+strconv.FormatInt(sg.ID, 10)+"_version"), 10, 64)
			segs = append(segs, &rencontres.Segment{ID: sg.ID, Version: version, Text: text})
		}
	}
	if _, err := s.declarations.CorrectDeclaration(r.Context(), decl.ID, segs, reason, p.Actor.User.ID, s.now()); err != nil {
		return s.adoptionRefused(r, p, decl, d, err)
	}
	s.audit(r, "declaration.correct", "declaration", strconv.FormatInt(decl.ID, 10), map[string]any{"segments": len(segs)})
	return adoptionDone(w, r, p, decl, "corrected")
}

// DeclarationLangs are the languages a declaration is adopted in, side by
// side.
func (p *Page) DeclarationLangs() []rencontres.Lang { return rencontres.DeclarationLangs }
