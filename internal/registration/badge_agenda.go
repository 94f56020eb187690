package registration

import (
	"context"
	"fmt"

	"github.com/rencontres/rencontres/internal/badge"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// A badge's short agenda (issue 17): the one-to-one meetings placed for
// the holder's authority, printed on the back of the badge, so that a
// delegation finds its tables without a phone.

// agenda adds to b the meetings of an authority at the event, in the
// badge's language, on the event's clock; meetings are read once per
// authority through cache.
func (s *Service) agenda(ctx context.Context, e *rencontres.Event, r *rencontres.Registration, b *badge.Badge, cache map[string][]*rencontres.Meeting) error {
	list, ok := cache[r.OrgKey]
	if !ok {
		var err error
		if list, err = s.st.MeetingsOf(ctx, e.ID, r.OrgKey); err != nil {
			return err
		}
		cache[r.OrgKey] = list
	}
	if len(list) == 0 {
		return nil
	}
	lang := r.Lang
	if r.NameJa != "" {
		lang = rencontres.Japanese
	}
	p := s.cat.Printer(lang)
	loc := e.Location()
	b.AgendaTitle = p.T("badge.agenda", "Zone", p.ZoneName(loc.String()))
	for _, m := range list {
		partner := ""
		if m.Partner != nil {
			partner = m.Partner.Name.In(lang)
		}
		start, end := m.Start.In(loc), m.End.In(loc)
		b.Agenda = append(b.Agenda, fmt.Sprintf("%s %s · %s · %s", p.Date(rencontres.DateOf(start)), start.Format("15:04")+p.Through()+end.Format("15:04"),
			p.T("me.table", "Table", m.Table), partner))
	}
	return nil
}
