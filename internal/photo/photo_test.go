package photo_test

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"testing"

	"github.com/rencontres/rencontres/internal/photo"
	"github.com/rencontres/rencontres/internal/photo/phototest"
)

// A photo straight from a phone carries where it was taken; what is
// served carries no EXIF at all, reads upright, and comes in the widths
// pages ask for.
func TestLocationAndOrientationOfAPhone(t *testing.T) {
	in := phototest.JPEGWithGPS(2000, 1000, 6)
	if exif, gps := photo.HasEXIF(in); !exif || !gps {
		t.Fatalf("the test's upload should carry EXIF with GPS: exif %v, gps %v", exif, gps)
	}
	if got := photo.Orientation(in); got != 6 {
		t.Fatalf("orientation %d, want 6", got)
	}
	p, err := photo.Process("IMG20191106151910.jpg", "image/jpeg", in)
	if err != nil {
		t.Fatal(err)
	}
	// Turned a quarter clockwise: 1000 wide, 2000 high.
	if p.Width != 1000 || p.Height != 2000 {
		t.Errorf("size %d × %d, want 1000 × 2000", p.Width, p.Height)
	}
	var widths []int
	for _, r := range p.Renditions {
		widths = append(widths, r.Width)
		if exif, gps := photo.HasEXIF(r.Data); exif || gps {
			t.Errorf("the %d px file still carries EXIF (gps %v)", r.Width, gps)
		}
		if bytes.Contains(r.Data, []byte("Exif")) || bytes.Contains(r.Data, []byte("Rencontres test camera")) {
			t.Errorf("the %d px file still holds the camera's metadata", r.Width)
		}
		for _, m := range photo.Segments(r.Data) {
			if m >= 0xE1 && m <= 0xEF {
				t.Errorf("the %d px file has an APP%d segment", r.Width, m-0xE0)
			}
		}
		img, err := jpeg.Decode(bytes.NewReader(r.Data))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := img.Bounds().Dy(), r.Width*2; got < want-1 || got > want+1 {
			t.Errorf("the %d px file is %d high, want %d", r.Width, got, want)
		}
		// The red quarter was top-left as stored; a quarter turn clockwise
		// puts it top-right.
		w, h := img.Bounds().Dx(), img.Bounds().Dy()
		if r, _, _, _ := img.At(w*3/4, h/4).RGBA(); r < 0x8000 {
			t.Errorf("the %d px file is not turned upright: top right is not red", w)
		}
		if r, _, _, _ := img.At(w/4, h/4).RGBA(); r > 0x8000 {
			t.Errorf("the %d px file is not turned upright: top left is red", w)
		}
	}
	if len(widths) != 3 || widths[0] != 480 || widths[1] != 960 || widths[2] != 1000 {
		t.Errorf("widths %v, want [480 960 1000] for a photo 1000 px wide", widths)
	}
}

func TestRefusals(t *testing.T) {
	for _, c := range []struct {
		name, declared string
		data           []byte
		fault          photo.Fault
	}{
		{"notes.jpg", "image/jpeg", []byte("Compte rendu du COPIL mixte, 6 novembre 2019\n"), photo.NotAnImage},
		{"fifty.png", "image/png", phototest.PNGHeader(10000, 5000), photo.TooManyPixels},
		{"copil.jpg", "image/jpeg", phototest.PNG(40, 30), photo.TypeLies},
		{"copil.png", "image/jpeg", phototest.PNG(40, 30), photo.TypeLies},
		{"copil.jpg", "image/jpeg", nil, photo.Empty},
		{"broken.png", "image/png", phototest.PNGHeader(400, 300), photo.Unreadable},
	} {
		_, err := photo.Process(c.name, c.declared, c.data)
		var e *photo.Error
		if !errors.As(err, &e) || e.Fault != c.fault {
			t.Errorf("%s: error %v, want the fault %s", c.name, err, c.fault)
		}
	}
}

// A PNG with transparency becomes a JPEG on white, and a small one is not
// enlarged.
func TestSmallPNG(t *testing.T) {
	p, err := photo.Process("logo.png", "", phototest.PNG(300, 200))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Renditions) != 1 || p.Renditions[0].Width != 300 || p.Renditions[0].Height != 200 {
		t.Fatalf("renditions %+v, want one at 300 × 200", p.Renditions)
	}
	if _, f, err := image.DecodeConfig(bytes.NewReader(p.Renditions[0].Data)); err != nil || f != "jpeg" {
		t.Errorf("served as %q (%v), want jpeg", f, err)
	}
}

// A photo wider than the widest file is served at every width, once each.
func TestWidePhoto(t *testing.T) {
	p, err := photo.Process("wide.jpg", "image/jpeg", phototest.JPEG(2400, 1600))
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, r := range p.Renditions {
		got = append(got, r.Width)
	}
	if len(got) != 3 || got[0] != 480 || got[1] != 960 || got[2] != 1600 {
		t.Errorf("widths %v, want [480 960 1600]", got)
	}
}

// A JPEG twice the widest file is averaged straight from its planes:
// its colours stay where they were, and its size is exact.
func TestLargeJPEGShrunk(t *testing.T) {
	p, err := photo.Process("big.jpg", "image/jpeg", phototest.JPEGWithGPS(3400, 2000, 1))
	if err != nil {
		t.Fatal(err)
	}
	r := p.Renditions[len(p.Renditions)-1]
	img, err := jpeg.Decode(bytes.NewReader(r.Data))
	if err != nil {
		t.Fatal(err)
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	if w != 1600 || h != 941 {
		t.Errorf("widest file %d × %d, want 1600 × 941", w, h)
	}
	if red, _, _, _ := img.At(w/4, h/4).RGBA(); red < 0xC000 {
		t.Errorf("top left is not red (%x)", red)
	}
	if red, _, _, _ := img.At(w*3/4, h/4).RGBA(); red > 0x8000 {
		t.Errorf("top right is red (%x)", red)
	}
}
