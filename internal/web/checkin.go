package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The check-in page: staff at the door open a badge's code on a phone and
// mark its holder present.

// CheckInPage is the phone page where staff scan or type a badge's code.
type CheckInPage struct {
	Event  *rencontres.Event
	Title  string
	Person *rencontres.Registration
	Code   string
	Error  string
	Done   bool
	Counts *rencontres.SeatCounts
}

// checkIn shows a badge's holder, from ?code= (what a badge's QR code
// opens) or the typed code, with the live counts.
func (s *Site) checkIn(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	return s.checkInPage(w, r, p, &CheckInPage{Code: strings.TrimSpace(r.URL.Query().Get("code")), Done: r.URL.Query().Get("done") == "1"})
}

func (s *Site) checkInPage(w http.ResponseWriter, r *http.Request, p *Page, d *CheckInPage) (string, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return "", err
	}
	d.Event = e
	d.Title = p.P.EditionTitleText(e.Number, e.SeriesShort)
	if e.Kind != rencontres.EditionEvent {
		d.Title = e.Title.In(p.Lang)
	}
	if d.Code != "" && d.Person == nil && d.Error == "" {
		d.Person, err = s.checker.RegistrationByCode(r.Context(), e.ID, d.Code)
		if err != nil {
			errs := map[string]string{}
			if err := formError(p, err, errs); err != nil {
				return "", err
			}
			d.Error = errs["code"]
		}
	}
	if d.Person != nil {
		if err := s.loadOrgs(r.Context(), p, d.Person.OrgKey); err != nil {
			return "", err
		}
	}
	if d.Counts, err = s.regs.SeatCounts(r.Context(), e.ID); err != nil {
		return "", err
	}
	p.Title, p.Nav, p.Data = p.P.T("checkin.title", "Event", d.Title), "events", d
	return "checkin", nil
}

func (s *Site) markPresent(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return "", err
	}
	code := strings.TrimSpace(r.PostFormValue("code"))
	reg, err := s.checker.CheckIn(r.Context(), e.ID, code, time.Now())
	if err != nil {
		errs := map[string]string{}
		if err := formError(p, err, errs); err != nil {
			return "", err
		}
		return s.checkInPage(w, r, p, &CheckInPage{Code: code, Error: errs["code"]})
	}
	s.audit(r, "registration.checkin", "registration", strconv.FormatInt(reg.ID, 10), nil)
	http.Redirect(w, r, p.Href(fmt.Sprintf("/events/%d/checkin?done=1&code=%s", e.ID, reg.Code)), http.StatusSeeOther)
	return "", nil
}
