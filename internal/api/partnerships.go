package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/export"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The partnerships of the network: anyone reads them; the secretariat
// creates and edits them; an authority's contacts answer the état des
// lieux for their own authority's.
func (a *API) registerPartnerships(route func(method, pattern string, perm rencontres.Permission, h handler)) {
	route("GET", "/api/v1/partnerships", rencontres.ReadPublic, a.listPartnerships)
	route("GET", "/api/v1/partnerships.geojson", rencontres.ReadPublic, a.partnershipsGeoJSON)
	route("POST", "/api/v1/partnerships", rencontres.ManagePartnerships, a.createPartnership)
	route("GET", "/api/v1/partnerships/{partnership}", rencontres.ReadPublic, a.getPartnership)
	route("PATCH", "/api/v1/partnerships/{partnership}", rencontres.ManagePartnerships, a.patchPartnership)
	route("POST", "/api/v1/organisations/{key}/partnerships/{partnership}/reports", rencontres.ReportPartnerships, a.reportPartnership)
}

// PartnershipOut is a partnership as the API gives it: both sides with
// their names and countries, the region or prefecture each lies in.
type PartnershipOut struct {
	*rencontres.Partnership
	AName    rencontres.Text    `json:"a_name"`
	BName    rencontres.Text    `json:"b_name"`
	ACountry rencontres.Country `json:"a_country"`
	BCountry rencontres.Country `json:"b_country"`
	AArea    string             `json:"a_area,omitempty"`
	BArea    string             `json:"b_area,omitempty"`
}

func partnershipOut(p *rencontres.Partnership) PartnershipOut {
	out := PartnershipOut{Partnership: p}
	if p.OrgA != nil {
		out.AName, out.ACountry = p.OrgA.Name, p.OrgA.Country
	}
	if p.OrgB != nil {
		out.BName, out.BCountry = p.OrgB.Name, p.OrgB.Country
	}
	if p.AreaA != nil {
		out.AArea = p.AreaA.Key
	}
	if p.AreaB != nil {
		out.BArea = p.AreaB.Key
	}
	return out
}

// PartnershipList is the body of GET /api/v1/partnerships: the
// partnerships the filters select and, for each filter, the number each
// of its values would select.
type PartnershipList struct {
	Total int `json:"total"`
	// Limit is the page's size; Next and Prev the cursors of the pages
	// after and before it. Without limit, after or before the list is
	// whole, as before cursors.
	Limit        int                       `json:"limit"`
	Next         string                    `json:"next,omitempty"`
	Prev         string                    `json:"prev,omitempty"`
	Counts       map[string]map[string]int `json:"counts"`
	Partnerships []PartnershipOut          `json:"partnerships"`
}

func (a *API) listPartnerships(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	if err := checkParams(q, "country", "kind", "area", "decade", "state", "format", "lang", "limit", "after", "before"); err != nil {
		return nil, err
	}
	req, err := cursor.Parse(q, 100, 500)
	if err != nil {
		return nil, err
	}
	var f rencontres.PartnershipFilter
	if c := q.Get("country"); c != "" {
		if len(c) != 2 || c != strings.ToUpper(c) {
			return nil, badParam("country", "error.param_country", "Value", c)
		}
		f.Country = rencontres.Country(c)
	}
	if k := rencontres.PartnershipKind(q.Get("kind")); k != "" {
		if !k.Valid() {
			return nil, badParam("kind", "error.param_kind", "Value", string(k))
		}
		f.Kind = k
	}
	if s := rencontres.PartnershipState(q.Get("state")); s != "" {
		if !s.Valid() {
			return nil, badParam("state", "error.bad_parameter")
		}
		f.State = s
	}
	if d := q.Get("decade"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n%10 != 0 || n < 1900 || n > 2100 {
			return nil, badParam("decade", "error.bad_parameter")
		}
		f.Decade = n
	}
	f.Area = q.Get("area")
	ctx := r.Context()
	switch format := q.Get("format"); format {
	case "", "json":
	case "csv", "xlsx":
		modified, err := a.lists.LastAgreementUpload(ctx, f)
		if err != nil {
			return nil, err
		}
		export.SetAttachment(w, "partnerships."+format, format)
		rd := export.Reader{API: true, P: a.cat.Printer(clientLang(r))}
		return nil, export.StreamPartnerships(w, format, rd, modified, func(fn func([]*rencontres.Partnership) error) error {
			return a.lists.EachPartnership(ctx, f, fn)
		})
	default:
		return nil, badParam("format", "error.bad_parameter")
	}
	// A page is read by keyset when asked (limit, after or before);
	// without, the list is whole, read by the same query a chunk at a
	// time.
	var list []*rencontres.Partnership
	var head cursor.Head
	if q.Has("limit") || req.Cursor() != "" {
		if list, head, err = a.lists.PartnershipPage(ctx, f, req); err != nil {
			return nil, err
		}
	} else {
		if err := a.lists.EachPartnership(ctx, f, func(chunk []*rencontres.Partnership) error {
			list = append(list, chunk...)
			return nil
		}); err != nil {
			return nil, err
		}
		head = cursor.Head{Total: len(list), Limit: len(list)}
	}
	facets, err := a.lists.PartnershipFacets(ctx, f)
	if err != nil {
		return nil, err
	}
	total := head.Total
	out := PartnershipList{Total: total, Limit: head.Limit, Next: head.Next, Prev: head.Prev, Partnerships: []PartnershipOut{}, Counts: map[string]map[string]int{}}
	for _, p := range list {
		out.Partnerships = append(out.Partnerships, partnershipOut(p))
	}
	for name, values := range map[string][]rencontres.Facet{"country": facets.Country, "kind": facets.Kind, "area": facets.Area,
		"decade": facets.Decade, "state": facets.State} {
		out.Counts[name] = map[string]int{}
		for _, v := range values {
			out.Counts[name][v.Value] = v.Count
		}
	}
	return out, nil
}

