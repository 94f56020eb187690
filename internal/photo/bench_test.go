package photo_test

import (
	"testing"

	"github.com/rencontres/rencontres/internal/photo"
	"github.com/rencontres/rencontres/internal/photo/phototest"
)

// BenchmarkProcess measures an upload's processing (decode, orientation,
// three widths, JPEG encoding) for a phone's 12-megapixel photo and for
// one already at the page's width. A portrait turned by its EXIF is
// 2133 pixels high once turned: no whole factor shrinks it before the
// kernel, the costliest case.
func BenchmarkProcess(b *testing.B) {
	for _, c := range []struct {
		name              string
		w, h, orientation int
	}{{"12MP-upright", 4000, 3000, 1}, {"12MP-portrait", 4000, 3000, 6}, {"2MP", 1600, 1200, 1}} {
		data := phototest.JPEGWithGPS(c.w, c.h, c.orientation)
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
