// Package photo turns an uploaded photograph into the files pages serve:
// its type found from its bytes (never from its name or the type the
// sender declared), its size in pixels checked from its header before it
// is decoded, its EXIF orientation applied, and every metadata (place of
// the shot, camera, date) dropped by decoding it and encoding the pixels
// alone again, in the widths pages ask for. It does no I/O.
package photo

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	_ "image/png" // registers the PNG decoder
	"path/filepath"
	"strings"

	"github.com/gabriel-vasile/mimetype"
	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // registers the WebP decoder
)

// MaxBytes is the largest file accepted: a photo straight from a phone.
const MaxBytes = 20 << 20

// MaxPixels is the largest image accepted, in pixels: 40 megapixels. A
// larger one would take hundreds of megabytes to decode; its header says
// so before anything is decoded.
const MaxPixels = 40_000_000

// Widths are the widths a photo is served at, for srcset: a phone, a
// column of the page, a wide screen. A photo narrower than one is served
// at its own width instead, never enlarged.
var Widths = []int{480, 960, 1600}

// Quality is the JPEG quality of the files served.
const Quality = 85

// Types are the types accepted, as found in the content, with the
// extensions a file of each may be named with.
var Types = map[string][]string{
	"image/jpeg": {".jpg", ".jpeg"},
	"image/png":  {".png"},
	"image/webp": {".webp"},
}

// Fault says what is wrong with an upload.
type Fault string

// The faults.
const (
	NotAnImage    Fault = "not_an_image"    // the content is no image of an accepted type
	Empty         Fault = "empty"           // no content
	TooLarge      Fault = "too_large"       // more than MaxBytes
	TooManyPixels Fault = "too_many_pixels" // more than MaxPixels
	TypeLies      Fault = "type_lies"       // the name or declared type says another type than the content
	Unreadable    Fault = "unreadable"      // the header is right but the image cannot be decoded
)

// Error is a refused upload: the fault and what the message needs.
type Error struct {
	Fault Fault
	// Type is the type found in the content; Claimed the one the name or
	// the sender gave.
	Type, Claimed string
	Width, Height int
}

func (e *Error) Error() string {
	switch e.Fault {
	case TooManyPixels:
		return fmt.Sprintf("the image is %d × %d pixels, more than %d megapixels", e.Width, e.Height, MaxPixels/1_000_000)
	case TypeLies:
		return fmt.Sprintf("the file says it is %s but its content is %s", e.Claimed, e.Type)
	case NotAnImage:
		return fmt.Sprintf("the content is %s, not a JPEG, PNG or WebP image", e.Type)
	case TooLarge:
		return fmt.Sprintf("the file is larger than %d MiB", MaxBytes>>20)
	case Busy:
		return "too many photos are being processed; try again in a moment"
	}
	return string(e.Fault)
}

// Rendition is one file served: a JPEG of the photo at one width.
type Rendition struct {
	Width, Height int
	Data          []byte
}

// Photo is a processed upload: the size of the photo as it is seen (its
// orientation applied) and its renditions, narrowest first.
type Photo struct {
	Width, Height int
	// Type is the type the upload had.
	Type       string
	Renditions []Rendition
}

// Sniff finds an upload's type from its content and checks it against
// the name's extension and the declared type, when given. It reads no
// more than the header.
func Sniff(name, declared string, data []byte) (string, error) {
	switch {
	case len(data) == 0:
		return "", &Error{Fault: Empty}
	case len(data) > MaxBytes:
		return "", &Error{Fault: TooLarge}
	}
	found := mimetype.Detect(data).String()
	exts, ok := Types[found]
	if !ok {
		return "", &Error{Fault: NotAnImage, Type: found}
	}
	if ext := strings.ToLower(filepath.Ext(name)); ext != "" && !contains(exts, ext) {
		return "", &Error{Fault: TypeLies, Type: found, Claimed: ext}
	}
	declared = strings.ToLower(strings.TrimSpace(strings.Split(declared, ";")[0]))
	if strings.HasPrefix(declared, "image/") && declared != found && !(declared == "image/jpg" && found == "image/jpeg") {
		return "", &Error{Fault: TypeLies, Type: found, Claimed: declared}
	}
	return found, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Process checks an upload and makes its renditions. The size in pixels
// is read from the header and refused before the image is decoded.
func Process(name, declared string, data []byte) (*Photo, error) {
	typ, cfg, err := check(name, declared, data)
	if err != nil {
		return nil, err
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, &Error{Fault: Unreadable, Type: typ}
	}
	orientation := 1
	if typ == "image/jpeg" {
		orientation = Orientation(data)
	}
	w, h := cfg.Width, cfg.Height
	if orientation >= 5 {
		w, h = h, w
	}
	p := &Photo{Width: w, Height: h, Type: typ}
	// The widest rendition is drawn from the upload, the others from it:
	// a kernel over the whole upload once, not once per width.
	widths := renditionWidths(w)
	top := widths[len(widths)-1]
	largest := orient(scale(src, orientation, top, max(1, h*top/w)), orientation)
	for _, rw := range widths {
		img := largest
		if rw != top {
			rh := max(1, h*rw/w)
			dst := image.NewRGBA(image.Rect(0, 0, rw, rh))
			draw.CatmullRom.Scale(dst, dst.Bounds(), largest, largest.Bounds(), draw.Src, nil)
			img = dst
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: Quality}); err != nil {
			return nil, err
		}
		p.Renditions = append(p.Renditions, Rendition{Width: rw, Height: img.Bounds().Dy(), Data: buf.Bytes()})
	}
	return p, nil
}

