// Package declpdf writes an edition's adopted final declaration (issue 16)
// as an A4 PDF set with the letter engine's typography (internal/letter):
// French on the left, Japanese on the right, aligned segment by segment
// (each segment starts at the same height in both columns, the taller
// side setting the row's height), articles numbered « Article 1 » and
// 第1条, the edition's title at the top in both languages, page numbers,
// and after the text the date of adoption and the authorities that
// adopted or endorsed it, each column in its language's order and script.
// English is not printed. The package is pure: no SQL, no HTTP.
package declpdf

import (
	"bytes"
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/rencontres"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Options are what the declaration does not hold itself.
type Options struct {
	// Edition is the edition's title, printed at the top of the first
	// page in both languages (« 7es Rencontres franco-japonaises de la
	// coopération décentralisée », 第7回日仏自治体交流会議).
	Edition rencontres.Text
	// Series and Number name the edition in the file's metadata
	// (« rencontres-franco-japonaises 7 »); optional.
	Series string
	Number int
	// Adopted is the day of adoption; zero takes the declaration's
	// AdoptedAt in its time zone. A declaration not adopted gets no date.
	Adopted rencontres.Date
	// Era writes the Japanese date in the Japanese era (令和4年10月3日)
	// rather than the Western year.
	Era bool
	// Kana are the readings of the authorities' Japanese names, by
	// organisation key: the Japanese column lists them in kana order.
	Kana map[string]string
	// Corrections are the dated corrections of the adopted text, listed
	// after the authorities with their reason: the text printed is the
	// corrected one.
	Corrections []*rencontres.DeclarationCorrection
	// Fonts are the letters' fonts, parsed once by the caller; nil finds
	// them (letter.FindFonts) once for the process.
	Fonts *letter.Fonts
}

var (
	sharedFonts = sync.OnceValues(letter.FindFonts)
	catalogue   = sync.OnceValue(i18n.MustLoad)
)

// Render writes the declaration d, with the adoptions recorded (votes
// for and endorsements are listed; votes against and abstentions are
// not), as a PDF.
func Render(d *rencontres.Declaration, adoptions []*rencontres.Adoption, opts Options) ([]byte, error) {
	if d == nil {
		return nil, errors.New("declpdf: no declaration")
	}
	f := opts.Fonts
	if f == nil {
		var err error
		if f, err = sharedFonts(); err != nil {
			return nil, err
		}
	}
	s := letter.NewSheet(f)
	p := &pager{s: s}
	p.start()
	r := &rows{s: s}
	p.place(r.title(d, opts), false)
	segs := slices.Clone(d.Segments)
	segs = slices.DeleteFunc(segs, func(s *rencontres.Segment) bool { return s.Deleted })
	rencontres.NumberArticles(segs)
	for i, seg := range segs {
		cur := r.segment(seg)
		if i == 0 {
			cur.before = 0
		}
		var next *row
		if seg.Kind == rencontres.SegmentHeading && i+1 < len(segs) {
			next = r.segment(segs[i+1])
		}
		p.placeKept(cur, next)
	}
	for _, row := range r.adoption(d, adoptions, opts) {
		p.place(row, row.keep)
	}
	p.finish(d, opts)
	var buf bytes.Buffer
	if err := s.WritePDF(&buf, metaTitle(d, opts)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// metaTitle is the file's title: the declaration's in French and in
// Japanese, and the edition's series and number.
func metaTitle(d *rencontres.Declaration, opts Options) string {
	var parts []string
	for _, l := range columnLangs {
		parts = append(parts, strings.ReplaceAll(letter.Typeset(titleIn(d, opts, l), l, 0).String(), "\u00a0", " "))
	}
	if opts.Series != "" && opts.Number > 0 {
		parts = append(parts, opts.Series+" "+strconv.Itoa(opts.Number))
	}
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), " — ")
}

// titleIn is the declaration's title in a language, else the edition's.
func titleIn(d *rencontres.Declaration, opts Options, l rencontres.Lang) string {
	if s := strings.TrimSpace(d.Title[l]); s != "" {
		return s
	}
	return strings.TrimSpace(opts.Edition[l])
}

// adoptedOn is the day of adoption in each language's format.
func adoptedOn(d *rencontres.Declaration, opts Options, l rencontres.Lang) string {
	day := opts.Adopted
	if day.IsZero() && d.AdoptedAt != nil {
		day = dayOf(d, *d.AdoptedAt)
	}
	return formatDay(day, l, opts.Era)
}

// dayOf is the day of an instant in the declaration's zone (the
// edition's).
func dayOf(d *rencontres.Declaration, t time.Time) rencontres.Date {
	loc, err := time.LoadLocation(d.TimeZone)
	if err != nil || d.TimeZone == "" {
		loc = time.UTC
	}
	return rencontres.DateOf(t.In(loc))
}

// formatDay writes a day as internal/i18n does (« 6 octobre 2022 »,
// 2022年10月6日), the Japanese in the era when asked (令和4年10月6日).
func formatDay(day rencontres.Date, l rencontres.Lang, era bool) string {
	if day.IsZero() {
		return ""
	}
	s := catalogue().Printer(l).Date(day)
	if l == rencontres.Japanese && era {
		s = strings.Replace(s, strconv.Itoa(day.Year)+"年", letter.EraYear(day), 1)
	}
	return s
}

// Adopters are the authorities that voted for the declaration or endorsed
// it, each once.
func Adopters(adoptions []*rencontres.Adoption) []*rencontres.Adoption {
	var out []*rencontres.Adoption
	seen := map[string]bool{}
	for _, a := range adoptions {
		if a == nil || seen[a.OrgKey] || (a.Choice != rencontres.VoteFor && a.Choice != rencontres.Endorse) {
			continue
		}
		seen[a.OrgKey] = true
		out = append(out, a)
	}
	return out
}

// SortedNames lists the adopters' names in a language's script and order:
// in French, the French names in French collation (accents and case
// aside: « Île-de-France » among the I); in Japanese, the Japanese names
// in the order of their kana readings (by organisation key in kana, the
// name itself when it has none), as a Japanese list is sorted. A name
// missing in the language is given in French.
func SortedNames(adopters []*rencontres.Adoption, l rencontres.Lang, kana map[string]string) []string {
	type entry struct{ name, key string }
	es := make([]entry, 0, len(adopters))
	for _, a := range adopters {
		e := entry{name: a.OrgName.In(l)}
		e.key = e.name
		if l == rencontres.Japanese && kana[a.OrgKey] != "" {
			e.key = kana[a.OrgKey]
		}
		if e.name == "" {
			e.name, e.key = a.OrgKey, a.OrgKey
		}
		es = append(es, e)
	}
	c := collate.New(language.Make(string(l)), collate.IgnoreCase, collate.Loose)
	slices.SortStableFunc(es, func(a, b entry) int {
		return cmp.Or(c.CompareString(a.key, b.key), c.CompareString(a.name, b.name))
	})
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.name
	}
	return out
}