func (a *API) partnership(r *http.Request) (*rencontres.Partnership, error) {
	id, err := strconv.ParseInt(r.PathValue("partnership"), 10, 64)
	if err != nil {
		return nil, rencontres.NotFound("partnership")
	}
	return a.svc.Partnership(r.Context(), id)
}

func (a *API) getPartnership(w http.ResponseWriter, r *http.Request) (any, error) {
	p, err := a.partnership(r)
	if err != nil {
		return nil, err
	}
	return partnershipOut(p), nil
}

// createPartnership records a partnership; the same pair and kind, in
// either order, is a conflict naming the one that exists, and every other
// fault of the body is listed at once.
func (a *API) createPartnership(w http.ResponseWriter, r *http.Request) (any, error) {
	var p rencontres.Partnership
	if err := decode(r, &p); err != nil {
		return nil, err
	}
	p.Agreement = nil
	if err := a.svc.CreatePartnership(r.Context(), &p); err != nil {
		return nil, err
	}
	a.audit(r, "partnership.create", "partnership", p.ID, map[string]any{"a": p.A, "b": p.B, "kind": p.Kind})
	out, err := a.svc.Partnership(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	return created(partnershipOut(out)), nil
}

// patchPartnership changes the fields the body gives, the others as they
// were: {"year_ended": 2024, "state": "ended"} ends one.
func (a *API) patchPartnership(w http.ResponseWriter, r *http.Request) (any, error) {
	p, err := a.partnership(r)
	if err != nil {
		return nil, err
	}
	id := p.ID
	if err := decode(r, p); err != nil {
		return nil, err
	}
	p.ID, p.Agreement = id, nil
	if err := a.svc.UpdatePartnership(r.Context(), p); err != nil {
		return nil, err
	}
	a.audit(r, "partnership.update", "partnership", id, map[string]any{"a": p.A, "b": p.B, "kind": p.Kind})
	out, err := a.svc.Partnership(r.Context(), id)
	if err != nil {
		return nil, err
	}
	return partnershipOut(out), nil
}

// ReportIn is the body of an answer to the état des lieux.
type ReportIn struct {
	State           rencontres.PartnershipState `json:"state"`
	LastExchanges   string                      `json:"last_exchanges"`
	CurrentProjects string                      `json:"current_projects"`
}

// reportPartnership records an authority's answer for one of its
// partnerships: a contact answers for their own authority only.
func (a *API) reportPartnership(w http.ResponseWriter, r *http.Request) (any, error) {
	actor := auth.ActorFrom(r.Context())
	key := r.PathValue("key")
	if !actor.Can(rencontres.ReportPartnerships, rencontres.Target{OrgKey: key}) {
		return nil, errForbidden
	}
	id, err := strconv.ParseInt(r.PathValue("partnership"), 10, 64)
	if err != nil {
		return nil, rencontres.NotFound("partnership")
	}
	var in ReportIn
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	rep := &rencontres.PartnershipReport{PartnershipID: id, OrgKey: key, State: in.State, LastExchanges: strings.TrimSpace(in.LastExchanges),
		CurrentProjects: strings.TrimSpace(in.CurrentProjects)}
	if actor.User != nil {
		rep.AuthorID = actor.User.ID
	}
	if err := a.svc.ReportPartnership(r.Context(), rep); err != nil {
		return nil, err
	}
	a.audit(r, "partnership.report", "partnership", id, map[string]any{"organisation": key, "state": rep.State})
	return created(rep), nil
}
