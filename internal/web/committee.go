package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// A steering committee and its seats, changed by the secretariat from an
// edition's page and the committee's own.

// addCommittee gives an edition a steering committee of a kind, or renames
// the one it has.
func (s *Site) addCommittee(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.eventAction(w, r, p, "committee", []string{"committee_kind", "name_fr", "name_ja", "name_en"}, func(e *rencontres.Event) error {
		if e.Kind != rencontres.EditionEvent {
			return rencontres.NotFound("edition")
		}
		c := &rencontres.Committee{EditionID: e.ID, Kind: r.PostFormValue("committee_kind"), Name: formText(r, "name")}
		if err := s.events.SaveCommittee(r.Context(), c); err != nil {
			return err
		}
		s.audit(r, "committee.save", "committee", strconv.FormatInt(c.ID, 10), map[string]any{"kind": c.Kind})
		return nil
	})
}

// addSeat gives a person a seat, from the committee page.
func (s *Site) addSeat(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	id, err := strconv.ParseInt(r.PathValue("committee"), 10, 64)
	if err != nil {
		return "", rencontres.NotFound("committee")
	}
	form := map[string]string{}
	for _, f := range []string{"person", "person_ja", "kana", "role", "organisation", "function_fr", "function_ja", "function_en", "mandate_start", "mandate_end"} {
		form[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	m := &rencontres.CommitteeSeat{Person: form["person"], PersonJa: form["person_ja"], Kana: form["kana"], Role: form["role"], OrgKey: form["organisation"],
		Function: formText(r, "function")}
	// Dates that cannot be read are told with the seat's other faults.
	var startErr, endErr error
	m.MandateStart, startErr = formDate(r, "mandate_start")
	m.MandateEnd, endErr = formDate(r, "mandate_end")
	if err = rencontres.Join(startErr, endErr); err != nil {
		err = rencontres.Join(err, m.Validate())
	} else {
		err = s.events.AddSeat(r.Context(), id, m)
		if rencontres.ErrorCode(err) == rencontres.ENOTFOUND && m.OrgKey != "" {
			err = &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_organisation", Field: "organisation", Message: "unknown organisation", Args: map[string]any{"Key": m.OrgKey}}
		}
	}
	if err != nil {
		errs := map[string]string{}
		if err := formError(p, err, errs); err != nil {
			return "", err
		}
		return s.committeePage(r, p, id, &CommitteePage{Errors: errs, Form: form})
	}
	s.audit(r, "committee.seat_add", "committee", r.PathValue("committee"), map[string]any{"person": m.Person, "role": m.Role})
	http.Redirect(w, r, p.Href(fmt.Sprintf("/committees/%d?done=seat", id)), http.StatusSeeOther)
	return "", nil
}

func (s *Site) deleteSeat(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	id, err1 := strconv.ParseInt(r.PathValue("committee"), 10, 64)
	seat, err2 := strconv.ParseInt(r.PathValue("member"), 10, 64)
	if err1 != nil || err2 != nil {
		return "", rencontres.NotFound("seat")
	}
	if err := s.events.DeleteSeat(r.Context(), id, seat); err != nil {
		return "", err
	}
	s.audit(r, "committee.seat_remove", "committee", r.PathValue("committee"), map[string]any{"seat": seat})
	http.Redirect(w, r, p.Href(fmt.Sprintf("/committees/%d?done=seat_removed", id)), http.StatusSeeOther)
	return "", nil
}
