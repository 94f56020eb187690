// Package badge prints name badges as PDF: A6, one a page, or sheets of
// eight on A4. Names are in the right script and order (森 健二 above
// Kenji MORI for a Japanese participant), with function, authority and a
// QR code that opens the check-in page. Text is set with a TrueType font
// from the npm registry (Noto Sans JP), embedded as a subset, so Japanese
// renders and extracts; it is measured and broken into lines by the
// letters' engine (package letter), so that a long function is first set
// smaller, then broken between words (by kinsoku in Japanese), never
// inside one.
package badge

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/rencontres/rencontres/internal/fonts"
	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/pdfjoin"
	"github.com/signintech/gopdf"
	"github.com/skip2/go-qrcode"
)

// Badge is what one badge shows.
type Badge struct {
	Name      string // in the person's own script: 森 健二, or Claire DUVAL
	Latin     string // the name in Latin script when Name is not: Kenji MORI
	Function  string
	Authority string
	Event     string
	Code      string
	// URL is what the QR code opens: the check-in page for this badge.
	URL string
	// Agenda, when there is one, is the holder's authority's one-to-one
	// meetings, a line each, printed under AgendaTitle on the back of the
	// badge (the next page, mirrored for printing on both sides).
	AgendaTitle string
	Agenda      []string
}

// Layout is a paper layout.
type Layout string

// Layouts.
const (
	A6   Layout = "a6"   // one badge a page, 105 × 148 mm
	A4x8 Layout = "a4x8" // eight badges a sheet, 2 × 4 of 105 × 74.25 mm
)

// ErrNoFont is what FindFonts wraps when the font is not installed; its
// wrapped error says which package is missing and how to install it.
var ErrNoFont = errors.New("badge: no font")

// loaded holds the fonts once read: parsing a CJK font takes far longer
// than printing a sheet of badges.
var loaded struct {
	sync.Mutex
	fonts *letter.Fonts
}

// FindFonts finds Noto Sans JP the way every PDF of the product finds its
// fonts (package fonts): RENCONTRES_FONT_DIR, then node_modules; it reads
// them once, and again after a failure, so that fonts installed later are
// found without a restart.
func FindFonts() (*letter.Fonts, error) {
	loaded.Lock()
	defer loaded.Unlock()
	if loaded.fonts != nil {
		return loaded.fonts, nil
	}
	files, err := fonts.Find(fonts.SansJP)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoFont, err)
	}
	f, err := letter.LoadFonts(files)
	if err != nil {
		return nil, fmt.Errorf("badge: %w", err)
	}
	loaded.fonts = f
	return f, nil
}

// partSize is how many badges a part of the document holds, a multiple
// of a sheet's eight: gopdf holds a part whole in memory (its pages, its
// images, the fonts' subsets), and Write joins the parts as it writes
// them (pdfjoin), so that ten thousand badges take no more memory than
// 256 do.
const partSize = 256

// Write prints badges in a layout.
func Write(w io.Writer, faces *letter.Fonts, layout Layout, badges []Badge) error {
	bw, err := NewWriter(w, faces, layout)
	if err != nil {
		return err
	}
	for _, b := range badges {
		if err := bw.Add(b); err != nil {
			return err
		}
	}
	return bw.Close()
}

// Writer prints badges as they are given, a part at a time, into one PDF:
// a caller reading its badges a chunk at a time holds a part of them,
// never the whole list.
type Writer = pdfjoin.Parts[Badge]

// NewWriter starts a PDF of badges in a layout, written to w.
func NewWriter(w io.Writer, faces *letter.Fonts, layout Layout) (*Writer, error) {
	if layout != A6 && layout != A4x8 {
		return nil, fmt.Errorf("badge: unknown layout %q", layout)
	}
	return pdfjoin.NewParts(w, partSize, func(w io.Writer, badges []Badge) error {
		return writePart(w, faces, layout, badges)
	}), nil
}

