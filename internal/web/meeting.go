package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/api"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// What a meeting holds, changed from its page by the secretariat: its
// agenda, minutes, decisions and documents.

func (s *Site) addAgendaItem(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.eventAction(w, r, p, "agenda", []string{"title_fr", "title_ja", "title_en", "presenter", "organisation", "duration_minutes"}, func(e *rencontres.Event) error {
		a := &rencontres.AgendaItem{EventID: e.ID, Title: formText(r, "title"), Presenter: strings.TrimSpace(r.PostFormValue("presenter")),
			OrgKey: strings.TrimSpace(r.PostFormValue("organisation"))}
		if v := strings.TrimSpace(r.PostFormValue("duration_minutes")); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				// The item's other faults are told with this one.
				return rencontres.Join(&rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_duration", Field: "duration_minutes", Message: "not a number"},
					a.Validate())
			}
			a.Minutes = n
		}
		if err := s.events.SaveAgendaItem(r.Context(), a); err != nil {
			if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
				return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_organisation", Field: "organisation", Message: "unknown organisation", Args: map[string]any{"Key": a.OrgKey}}
			}
			return err
		}
		s.audit(r, "agenda.save", "agenda_item", strconv.FormatInt(a.ID, 10), nil)
		return nil
	})
}

func (s *Site) moveAgendaItem(delta int) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
		return s.eventAction(w, r, p, "agenda", nil, func(e *rencontres.Event) error {
			id, err := strconv.ParseInt(r.PathValue("item"), 10, 64)
			if err != nil {
				return rencontres.NotFound("agenda_item")
			}
			return s.events.MoveAgendaItem(r.Context(), e.ID, id, delta)
		})
	}
}

func (s *Site) deleteAgendaItem(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.eventAction(w, r, p, "agenda", nil, func(e *rencontres.Event) error {
		id, err := strconv.ParseInt(r.PathValue("item"), 10, 64)
		if err != nil {
			return rencontres.NotFound("agenda_item")
		}
		if err := s.events.DeleteAgendaItem(r.Context(), e.ID, id); err != nil {
			return err
		}
		s.audit(r, "agenda.delete", "agenda_item", r.PathValue("item"), nil)
		return nil
	})
}

func (s *Site) saveMinutes(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.eventAction(w, r, p, "minutes", nil, func(e *rencontres.Event) error {
		if err := s.events.SaveMinutes(r.Context(), e.ID, formText(r, "minutes")); err != nil {
			return err
		}
		s.audit(r, "event.minutes", "event", strconv.FormatInt(e.ID, 10), nil)
		return nil
	})
}

func (s *Site) addDecision(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.eventAction(w, r, p, "decision", []string{"text_fr", "text_ja", "text_en", "owner", "due"}, func(e *rencontres.Event) error {
		due, err := formDate(r, "due")
		d := &rencontres.Decision{EventID: e.ID, Text: formText(r, "text"), Owner: strings.TrimSpace(r.PostFormValue("owner")), Due: due}
		if err != nil {
			// The decision's other faults are told with the date's.
			d.Status = rencontres.DecisionOpen
			return rencontres.Join(err, d.Validate())
		}
		if err := s.events.SaveDecision(r.Context(), d); err != nil {
			return err
		}
		s.audit(r, "decision.save", "decision", strconv.FormatInt(d.ID, 10), nil)
		return nil
	})
}

// followDecision records where a decision stands.
func (s *Site) followDecision(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.eventAction(w, r, p, "decision", nil, func(e *rencontres.Event) error {
		id, err := strconv.ParseInt(r.PathValue("decision"), 10, 64)
		if err != nil {
			return rencontres.NotFound("decision")
		}
		all, err := s.events.Decisions(r.Context(), e.ID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(all, func(d *rencontres.Decision) bool { return d.ID == id })
		if i < 0 {
			return rencontres.NotFound("decision")
		}
		d := all[i]
		d.Status, d.Note = rencontres.DecisionStatus(r.PostFormValue("status")), strings.TrimSpace(r.PostFormValue("note"))
		if err := s.events.SaveDecision(r.Context(), d); err != nil {
			return err
		}
		s.audit(r, "decision.save", "decision", strconv.FormatInt(d.ID, 10), map[string]any{"status": string(d.Status)})
		return nil
	})
}

func (s *Site) uploadDocument(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.eventAction(w, r, p, "document", nil, func(e *rencontres.Event) error {
		d, data, err := api.ReadUpload(w, r)
		var bad *rencontres.Error
		if errors.As(err, &bad) {
			// The agenda's form on the same page has its own title:
			// the document's is shown beside the document's. Faults
			// may be shared values, so the field is set on copies.
			var all []error
			for _, f := range bad.All() {
				at := *f
				at.Fields = nil
				if strings.HasPrefix(at.Field, "title") {
					at.Field = "doc_title"
				}
				all = append(all, &at)
			}
			return rencontres.Join(all...)
		}
		if err != nil {
			return err
		}
		d.EventID = e.ID
		var by int64
		if p.Actor.User != nil {
			by = p.Actor.User.ID
		}
		if err := s.events.SaveDocument(r.Context(), d, data, by); err != nil {
			return err
		}
		s.audit(r, "document.upload", "document", strconv.FormatInt(d.ID, 10), map[string]any{"name": d.Name, "type": d.ContentType})
		return nil
	})
}

func (s *Site) deleteDocument(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.eventAction(w, r, p, "document", nil, func(e *rencontres.Event) error {
		id, err := strconv.ParseInt(r.PathValue("document"), 10, 64)
		if err != nil {
			return rencontres.NotFound("document")
		}
		if err := s.events.DeleteDocument(r.Context(), e.ID, id); err != nil {
			return err
		}
		s.audit(r, "document.delete", "document", r.PathValue("document"), nil)
		return nil
	})
}

// document serves a document to those allowed to see it; to others it
// does not exist.
func (s *Site) document(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	id, err := strconv.ParseInt(r.PathValue("document"), 10, 64)
	if err != nil {
		return "", rencontres.NotFound("document")
	}
	d, data, err := s.events.Document(r.Context(), id)
	if err != nil {
		return "", err
	}
	e, err := s.events.Event(r.Context(), d.EventID)
	if err != nil {
		return "", err
	}
	if !p.Actor.CanSeeDocument(e, d) {
		if p.Actor.User == nil {
			http.Redirect(w, r, p.LoginHref(), http.StatusSeeOther)
			return "", nil
		}
		return "", rencontres.NotFound("document")
	}
	api.ServeDocument(w, d, data)
	return "", nil
}
