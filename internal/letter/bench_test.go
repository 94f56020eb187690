package letter_test

import (
	"fmt"
	"io"
	"testing"

	"github.com/rencontres/rencontres/internal/benchmem"
	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// recipients makes n letters' data, fictitious people of both countries.
func recipients(n int) []letter.Data {
	out := make([]letter.Data, n)
	for i := range out {
		d := seed001()
		d.Recipient = letter.Recipient{Civility: []string{"mme", "m", ""}[i%3], GivenName: fmt.Sprintf("Prénom%d", i), FamilyName: fmt.Sprintf("Nom%d", i),
			Function: rencontres.Text{"fr": "Maire", "ja": "市長"}, Authority: rencontres.Text{"fr": fmt.Sprintf("Ville d'Essai n°%d", i), "ja": fmt.Sprintf("試験市%d", i)}}
		d.Link = fmt.Sprintf("https://rencontres.example.org/fr/r/%010d", i)
		out[i] = d
	}
	return out
}

func BenchmarkRender(b *testing.B) {
	for _, lang := range []rencontres.Lang{rencontres.French, rencontres.Japanese} {
		b.Run(string(lang), func(b *testing.B) {
			tpl, data := invitation8(lang), recipients(64)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if _, err := letter.Render(&tpl, &data[i%len(data)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMerge is the mail merge: render a letter and write it as its
// recipient's PDF (per op), or 100 letters into one PDF to print.
func BenchmarkMerge(b *testing.B) {
	f, err := fonts()
	if err != nil {
		b.Fatal(err)
	}
	for _, lang := range []rencontres.Lang{rencontres.French, rencontres.Japanese} {
		tpl, data := invitation8(lang), recipients(100)
		b.Run(string(lang)+"/per-recipient", func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				l, err := letter.Render(&tpl, &data[i%len(data)])
				if err != nil {
					b.Fatal(err)
				}
				if err := letter.WritePDF(io.Discard, f, l); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(string(lang)+"/combined-100", func(b *testing.B) {
			for b.Loop() {
				var ls []*letter.Letter
				for i := range data {
					l, err := letter.Render(&tpl, &data[i])
					if err != nil {
						b.Fatal(err)
					}
					ls = append(ls, l)
				}
				if err := letter.WritePDF(io.Discard, f, ls...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPDFMemory measures what writing a campaign's letters as one
// PDF holds while it writes, at 1,000 to 20,000 letters, each rendered
// and given to a PDFWriter in turn as the campaign's service does (the
// recipients' data, held by the caller, are not counted):
//
//	go test -run x -bench PDFMemory -benchtime 1x ./internal/letter
func BenchmarkPDFMemory(b *testing.B) {
	f, err := fonts()
	if err != nil {
		b.Fatal(err)
	}
	tpl := invitation8(rencontres.French)
	for _, n := range []int{1000, 5000, 10000, 20000} {
		data := recipients(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var peak, live uint64
			var size countingDiscard
			for b.Loop() {
				size = 0
				p, l := benchmem.Peak(b, func() {
					pw := letter.NewPDFWriter(&size, f)
					for i := range data {
						l, err := letter.Render(&tpl, &data[i])
						if err != nil {
							b.Fatal(err)
						}
						if err := pw.Add(l); err != nil {
							b.Fatal(err)
						}
					}
					if err := pw.Close(); err != nil {
						b.Fatal(err)
					}
				})
				peak, live = max(peak, p), max(live, l)
			}
			b.ReportMetric(float64(size), "pdf-B")
			b.ReportMetric(float64(peak), "peak-heap-B")
			b.ReportMetric(float64(live), "peak-live-B")
		})
	}
}

// countingDiscard counts what is written to it.
type countingDiscard int

func (c *countingDiscard) Write(p []byte) (int, error) {
	*c += countingDiscard(len(p))
	return len(p), nil
}
