package web

import (
	"context"
	"strings"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// maxCandidates is how many organisations a name that matches several
// offers to choose from.
const maxCandidates = 8

// pickOrg finds the organisation a form's field names: its key, a label
// « Ville de Nancy (fr-54395) » as the suggestions give it, or a name
// searched in the directory, taken when one organisation has it (or exactly
// that name). A name that matches several returns them as candidates,
// with an error on field; one that matches none, an error saying so.
func (s *Site) pickOrg(ctx context.Context, field, typed string) (string, []*rencontres.Organisation, error) {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return "", nil, nil
	}
	if i := strings.LastIndexByte(typed, '('); i >= 0 && strings.HasSuffix(typed, ")") {
		if o, err := s.svc.Organisation(ctx, strings.TrimSpace(typed[i+1:len(typed)-1])); err == nil {
			return o.Key, nil, nil
		}
	}
	if o, err := s.svc.Organisation(ctx, typed); err == nil {
		return o.Key, nil, nil
	}
	found, _, err := s.svc.Organisations(ctx, rencontres.OrgFilter{Query: typed, Limit: maxCandidates})
	if err != nil {
		return "", nil, err
	}
	var exact []*rencontres.Organisation
	for _, o := range found {
		for _, n := range o.Name {
			if strings.EqualFold(n, typed) {
				exact = append(exact, o)
				break
			}
		}
	}
	switch {
	case len(found) == 1:
		return found[0].Key, nil, nil
	case len(exact) == 1:
		return exact[0].Key, nil, nil
	case len(found) == 0:
		return "", nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "series_form.org_not_found", Field: field,
			Message: "no organisation of the directory has this name", Args: map[string]any{"Name": typed}}
	}
	return "", found, &rencontres.Error{Code: rencontres.EINVALID, Key: "series_form.org_ambiguous", Field: field,
		Message: "several organisations have this name", Args: map[string]any{"Name": typed}}
}

// OrgLabel is how a picked organisation shows in its field: its name in the
// page's language and its key, « Ville de Nancy (fr-54395) », which the
// field reads back.
func (p *Page) OrgLabel(o *rencontres.Organisation) string {
	if o == nil {
		return ""
	}
	return o.Name.In(p.Lang) + " (" + o.Key + ")"
}

// orgLabel is the label of the organisation key, or the key itself when it
// is not in the directory.
func (s *Site) orgLabel(ctx context.Context, p *Page, key string) string {
	if key == "" {
		return ""
	}
	o, err := s.svc.Organisation(ctx, key)
	if err != nil {
		return key
	}
	return p.OrgLabel(o)
}
