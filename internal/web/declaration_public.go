package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/rencontres/rencontres/internal/declaration"
	"github.com/rencontres/rencontres/internal/declpdf"
	"github.com/rencontres/rencontres/internal/fonts"
	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The published declaration of an edition: the adopted text, French and
// Japanese side by side and aligned segment by segment, the date of its
// adoption, the authorities that adopted it in each language's order and
// script, its corrections, and its PDF. Not found before its adoption.

// PublicDeclaration is the published declaration's page.
type PublicDeclaration struct {
	Series  *rencontres.Series
	Edition *rencontres.Edition
	Decl    *rencontres.Declaration
	// AdoptedOn is the day of the adoption on the edition's clock.
	AdoptedOn rencontres.Date
	// Columns are the two languages of the text, French first.
	Columns []rencontres.Lang
	// Adopters are the authorities that voted for or endorsed the text,
	// by language, each list in its language's order.
	Adopters    map[rencontres.Lang][]*rencontres.Adoption
	Corrections []declaration.Corrected
	// PDF is the path of the PDF, empty while none is built.
	PDF string
	// Drafts says the reader drafts the declaration: the page links to
	// its adoption's, where it is corrected.
	Drafts   bool
	printers map[rencontres.Lang]*i18n.Printer
}

// Label is how a language heads a segment: « Article 3 », 第3条,
// « Préambule »; empty for a heading or a paragraph.
func (d PublicDeclaration) Label(sg *rencontres.Segment, lang rencontres.Lang) string {
	return segmentLabel(d.printers[lang], sg)
}

func segmentLabel(pr *i18n.Printer, sg *rencontres.Segment) string {
	if pr == nil {
		return ""
	}
	switch sg.Kind {
	case rencontres.SegmentArticle:
		return pr.T("adoption.article_n", "Number", sg.Number)
	case rencontres.SegmentPreamble:
		return pr.T("adoption.kind_preamble")
	}
	return ""
}

// adoptedDeclaration reads the adopted declaration of the edition the path
// names; any other is not found.
func (s *Site) adoptedDeclaration(r *http.Request) (*rencontres.Series, *rencontres.Edition, *rencontres.Declaration, error) {
	ctx := r.Context()
	n, err := strconv.Atoi(r.PathValue("number"))
	if err != nil || n < 1 {
		return nil, nil, nil, rencontres.NotFound("edition")
	}
	se, err := s.svc.Series(ctx, r.PathValue("series"))
	if err != nil {
		return nil, nil, nil, err
	}
	e, err := s.svc.Edition(ctx, se.Slug, n)
	if err != nil {
		return nil, nil, nil, err
	}
	d, err := s.declarations.DeclarationOfEdition(ctx, e.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	if d.State != rencontres.DeclarationAdopted {
		return nil, nil, nil, rencontres.NotFound("declaration")
	}
	return se, e, d, nil
}

func (s *Site) publicDeclaration(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	ctx := r.Context()
	se, e, decl, err := s.adoptedDeclaration(r)
	if err != nil {
		return "", err
	}
	d := PublicDeclaration{Series: se, Edition: e, Decl: decl, Columns: rencontres.DeclarationLangs,
		Adopters: map[rencontres.Lang][]*rencontres.Adoption{}, printers: map[rencontres.Lang]*i18n.Printer{}}
	for _, l := range rencontres.Langs {
		d.printers[l] = s.cat.Printer(l)
	}
	if decl.AdoptedAt != nil {
		loc, err := time.LoadLocation(decl.TimeZone)
		if err != nil {
			loc = time.UTC
		}
		d.AdoptedOn = rencontres.DateOf(decl.AdoptedAt.In(loc))
	}
	all, err := s.declarations.Adoptions(ctx, decl.ID)
	if err != nil {
		return "", err
	}
	adopters := declaration.Adopters(decl, all)
	for _, l := range d.Columns {
		d.Adopters[l] = declaration.SortAdopters(adopters, l)
	}
	list, err := s.declarations.Corrections(ctx, decl.ID)
	if err != nil {
		return "", err
	}
	if len(list) > 0 {
		history, err := s.declarations.DeclarationHistory(ctx, decl.ID)
		if err != nil {
			return "", err
		}
		d.Corrections = declaration.Corrections(list, history)
	}
	d.PDF = s.declarationPDFPath(se, e)
	if d.Drafts, err = declaration.Drafts(ctx, s.declarations, p.Actor, decl.EditionID); err != nil {
		return "", err
	}
	p.Title = p.P.T("adoption.public_title", "Edition", p.P.EditionTitleText(e.Number, se.Short))
	p.Nav = "series-" + se.Slug
	p.Data = d
	return "declaration_public", nil
}

// declarationPDFPath is the path of the declaration's PDF.
func (s *Site) declarationPDFPath(se *rencontres.Series, e *rencontres.Edition) string {
	return "/series/" + se.Slug + "/" + strconv.Itoa(e.Number) + "/declaration.pdf"
}

// publicDeclarationPDF answers the adopted declaration as an A4 PDF, the
// two languages side by side (internal/declpdf); not found before the
// adoption.
func (s *Site) publicDeclarationPDF(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	ctx := r.Context()
	se, e, decl, err := s.adoptedDeclaration(r)
	if err != nil {
		return "", err
	}
	all, err := s.declarations.Adoptions(ctx, decl.ID)
	if err != nil {
		return "", err
	}
	corrections, err := s.declarations.Corrections(ctx, decl.ID)
	if err != nil {
		return "", err
	}
	opts := declpdf.Options{Edition: rencontres.Text{}, Series: se.Slug, Number: e.Number, Kana: map[string]string{}, Corrections: corrections}
	for _, l := range rencontres.DeclarationLangs {
		opts.Edition[l] = s.cat.Printer(l).EditionTitleText(e.Number, se.Short)
	}
	for _, a := range all {
		if a.OrgKana != "" {
			opts.Kana[a.OrgKey] = a.OrgKana
		}
	}
	pdf, err := declpdf.Render(decl, all, opts)
	if err != nil {
		return "", fonts.Missing(err) // a font not installed is said, not a 500
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="declaration-%s-%d.pdf"`, se.Slug, e.Number))
	w.Write(pdf)
	return "", nil
}

// adoptedDeclarations marks the editions whose declaration is adopted, by
// id, for the archive's links.
func (s *Site) adoptedDeclarations(ctx context.Context, eds []*rencontres.Edition) (map[int64]bool, error) {
	out := map[int64]bool{}
	if s.declarations == nil {
		return out, nil
	}
	for _, e := range eds {
		d, err := s.declarations.DeclarationOfEdition(ctx, e.ID)
		if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[e.ID] = d.State == rencontres.DeclarationAdopted
	}
	return out, nil
}
