package web

import "net/http"

// accessibility shows the accessibility statement that French public
// bodies must publish (RGAA): the site's conformity, what is not
// accessible and why, whom to contact, and the recourse to the Défenseur
// des droits. Every page's footer links to it.
func (s *Site) accessibility(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	p.Title, p.Nav = p.P.T("accessibility.title"), "accessibility"
	return "accessibility", nil
}
