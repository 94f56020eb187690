package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// ArchivePage is the data of a series' archive: every edition on a
// timeline.
type ArchivePage struct {
	Series   *rencontres.Series
	Editions []*rencontres.Edition
	// Declarations marks the editions whose final declaration is adopted,
	// by id: their entry links to it.
	Declarations map[int64]bool
}

func (s *Site) archive(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	se, err := s.svc.Series(r.Context(), r.PathValue("series"))
	if err != nil {
		return "", err
	}
	eds, err := s.svc.Editions(r.Context(), rencontres.EditionFilter{Series: se.Slug})
	if err != nil {
		return "", err
	}
	adopted, err := s.adoptedDeclarations(r.Context(), eds)
	if err != nil {
		return "", err
	}
	p.Title = se.Name.In(p.Lang)
	p.Nav = "series-" + se.Slug
	p.Data = ArchivePage{Series: se, Editions: eds, Declarations: adopted}
	return "archive", nil
}

// EditionPage is the data of an edition's page.
type EditionPage struct {
	Series     *rencontres.Series
	Edition    *rencontres.Edition
	Prev, Next *rencontres.Edition
	// Registers says the reader may register a delegation at this edition
	// now: it is to come and takes registrations. Only then is the
	// delegation form linked; an edition without a form has none to show.
	Registers bool
	// Meets says the reader is a contact of an authority registered at
	// the edition: its one-to-one meetings' page is linked.
	Meets bool
	// News are the latest published posts about the edition.
	News []*rencontres.NewsPost
	// Map draws the authorities that took part, nil when none is known.
	Map *MapFigure
	// Practices counts the edition's practices in the library.
	Practices int
	// Calls are the edition's calls for proposals.
	Calls []*rencontres.Call
	// Declaration says the edition's final declaration is adopted, and
	// so published.
	Declaration bool
}

func (s *Site) edition(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	ctx := r.Context()
	n, err := strconv.Atoi(r.PathValue("number"))
	if err != nil || n < 1 {
		return "", rencontres.NotFound("edition")
	}
	se, err := s.svc.Series(ctx, r.PathValue("series"))
	if err != nil {
		return "", err
	}
	e, err := s.svc.Edition(ctx, se.Slug, n)
	if err != nil {
		return "", err
	}
	d := EditionPage{Series: se, Edition: e}
	if d.Map, err = s.editionMap(ctx, p, e); err != nil {
		return "", err
	}
	all, err := s.svc.Editions(ctx, rencontres.EditionFilter{Series: se.Slug})
	if err != nil {
		return "", err
	}
	for i, x := range all {
		if x.Number == n {
			if i > 0 {
				d.Prev = all[i-1]
			}
			if i+1 < len(all) {
				d.Next = all[i+1]
			}
		}
	}
	if p.Actor.User != nil && p.Actor.Can(rencontres.RequestMeetings, rencontres.Target{}) && !p.Actor.Can(rencontres.ManageEvents, rencontres.Target{}) {
		registered, err := s.meetings.RegisteredOrgs(ctx, e.ID)
		if err != nil {
			return "", err
		}
		d.Meets = slices.ContainsFunc(p.Actor.User.OrgKeys, func(k string) bool { return slices.Contains(registered, k) })
	}
	if p.Actor.Can(rencontres.ManageRegistrations, rencontres.Target{}) && !p.Actor.Can(rencontres.ManageEvents, rencontres.Target{}) &&
		(e.Status == rencontres.Planned || e.Status == rencontres.Postponed) {
		switch _, err := s.regs.RegistrationForm(ctx, e.ID); {
		case err == nil:
			d.Registers = true
		case rencontres.ErrorCode(err) != rencontres.ENOTFOUND:
			return "", err
		}
	}
	if d.News, err = s.latestNews(ctx, p, rencontres.NewsFilter{EventID: e.ID}); err != nil {
		return "", err
	}
	if s.library != nil {
		if _, d.Practices, err = s.library.Practices(ctx, rencontres.PracticeFilter{Series: se.Slug, Number: e.Number, Limit: 1}); err != nil {
			return "", err
		}
	}
	if s.prac != nil {
		if d.Calls, err = s.prac.Calls(ctx, e.ID); err != nil {
			return "", err
		}
	}
	adopted, err := s.adoptedDeclarations(ctx, []*rencontres.Edition{e})
	if err != nil {
		return "", err
	}
	d.Declaration = adopted[e.ID]
	p.Title = p.P.EditionTitleText(e.Number, se.Short)
	p.Nav = "series-" + se.Slug
	p.Data = d
	return "edition", nil
}