// writePart prints badges as a PDF of their own.
func writePart(w io.Writer, faces *letter.Fonts, layout Layout, badges []Badge) error {
	var cellW, cellH float64
	var page gopdf.Rect
	perPage := 1
	switch layout {
	case A6:
		page, cellW, cellH = gopdf.Rect{W: 105, H: 148}, 105, 148
	case A4x8:
		page, cellW, cellH, perPage = gopdf.Rect{W: 210, H: 297}, 105, 74.25, 8
	default:
		return fmt.Errorf("badge: unknown layout %q", layout)
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{Unit: gopdf.UnitMM, PageSize: page})
	var regular, bold strings.Builder
	for _, b := range badges {
		regular.WriteString(b.Event + b.Latin + b.Function + b.Code + strings.Join(b.Agenda, ""))
		bold.WriteString(b.Name + b.Authority + b.AgendaTitle)
	}
	names, err := faces.AddTo(pdf, regular.String(), bold.String())
	if err != nil {
		return fmt.Errorf("badge: %w", err)
	}
	if len(badges) == 0 {
		pdf.AddPage()
	}
	for first := 0; first < len(badges); first += perPage {
		sheet := badges[first:min(first+perPage, len(badges))]
		pdf.AddPage()
		backs := false
		for k, b := range sheet {
			x, y := float64(k%2)*cellW, float64(k/2)*cellH
			if layout == A6 {
				x, y = 0, 0
			}
			if err := draw(pdf, faces, names, b, x, y, cellW, cellH); err != nil {
				return err
			}
			backs = backs || len(b.Agenda) > 0
		}
		if backs {
			if err := drawBacks(pdf, faces, names, layout, sheet, cellW, cellH); err != nil {
				return err
			}
		}
	}
	_, err = pdf.WriteTo(w)
	return err
}

// mmPerPt converts the fonts' points to the page's millimetres.
const mmPerPt = 25.4 / 72

// fit chooses the size and the lines of a text in a width (points): the
// largest size from size down to least at which it holds on one line;
// failing that, least, the text broken between words into lines; smaller
// still only when a word alone is wider than a line, which is never cut.
func fit(f *letter.Fonts, s string, bold bool, size, least, width float64) (float64, []string) {
	for sz := size; sz >= least; sz -= 0.5 {
		if f.Width(s, bold, sz) <= width {
			return sz, []string{s}
		}
	}
	sz := least
	for sz > 4 && !f.Fits(s, bold, sz, width) {
		sz -= 0.25
	}
	return sz, f.Wrap(s, bold, sz, width)
}

// draw prints one badge in the cell at x, y: the event at the top, the
// name large, the Latin name, function and authority, the QR code and its
// code at the bottom, with a thin cutting line around.
func draw(pdf *gopdf.GoPdf, f *letter.Fonts, names [2]string, b Badge, x, y, w, h float64) error {
	pdf.SetLineWidth(0.2)
	pdf.SetStrokeColor(180, 180, 180)
	pdf.RectFromUpperLeftWithStyle(x, y, w, h, "D")
	m := 6.0
	scale := h / 148 // the A4 sheet's cells are half as tall
	// text sets s centred from top at size, or smaller down to
	// shrink × size (6 points at least) before it breaks into lines, and
	// returns the top of what follows.
	text := func(bold bool, size, shrink float64, s string, top float64) (float64, error) {
		if s == "" {
			return top, nil
		}
		size *= max(scale, 0.6)
		// Below 6 points a badge is not read at arm's length.
		size, lines := fit(f, s, bold, size, min(size, max(size*shrink, 6)), (w-2*m)/mmPerPt)
		family := names[0]
		if bold {
			family = names[1]
		}
		if err := pdf.SetFont(family, "", size); err != nil {
			return top, err
		}
		// Each line is drawn at its baseline, centred by the width the
		// letters' engine measured, as a reader copies it line by line.
		lh, em := size*0.45, size*mmPerPt
		for _, l := range lines {
			pdf.SetXY(x+m+(w-2*m-f.Width(l, bold, size)*mmPerPt)/2, top+(lh-em)/2+0.88*em)
			if err := pdf.Text(l); err != nil {
				return top, err
			}
			top += lh
		}
		return top, nil
	}
	pdf.SetTextColor(90, 90, 90)
	top, err := text(false, 11, 0.8, b.Event, y+m*scale+2)
	if err != nil {
		return err
	}
	pdf.SetTextColor(0, 0, 0)
	top += 6 * scale
	if top, err = text(true, 30, 0.6, b.Name, top); err != nil {
		return err
	}
	if top, err = text(false, 16, 0.7, b.Latin, top+1); err != nil {
		return err
	}
	if top, err = text(false, 13, 0.75, b.Function, top+3*scale); err != nil {
		return err
	}
	if _, err = text(true, 14, 0.75, b.Authority, top+1); err != nil {
		return err
	}
	if b.URL != "" {
		q, err := qrcode.New(b.URL, qrcode.Medium)
		if err != nil {
			return err
		}
		q.DisableBorder = true
		size := 34 * scale
		if err := pdf.ImageFrom(q.Image(256), x+(w-size)/2, y+h-size-m*scale-5, &gopdf.Rect{W: size, H: size}); err != nil {
			return err
		}
	}
	pdf.SetTextColor(90, 90, 90)
	_, err = text(false, 10, 1, b.Code, y+h-m*scale-3)
	return err
}
