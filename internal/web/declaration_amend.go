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

// The amendments of a declaration (issue 16): their list, the form that
// proposes one, one amendment's page (a side-by-side diff per language,
// its supporters, the buttons of who one is) and the committee's merge
// form. Every handler asks internal/declaration who may do what, as the
// API does.
func (s *Site) registerDeclarationAmendments(route func(method, path string, perm rencontres.Permission, h handlerFunc)) {
	route("GET", "/declarations/{declaration}/amendments", rencontres.ReadDeclarations, s.amendmentList)
	route("GET", "/declarations/{declaration}/amendments/new", rencontres.AmendDeclarations, s.newAmendment)
	route("POST", "/declarations/{declaration}/amendments", rencontres.AmendDeclarations, s.createAmendment)
	route("GET", "/declarations/{declaration}/amendments/merge", rencontres.DraftDeclarations, s.mergeAmendmentsForm)
	route("POST", "/declarations/{declaration}/amendments/merge", rencontres.DraftDeclarations, s.mergeAmendments)
	route("GET", "/amendments/{amendment}", rencontres.ReadDeclarations, s.amendmentPage)
	route("POST", "/amendments/{amendment}/support", rencontres.AmendDeclarations, s.supportAmendment)
	route("POST", "/amendments/{amendment}/support/withdraw", rencontres.AmendDeclarations, s.withdrawSupport)
	route("POST", "/amendments/{amendment}/withdraw", rencontres.AmendDeclarations, s.withdrawAmendment)
	route("POST", "/amendments/{amendment}/translate", rencontres.DraftDeclarations, s.translateAmendment)
	route("POST", "/amendments/{amendment}/accept", rencontres.DraftDeclarations, s.acceptAmendment)
	route("POST", "/amendments/{amendment}/reject", rencontres.DraftDeclarations, s.rejectAmendment)
}

// amendNow is the clock of the amendments' pages; tests move it.
var amendNow = time.Now

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id < 1 {
		return 0, rencontres.NotFound(name)
	}
	return id, nil
}

// AmendRow is an amendment in the list, with its segment.
type AmendRow struct {
	A   *rencontres.Amendment
	Seg *rencontres.Segment // nil once deleted
}

// AmendmentList is a declaration's amendments, filtered by state.
type AmendmentList struct {
	Decl     *rencontres.Declaration
	Rows     []AmendRow
	State    string
	States   []rencontres.AmendmentState
	Counts   map[rencontres.AmendmentState]int
	Rights   *declaration.Rights
	Proposes bool
	Now      time.Time
}

var amendmentStates = []rencontres.AmendmentState{rencontres.AmendmentProposed, rencontres.AmendmentAccepted, rencontres.AmendmentRejected,
	rencontres.AmendmentMerged, rencontres.AmendmentWithdrawn}

func (s *Site) amendmentList(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	id, err := pathID(r, "declaration")
	if err != nil {
		return "", err
	}
	d, rights, err := declaration.LoadDeclaration(r.Context(), s.declarations, p.Actor, id)
	if err != nil {
		return "", err
	}
	all, err := s.declarations.Amendments(r.Context(), d.ID)
	if err != nil {
		return "", err
	}
	data := AmendmentList{Decl: d, State: r.URL.Query().Get("state"), States: amendmentStates, Counts: map[rencontres.AmendmentState]int{},
		Rights: rights, Proposes: rights.Proposes(d, amendNow()), Now: amendNow()}
	if !slices.Contains(amendmentStates, rencontres.AmendmentState(data.State)) {
		data.State = ""
	}
	keys := []string{}
	for _, a := range all {
		data.Counts[a.State]++
		if data.State != "" && string(a.State) != data.State {
			continue
		}
		data.Rows = append(data.Rows, AmendRow{A: a, Seg: declaration.Segment(d, a.SegmentID)})
		keys = append(keys, a.OrgKey)
	}
	if err := s.loadOrgs(r.Context(), p, keys...); err != nil {
		return "", err
	}
	p.Title, p.Data = p.P.T("amendment.list_title"), data
	return "declaration_amendments", nil
}

// SegmentLabel names a segment as the reader reads it: « Article 3 »,
// « Préambule ».
func (p *Page) SegmentLabel(g *rencontres.Segment) string {
	if g == nil {
		return p.P.T("amendment.segment_gone")
	}
	if g.Kind == rencontres.SegmentArticle && g.Number > 0 {
		return p.P.T("amendment.segment_article", "Number", g.Number)
	}
	return p.P.T("amendment.segkind_" + string(g.Kind))
}