// check finds an upload's type and its size in pixels from its header,
// and refuses it if either is not accepted.
func check(name, declared string, data []byte) (string, image.Config, error) {
	typ, err := Sniff(name, declared, data)
	if err != nil {
		return "", image.Config{}, err
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return "", image.Config{}, &Error{Fault: Unreadable, Type: typ}
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return "", image.Config{}, &Error{Fault: TooManyPixels, Type: typ, Width: cfg.Width, Height: cfg.Height}
	}
	return typ, cfg, nil
}

// renditionWidths are the widths a photo w pixels wide is served at.
func renditionWidths(w int) []int {
	if top := Widths[len(Widths)-1]; w >= top {
		return append([]int(nil), Widths...)
	}
	var out []int
	for _, x := range Widths {
		if x < w {
			out = append(out, x)
		}
	}
	return append(out, w)
}

// scale draws src, as stored (before its orientation is applied), at the
// size that becomes w × h once oriented, over white: a transparent PNG
// becomes a JPEG on a white page.
func scale(src image.Image, orientation, w, h int) *image.RGBA {
	if orientation >= 5 {
		w, h = h, w
	}
	// A kernel over twelve megapixels takes seconds; averaging blocks of
	// k × k pixels first (a box filter, which loses nothing a smaller
	// image would show) leaves the kernel less than a factor of two.
	src = shrink(src, w, h)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	op := draw.Src
	if o, ok := src.(interface{ Opaque() bool }); !ok || !o.Opaque() {
		draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
		op = draw.Over
	}
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), op, nil)
	return dst
}

// shrink divides src by the largest whole factor that keeps it at least
// w × h, each pixel the mean of its block (alpha premultiplied, as
// image.RGBA keeps it); src itself when no factor of 2 or more fits.
func shrink(src image.Image, w, h int) image.Image {
	b := src.Bounds()
	k := min(b.Dx()/w, b.Dy()/h)
	if k < 2 {
		return src
	}
	if y, ok := src.(*image.YCbCr); ok {
		// A JPEG: averaged straight from its planes, without a copy of
		// the whole photo in RGBA first (48 MB for 12 megapixels).
		return shrinkYCbCr(y, k)
	}
	full, ok := src.(*image.RGBA)
	if !ok || b.Min != (image.Point{}) {
		full = image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(full, full.Bounds(), src, b.Min, draw.Src)
	}
	sw, sh := b.Dx()/k, b.Dy()/k
	dst := image.NewRGBA(image.Rect(0, 0, sw, sh))
	n := uint32(k * k)
	for y := range sh {
		for x := range sw {
			var sum [4]uint32
			for dy := range k {
				row := full.Pix[full.PixOffset(x*k, y*k+dy):]
				for i := 0; i < 4*k; i += 4 {
					sum[0] += uint32(row[i])
					sum[1] += uint32(row[i+1])
					sum[2] += uint32(row[i+2])
					sum[3] += uint32(row[i+3])
				}
			}
			o := dst.PixOffset(x, y)
			for c := range 4 {
				dst.Pix[o+c] = uint8(sum[c] / n)
			}
		}
	}
	return dst
}

// shrinkYCbCr is shrink for a decoded JPEG: each pixel of the result the
// mean, in RGB, of a k × k block of src.
func shrinkYCbCr(src *image.YCbCr, k int) *image.RGBA {
	b := src.Bounds()
	sw, sh := b.Dx()/k, b.Dy()/k
	dst := image.NewRGBA(image.Rect(0, 0, sw, sh))
	n := uint32(k * k)
	for y := range sh {
		for x := range sw {
			var sr, sg, sb uint32
			for dy := range k {
				py := b.Min.Y + y*k + dy
				for dx := range k {
					px := b.Min.X + x*k + dx
					yi, ci := src.YOffset(px, py), src.COffset(px, py)
					r, g, bl := color.YCbCrToRGB(src.Y[yi], src.Cb[ci], src.Cr[ci])
					sr += uint32(r)
					sg += uint32(g)
					sb += uint32(bl)
				}
			}
			o := dst.PixOffset(x, y)
			dst.Pix[o], dst.Pix[o+1], dst.Pix[o+2], dst.Pix[o+3] = uint8(sr/n), uint8(sg/n), uint8(sb/n), 255
		}
	}
	return dst
}

// orient turns and flips an image as its EXIF orientation says (1 to 8),
// so that it reads upright once the EXIF is gone.
func orient(src *image.RGBA, o int) *image.RGBA {
	if o < 2 || o > 8 {
		return src
	}
	sw, sh := src.Bounds().Dx(), src.Bounds().Dy()
	dw, dh := sw, sh
	if o >= 5 {
		dw, dh = sh, sw
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range dh {
		for x := range dw {
			var sx, sy int
			switch o {
			case 2:
				sx, sy = sw-1-x, y
			case 3:
				sx, sy = sw-1-x, sh-1-y
			case 4:
				sx, sy = x, sh-1-y
			case 5:
				sx, sy = y, x
			case 6:
				sx, sy = y, sh-1-x
			case 7:
				sx, sy = sw-1-y, sh-1-x
			case 8:
				sx, sy = sw-1-y, x
			}
			si, di := src.PixOffset(sx, sy), dst.PixOffset(x, y)
			copy(dst.Pix[di:di+4], src.Pix[si:si+4])
		}
	}
	return dst
}
