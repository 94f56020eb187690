package api

import (
	"net/http"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The committee endpoints are here: committees, their seats and the
// editions they prepare, split from events.go to keep files short.

// CommitteeList is the body of GET /api/v1/committees.
type CommitteeList struct {
	Committees []Committee `json:"committees"`
}

// Committee is a committee with the edition it prepares.
type Committee struct {
	*rencontres.Committee
	Series string `json:"series"`
	Number int    `json:"number"`
}

func (a *API) listCommittees(w http.ResponseWriter, r *http.Request) (any, error) {
	all, err := a.events.Committees(r.Context())
	if err != nil {
		return nil, err
	}
	actor := auth.ActorFrom(r.Context())
	out := CommitteeList{Committees: []Committee{}}
	for _, c := range all {
		if actor.Can(rencontres.ReadCommittee, rencontres.Target{Committee: c.Committee.ID}) {
			out.Committees = append(out.Committees, Committee{c.Committee, c.SeriesSlug, c.Number})
		}
	}
	return out, nil
}

func (a *API) getCommittee(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "committee")
	if err != nil {
		return nil, err
	}
	if !auth.ActorFrom(r.Context()).Can(rencontres.ReadCommittee, rencontres.Target{Committee: id}) {
		return nil, rencontres.NotFound("committee")
	}
	c, err := a.events.Committee(r.Context(), id)
	if err != nil {
		return nil, err
	}
	return Committee{c.Committee, c.SeriesSlug, c.Number}, nil
}

// CommitteeInput is the body of POST and PUT /api/v1/committees: an
// edition's committee of a kind and its name; seats are added one by one.
type CommitteeInput struct {
	EditionID int64           `json:"edition_id"`
	Kind      string          `json:"kind"`
	Name      rencontres.Text `json:"name"`
}

// saveCommittee creates an edition's committee of a kind (POST), or
// renames one (PUT); an edition has one committee of each kind.
func (a *API) saveCommittee(w http.ResponseWriter, r *http.Request) (any, error) {
	var in CommitteeInput
	if err := decode(r, &in); err != nil {
		return nil, err
	}
	c := &rencontres.Committee{EditionID: in.EditionID, Kind: in.Kind, Name: in.Name}
	if r.PathValue("committee") != "" {
		id, err := pathID(r, "committee")
		if err != nil {
			return nil, err
		}
		old, err := a.events.Committee(r.Context(), id)
		if err != nil {
			return nil, err
		}
		c.EditionID, c.Kind = old.Committee.EditionID, old.Committee.Kind
	}
	if err := a.events.SaveCommittee(r.Context(), c); err != nil {
		return nil, err
	}
	a.audit(r, "committee.save", "committee", c.ID, map[string]any{"kind": c.Kind})
	ref, err := a.events.Committee(r.Context(), c.ID)
	if err != nil {
		return nil, err
	}
	out := Committee{ref.Committee, ref.SeriesSlug, ref.Number}
	if r.Method == http.MethodPost {
		return created(out), nil
	}
	return out, nil
}

func (a *API) addSeat(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "committee")
	if err != nil {
		return nil, err
	}
	var m rencontres.CommitteeSeat
	if err := decode(r, &m); err != nil {
		return nil, err
	}
	m.ID = 0
	if err := a.events.AddSeat(r.Context(), id, &m); err != nil {
		return nil, err
	}
	a.audit(r, "committee.seat_add", "committee", id, map[string]any{"person": m.Person, "role": m.Role})
	return created(m), nil
}

func (a *API) deleteSeat(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "committee")
	if err != nil {
		return nil, err
	}
	seat, err := pathID(r, "member")
	if err != nil {
		return nil, err
	}
	if err := a.events.DeleteSeat(r.Context(), id, seat); err != nil {
		return nil, err
	}
	a.audit(r, "committee.seat_remove", "committee", id, map[string]any{"seat": seat})
	return noContent, nil
}
