package web

import (
	"context"
	"html/template"
	"strings"
	"unicode/utf8"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// loadOrgs reads the organisations whose keys a page shows, once each, so
// that the page names them instead of printing their keys. A key that no
// longer names an organisation is kept out of the map: the page then shows
// the key itself rather than failing.
func (s *Site) loadOrgs(ctx context.Context, p *Page, keys ...string) error {
	if p.orgs == nil {
		p.orgs = map[string]*rencontres.Organisation{}
	}
	for _, k := range keys {
		if _, done := p.orgs[k]; done || k == "" {
			continue
		}
		o, err := s.svc.Organisation(ctx, k)
		if err != nil && rencontres.ErrorCode(err) != rencontres.ENOTFOUND {
			return err
		}
		p.orgs[k] = o
	}
	return nil
}

// OrgNamed renders the name of the organisation with the given key, which
// the handler loaded with loadOrgs, in the reader's language and its other
// script: « Kumamoto (熊本市) ». An unknown key is shown as it is.
func (p *Page) OrgNamed(key string) template.HTML {
	if o := p.orgs[key]; o != nil {
		return p.OrgName(o)
	}
	return template.HTML(template.HTMLEscapeString(key))
}

// OrgLink is OrgNamed linked to the organisation's public page.
func (p *Page) OrgLink(key string) template.HTML {
	if key == "" {
		return ""
	}
	return template.HTML(`<a href="`+template.HTMLEscapeString(p.OrgHref(key))+`">`) + p.OrgNamed(key) + "</a>"
}

// OrgText is the name of the organisation with the given key as plain
// text in the reader's language, for a select's options.
func (p *Page) OrgText(key string) string {
	if o := p.orgs[key]; o != nil {
		return o.Name.In(p.Lang)
	}
	return key
}

// Name renders a person's name as the reader's language writes it: in
// Japanese on Japanese pages where the name is known in Japanese, with the
// Latin form after it; elsewhere the Latin form first. Each is marked with
// its language so that screen readers pronounce it right.
func (p *Page) Name(latin, ja string) template.HTML {
	l := template.HTMLEscapeString(latin)
	j := template.HTMLEscapeString(ja)
	switch {
	case ja == "":
		if p.Lang == rencontres.Japanese {
			return template.HTML(`<span lang="fr">` + l + `</span>`)
		}
		return template.HTML(l)
	case latin == "":
		return template.HTML(`<span lang="ja">` + j + `</span>`)
	case p.Lang == rencontres.Japanese:
		return template.HTML(j + ` <span class="other-script" lang="ja-Latn">` + l + `</span>`)
	}
	return template.HTML(l + ` <span class="other-script" lang="ja">` + j + `</span>`)
}

// joinName makes one name of a family name and a given name asked apart,
// family name first, separated by a space.
func joinName(family, given string) string {
	return strings.TrimSpace(family + " " + given)
}

// splitName takes a name joined by joinName apart again: the family name
// up to the first space (ideographic or not), the given name after it.
func splitName(name string) (family, given string) {
	name = strings.TrimSpace(name)
	if i := strings.IndexAny(name, " 　"); i >= 0 {
		_, size := utf8.DecodeRuneInString(name[i:])
		return name[:i], strings.TrimSpace(name[i+size:])
	}
	return name, ""
}