// AmendmentView is one amendment's page.
type AmendmentView struct {
	Decl       *rencontres.Declaration
	A          *rencontres.Amendment
	Seg        *rencontres.Segment // the segment now; nil once deleted
	Diffs      []AmendLangDiff
	Supports   []string // the authorities the reader may support it for
	Unsupports []string
	Withdraws  bool
	Decides    bool
	Stale      bool // the segment changed since the amendment was written
	Missing    []rencontres.Lang
	Form       map[string]string
	Errors     map[string]string
	Done       string
}

func (s *Site) amendmentPageData(r *http.Request, p *Page, v *AmendmentView) (string, error) {
	id, err := pathID(r, "amendment")
	if err != nil {
		return "", err
	}
	a, d, rights, err := declaration.LoadAmendment(r.Context(), s.declarations, p.Actor, id)
	if err != nil {
		return "", err
	}
	now := amendNow()
	v.Decl, v.A, v.Seg = d, a, declaration.Segment(d, a.SegmentID)
	v.Supports, v.Unsupports = rights.SupportsFor(d, a, now), rights.UnsupportsFor(d, a)
	v.Withdraws, v.Decides = rights.Withdraws(d, a), rights.Decides(d, a)
	v.Stale = a.State == rencontres.AmendmentProposed && (v.Seg == nil || v.Seg.Version != a.BaseVersion)
	if a.Kind != rencontres.AmendDelete {
		for _, l := range rencontres.DeclarationLangs {
			if !a.Text.Has(l) {
				v.Missing = append(v.Missing, l)
			}
		}
	}
	var base rencontres.Text
	if v.Seg != nil {
		base = v.Seg.Text
	}
	if vs, err := s.declarations.SegmentHistory(r.Context(), d.ID, a.SegmentID); err == nil {
		// The segment as the amendment read it.
		for _, x := range vs {
			if x.Version == a.BaseVersion {
				base = x.Text
			}
		}
	}
	v.Diffs = amendmentDiffs(a, base)
	if v.Form == nil {
		v.Form = map[string]string{}
	}
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	keys := append([]string{a.OrgKey}, a.Supporters...)
	keys = append(keys, rights.For...)
	if err := s.loadOrgs(r.Context(), p, keys...); err != nil {
		return "", err
	}
	p.Title, p.Data = p.P.T("amendment.title", "ID", a.ID), v
	return "declaration_amendment", nil
}

func (s *Site) amendmentPage(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.amendmentPageData(r, p, &AmendmentView{Done: r.URL.Query().Get("done")})
}

// amendmentAction runs one action of an amendment's page, the actor's
// right checked by allowed: done, to the amendment's page told so; a fault
// of the input, the page again with it beside its field.
func (s *Site) amendmentAction(w http.ResponseWriter, r *http.Request, p *Page, done string,
	allowed func(a *rencontres.Amendment, d *rencontres.Declaration, rights *declaration.Rights) bool,
	act func(a *rencontres.Amendment) error) (string, error) {
	id, err := pathID(r, "amendment")
	if err != nil {
		return "", err
	}
	a, d, rights, err := declaration.LoadAmendment(r.Context(), s.declarations, p.Actor, id)
	if err != nil {
		return "", err
	}
	if !allowed(a, d, rights) {
		return "", declaration.Forbidden
	}
	if err := act(a); err != nil {
		v := &AmendmentView{Form: map[string]string{}, Errors: map[string]string{}}
		for _, k := range []string{"reason", "text", "lang", "organisation"} {
			v.Form[k] = r.PostFormValue(k)
		}
		if ferr := faultsBeside(p, err, v.Errors); ferr != nil {
			return "", ferr
		}
		if t, ok := v.Errors["text"]; ok && done != "translated" {
			v.Errors["form"] = t // said at the top: no text field is at fault
		}
		return s.amendmentPageData(r, p, v)
	}
	s.audit(r, "amendment."+done, "amendment", strconv.FormatInt(a.ID, 10), nil)
	http.Redirect(w, r, p.Href("/amendments/"+strconv.FormatInt(a.ID, 10)+"?done="+done), http.StatusSeeOther)
	return "", nil
}

