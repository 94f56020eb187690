package photo_test

import (
	"testing"

	"github.com/rencontres/rencontres/internal/photo"
	"github.com/rencontres/rencontres/internal/photo/phototest"
)

// BenchmarkProcess measures an upload's processing (decode, orientation,
// three widths, JPEG encoding) for a phone's 12-megapixel photo and for
// one already at the page's width.
func BenchmarkProcess(b *testing.B) {
	for _, c := range []struct {
		name string
		w, h int
	}{{"12MP", 4000, 3000}, {"2MP", 1600, 1200}} {
		data := phototest.JPEGWithGPS(c.w, c.h, 6)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := photo.Process("phone.jpg", "image/jpeg", data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
