// Package phototest builds the images the tests of uploads need, byte by
// byte where no encoder would write them: a JPEG carrying the place it
// was taken, a PNG whose header claims 50 megapixels.
package phototest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
)

// Latitude and Longitude are the place the EXIF of JPEGWithGPS names: the
// Hôtel de ville of Aix-en-Provence, 43°31′N 5°26′E.
const (
	Latitude  = 43
	Longitude = 5
)

// Image is a w × h picture whose top-left quarter is red and the rest
// blue, so that a test can tell which way up it is.
func Image(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{0, 0, 200, 255}
			if x < w/2 && y < h/2 {
				c = color.RGBA{220, 0, 0, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

// JPEG encodes Image(w, h).
func JPEG(w, h int) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, Image(w, h), &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// PNG encodes Image(w, h).
func PNG(w, h int) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, Image(w, h)); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// JPEGWithGPS is JPEG(w, h) with an APP1 EXIF segment, as a camera writes
// it, right after the start of the image: the orientation given, a camera
// make, and a GPS IFD holding the latitude and longitude of the place.
func JPEGWithGPS(w, h, orientation int) []byte {
	src := JPEG(w, h)
	be := binary.BigEndian
	// The TIFF structure, big-endian: header, IFD0 with 3 entries, the
	// make's text, the GPS IFD with 4 entries, its rationals.
	var t bytes.Buffer
	t.WriteString("MM\x00\x2a")
	binary.Write(&t, be, uint32(8))
	const ifd0 = 8
	const ifd0Len = 2 + 3*12 + 4
	makeOff := ifd0 + ifd0Len
	makeText := "Rencontres test camera\x00"
	gpsOff := makeOff + len(makeText)
	const gpsLen = 2 + 4*12 + 4
	latOff := gpsOff + gpsLen
	lonOff := latOff + 24
	entry := func(tag, typ uint16, count, value uint32) {
		binary.Write(&t, be, tag)
		binary.Write(&t, be, typ)
		binary.Write(&t, be, count)
		binary.Write(&t, be, value)
	}
	binary.Write(&t, be, uint16(3))
	entry(0x010F, 2, uint32(len(makeText)), uint32(makeOff)) // Make
	entry(0x0112, 3, 1, uint32(orientation)<<16)             // Orientation, a SHORT left-aligned
	entry(0x8825, 4, 1, uint32(gpsOff))                      // GPSInfo
	binary.Write(&t, be, uint32(0))
	t.WriteString(makeText)
	binary.Write(&t, be, uint16(4))
	entry(0x0001, 2, 2, uint32('N')<<24) // GPSLatitudeRef
	entry(0x0002, 5, 3, uint32(latOff))  // GPSLatitude
	entry(0x0003, 2, 2, uint32('E')<<24) // GPSLongitudeRef
	entry(0x0004, 5, 3, uint32(lonOff))  // GPSLongitude
	binary.Write(&t, be, uint32(0))
	for _, deg := range []uint32{Latitude, Longitude} {
		for _, r := range [][2]uint32{{deg, 1}, {31, 1}, {0, 1}} {
			binary.Write(&t, be, r[0])
			binary.Write(&t, be, r[1])
		}
	}
	payload := append([]byte("Exif\x00\x00"), t.Bytes()...)
	var out bytes.Buffer
	out.Write(src[:2]) // SOI
	out.Write([]byte{0xFF, 0xE1})
	binary.Write(&out, be, uint16(len(payload)+2))
	out.Write(payload)
	out.Write(src[2:])
	return out.Bytes()
}

// PNGHeader is the start of a PNG whose IHDR says w × h pixels, followed
// by an empty IDAT: enough for a decoder's header reading, far too little
// to decode, as a huge upload cut short would be.
func PNGHeader(w, h int) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		binary.Write(&b, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 2 // 8 bits, RGB
	chunk("IHDR", ihdr)
	chunk("IDAT", nil)
	return b.Bytes()
}
