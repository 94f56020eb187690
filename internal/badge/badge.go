// Package badge prints name badges as PDF: A6, one a page, or sheets of
// eight on A4. Names are in the right script and order (森 健二 above
// Kenji MORI for a Japanese participant), with function, authority and a
// QR code that opens the check-in page. Text is set with a TrueType font
// from the npm registry (Noto Sans JP), embedded as a subset, so Japanese
// renders and extracts.
package badge

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rencontres/rencontres/internal/fonts"
	"github.com/signintech/gopdf"
	"github.com/skip2/go-qrcode"
	"golang.org/x/image/font/sfnt"
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
}

// Layout is a paper layout.
type Layout string

// Layouts.
const (
	A6   Layout = "a6"   // one badge a page, 105 × 148 mm
	A4x8 Layout = "a4x8" // eight badges a sheet, 2 × 4 of 105 × 74.25 mm
)

// Fonts are the regular and bold font files badges are set in.
type Fonts = fonts.Files

// ErrNoFont is what FindFonts wraps when the font is not installed; its
// wrapped error says which package is missing and how to install it.
var ErrNoFont = errors.New("badge: no font")

// FindFonts finds Noto Sans JP the way every PDF of the product finds its
// fonts (package fonts): RENCONTRES_FONT_DIR, then node_modules.
func FindFonts() (Fonts, error) {
	f, err := fonts.Find(fonts.SansJP)
	if err != nil {
		return Fonts{}, fmt.Errorf("%w: %w", ErrNoFont, err)
	}
	return f, nil
}

// Write prints badges in a layout.
func Write(w io.Writer, faces Fonts, layout Layout, badges []Badge) error {
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
	var names [2]string
	for i, path := range []string{faces.Regular, faces.Bold} {
		name, err := subsetName(path, badges)
		if err != nil {
			return fmt.Errorf("badge: %w", err)
		}
		if err := pdf.AddTTFFont(name, path); err != nil {
			return fmt.Errorf("badge: %w", err)
		}
		names[i] = name
	}
	if len(badges) == 0 {
		pdf.AddPage()
	}
	for i, b := range badges {
		if i%perPage == 0 {
			pdf.AddPage()
		}
		k := i % perPage
		x, y := float64(k%2)*cellW, float64(k/2)*cellH
		if layout == A6 {
			x, y = 0, 0
		}
		if err := draw(pdf, names, b, x, y, cellW, cellH); err != nil {
			return err
		}
	}
	_, err := pdf.WriteTo(w)
	return err
}

// draw prints one badge in the cell at x, y: the event at the top, the
// name large, the Latin name, function and authority, the QR code and its
// code at the bottom, with a thin cutting line around.
func draw(pdf *gopdf.GoPdf, names [2]string, b Badge, x, y, w, h float64) error {
	regular, bold := names[0], names[1]
	pdf.SetLineWidth(0.2)
	pdf.SetStrokeColor(180, 180, 180)
	pdf.RectFromUpperLeftWithStyle(x, y, w, h, "D")
	m := 6.0
	scale := h / 148 // the A4 sheet's cells are half as tall
	text := func(font string, size float64, s string, top float64) (float64, error) {
		if s == "" {
			return top, nil
		}
		if err := pdf.SetFont(font, "", size*max(scale, 0.6)); err != nil {
			return top, err
		}
		rect := &gopdf.Rect{W: w - 2*m, H: size * max(scale, 0.6) * 0.45}
		lines, err := pdf.SplitText(s, rect.W)
		if err != nil {
			return top, err
		}
		for _, l := range lines {
			pdf.SetXY(x+m, top)
			if err := pdf.CellWithOption(rect, l, gopdf.CellOption{Align: gopdf.Center | gopdf.Middle}); err != nil {
				return top, err
			}
			top += rect.H
		}
		return top, nil
	}
	pdf.SetTextColor(90, 90, 90)
	top, err := text(regular, 11, b.Event, y+m*scale+2)
	if err != nil {
		return err
	}
	pdf.SetTextColor(0, 0, 0)
	top += 6 * scale
	if top, err = text(bold, 30, b.Name, top); err != nil {
		return err
	}
	if top, err = text(regular, 16, b.Latin, top+1); err != nil {
		return err
	}
	if top, err = text(regular, 13, b.Function, top+3*scale); err != nil {
		return err
	}
	if _, err = text(bold, 14, b.Authority, top+1); err != nil {
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
	_, err = text(regular, 10, b.Code, y+h-m*scale-3)
	return err
}

// subsetName is the name a font is embedded under: gopdf embeds only the
// glyphs the badges use, and writes the name it is given as BaseFont and
// FontName, where PDF (ISO 32000-1, 9.6.4) and PDF/A checkers expect a
// subset's tag, six upper-case letters, then « + » and the PostScript
// name (ABCDEF+NotoSansJP-Regular). The tag is derived from the font and
// the characters the badges set, which decide the subset.
func subsetName(path string, badges []Badge) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	f, err := sfnt.Parse(data)
	if err != nil {
		return "", fmt.Errorf("font %s: %w", path, err)
	}
	var buf sfnt.Buffer
	ps, _ := f.Name(&buf, sfnt.NameIDPostScript)
	ps = strings.Map(func(r rune) rune {
		if r > ' ' && r < 0x7f && !strings.ContainsRune("[](){}<>/%#", r) {
			return r
		}
		return -1
	}, ps)
	if ps == "" {
		ps = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	used := map[rune]bool{}
	for _, b := range badges {
		for _, r := range b.Name + b.Latin + b.Function + b.Authority + b.Event + b.Code {
			used[r] = true
		}
	}
	runes := make([]rune, 0, len(used))
	for r := range used {
		runes = append(runes, r)
	}
	slices.Sort(runes)
	h := sha256.New()
	h.Write([]byte(ps))
	h.Write([]byte(string(runes)))
	sum := h.Sum(nil)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	return string(tag) + "+" + ps, nil
}
