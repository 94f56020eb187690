package web

import (
	"net/http"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// HomePage is the data of the home page.
type HomePage struct {
	Series []*rencontres.Series
	// Next is the next edition of the Rencontres franco-japonaises, Last the
	// latest one held.
	Next, Last *rencontres.Edition
	Main       *rencontres.Series
	Record     *rencontres.Edition
	// DirectoryEmpty is set when no organisation has been imported yet:
	// the first page then says how to import them.
	DirectoryEmpty bool
	// NoSecretariat is set on an empty product when no secretariat account
	// exists yet: the first page then says how to create the first one,
	// since signing in is not yet possible.
	NoSecretariat bool
	// News are the latest published posts.
	News []*rencontres.NewsPost
}

// mainSeries is the series the home page puts forward.
const mainSeries = "rencontres-franco-japonaises"

func (s *Site) home(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	ctx := r.Context()
	all, err := s.svc.AllSeries(ctx)
	if err != nil {
		return "", err
	}
	d := HomePage{Series: all}
	if len(all) == 0 {
		// The product with no data: the page says what to do first.
		_, n, err := s.svc.Organisations(ctx, rencontres.OrgFilter{Limit: 1})
		if err != nil {
			return "", err
		}
		d.DirectoryEmpty = n == 0
		if p.Actor.User == nil {
			staff, err := s.accounts.Users(ctx, rencontres.UserFilter{Role: rencontres.Secretariat})
			if err != nil {
				return "", err
			}
			d.NoSecretariat = len(staff) == 0
		}
	}
	for _, se := range all {
		if se.Slug == mainSeries {
			d.Main = se
		}
	}
	if d.Main != nil {
		eds, err := s.svc.Editions(ctx, rencontres.EditionFilter{Series: mainSeries})
		if err != nil {
			return "", err
		}
		for _, e := range eds {
			switch e.Status {
			case rencontres.Planned, rencontres.Postponed:
				if d.Next == nil {
					d.Next = e
				}
			case rencontres.Held:
				d.Last = e
				if e.Figures.Record {
					d.Record = e // the latest record is the standing one
				}
			}
		}
	}
	if d.News, err = s.latestNews(ctx, p, rencontres.NewsFilter{}); err != nil {
		return "", err
	}
	p.Title = p.P.T("site.name")
	p.Nav = "home"
	p.Data = d
	return "home", nil
}