// chosenOrg is the authority a form names among those the actor acts
// for; when it names none, the only one that fits (fits), else the only
// one the actor acts for (the store then says why it may not). An actor
// who acts for no authority of the edition may not; one who acts for
// several is asked to choose.
func chosenOrg(r *http.Request, rights *declaration.Rights, fits []string) (string, error) {
	if len(rights.For) == 0 {
		return "", declaration.Forbidden
	}
	k := strings.TrimSpace(r.PostFormValue("organisation"))
	switch {
	case k != "" && slices.Contains(rights.For, k):
		return k, nil
	case k != "":
		return "", declaration.Forbidden
	case len(fits) == 1:
		return fits[0], nil
	case len(rights.For) == 1:
		return rights.For[0], nil
	}
	return "", &rencontres.Error{Code: rencontres.EINVALID, Key: "amendment.error_choose_org", Field: "organisation", Message: "choose the authority"}
}

func (s *Site) supportAmendment(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	var org string
	var orgErr error
	return s.amendmentAction(w, r, p, "supported", func(a *rencontres.Amendment, d *rencontres.Declaration, rights *declaration.Rights) bool {
		org, orgErr = chosenOrg(r, rights, rights.SupportsFor(d, a, amendNow()))
		return orgErr != declaration.Forbidden
	}, func(a *rencontres.Amendment) error {
		if orgErr != nil {
			return orgErr
		}
		return s.declarations.SupportAmendment(r.Context(), a.ID, org, p.Actor.User.ID, amendNow())
	})
}

func (s *Site) withdrawSupport(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	var org string
	var orgErr error
	return s.amendmentAction(w, r, p, "support_withdrawn", func(a *rencontres.Amendment, d *rencontres.Declaration, rights *declaration.Rights) bool {
		org, orgErr = chosenOrg(r, rights, rights.UnsupportsFor(d, a))
		return orgErr != declaration.Forbidden
	}, func(a *rencontres.Amendment) error {
		if orgErr != nil {
			return orgErr
		}
		return s.declarations.WithdrawSupport(r.Context(), a.ID, org, amendNow())
	})
}

func (s *Site) withdrawAmendment(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.amendmentAction(w, r, p, "withdrawn", func(a *rencontres.Amendment, d *rencontres.Declaration, rights *declaration.Rights) bool {
		return a.OrgKey != "" && slices.Contains(rights.For, a.OrgKey)
	}, func(a *rencontres.Amendment) error {
		return s.declarations.WithdrawAmendment(r.Context(), a.ID, p.Actor.User.ID, amendNow())
	})
}

func decides(a *rencontres.Amendment, d *rencontres.Declaration, rights *declaration.Rights) bool {
	return rights.Drafts
}

func (s *Site) translateAmendment(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.amendmentAction(w, r, p, "translated", decides, func(a *rencontres.Amendment) error {
		return s.declarations.TranslateAmendment(r.Context(), a.ID, rencontres.Lang(r.PostFormValue("lang")), r.PostFormValue("text"),
			p.Actor.User.ID, amendNow())
	})
}

func (s *Site) acceptAmendment(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.amendmentAction(w, r, p, "accepted", decides, func(a *rencontres.Amendment) error {
		return s.declarations.AcceptAmendment(r.Context(), a.ID, p.Actor.User.ID, amendNow())
	})
}

func (s *Site) rejectAmendment(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.amendmentAction(w, r, p, "rejected", decides, func(a *rencontres.Amendment) error {
		return s.declarations.RejectAmendment(r.Context(), a.ID, rencontres.Text{p.Lang: r.PostFormValue("reason")}, p.Actor.User.ID, amendNow())
	})
}

// AmendSummary is what the working page shows of the amendments: how many
// each segment has, and whether the reader may propose one now.
type AmendSummary struct {
	Total    int
	Count    map[int64]int
	Proposes bool
}

// Of is the number of amendments of a segment.
func (a *AmendSummary) Of(segID int64) int { return a.Count[segID] }

// amendSummary counts a declaration's amendments by segment for the
// working page.
func (s *Site) amendSummary(r *http.Request, p *Page, d *rencontres.Declaration) (*AmendSummary, error) {
	out := &AmendSummary{Count: map[int64]int{}}
	all, err := s.declarations.Amendments(r.Context(), d.ID)
	if err != nil {
		return nil, err
	}
	for _, a := range all {
		out.Count[a.SegmentID]++
	}
	out.Total = len(all)
	keys, err := declaration.AmendsFor(r.Context(), s.declarations, p.Actor, d.EditionID)
	if err != nil {
		return nil, err
	}
	out.Proposes = len(keys) > 0 && d.AmendingAt(amendNow())
	return out, nil
}
