package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The campaign editor's choice of registered people (issue 17): instead of
// the directory's contacts, the people registered for the campaign's
// event, all or by session, seat status, country or need of
// interpretation; each gets a link to their own page.

// RegistrantsForm is the editor's box of registered people.
type RegistrantsForm struct {
	On, All, Interpretation bool
	Sessions, Statuses      []Choice
	// Countries are the codes typed, « FR, JP ».
	Countries string
}

// registrantsForm fills the box from a campaign's filter.
func (s *Site) registrantsForm(ctx context.Context, p *Page, c *rencontres.Campaign) (RegistrantsForm, error) {
	f := c.Filter.Registrants
	var d RegistrantsForm
	if f == nil {
		f = &rencontres.RegistrantFilter{}
	} else {
		d.On = true
	}
	d.All, d.Interpretation = f.All, f.Interpretation
	codes := make([]string, len(f.Countries))
	for i, co := range f.Countries {
		codes[i] = string(co)
	}
	d.Countries = strings.Join(codes, ", ")
	sessions, err := s.events.Sessions(ctx, c.EventID)
	if err != nil && rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
		return d, err
	}
	for _, ses := range sessions {
		d.Sessions = append(d.Sessions, Choice{Value: strconv.FormatInt(ses.ID, 10), Label: ses.Title.In(p.Lang), Checked: slices.Contains(f.Sessions, ses.ID)})
	}
	for _, st := range []rencontres.SeatStatus{rencontres.Confirmed, rencontres.Waitlisted} {
		d.Statuses = append(d.Statuses, Choice{Value: string(st), Label: p.P.T("reg_status." + string(st)), Checked: slices.Contains(f.Statuses, st)})
	}
	return d, nil
}

// readRegistrants reads the box into the filter: nil when the box is not
// ticked. Statuses and country codes are kept as sent, so that one that
// names nothing is refused next to the box rather than dropped.
func readRegistrants(r *http.Request) *rencontres.RegistrantFilter {
	if r.PostFormValue("registrants") != "on" {
		return nil
	}
	f := &rencontres.RegistrantFilter{All: r.PostFormValue("reg_all") == "on", Interpretation: r.PostFormValue("reg_interpretation") == "on",
		Sessions: formIDs(r, "reg_sessions")}
	for _, v := range r.PostForm["reg_statuses"] {
		f.Statuses = append(f.Statuses, rencontres.SeatStatus(v))
	}
	for _, v := range strings.FieldsFunc(r.PostFormValue("reg_countries"), func(r rune) bool { return r == ',' || r == ' ' || r == '、' || r == ';' }) {
		f.Countries = append(f.Countries, rencontres.Country(strings.ToUpper(v)))
	}
	return f
}

// keep shows the box again as typed, so that a refused form loses
// nothing: what was ticked, and the country codes as written.
func (d *RegistrantsForm) keep(r *http.Request, f *rencontres.RegistrantFilter) {
	d.On, d.Countries = f != nil, strings.TrimSpace(r.PostFormValue("reg_countries"))
	if f == nil {
		f = &rencontres.RegistrantFilter{}
	}
	d.All, d.Interpretation = f.All, f.Interpretation
	for i := range d.Sessions {
		id, _ := strconv.ParseInt(d.Sessions[i].Value, 10, 64)
		d.Sessions[i].Checked = slices.Contains(f.Sessions, id)
	}
	for i := range d.Statuses {
		d.Statuses[i].Checked = slices.Contains(f.Statuses, rencontres.SeatStatus(d.Statuses[i].Value))
	}
}
