package photo

import "encoding/binary"

// Segments lists the markers of a JPEG's segments before its image data
// (0xE1 for an APP1, which holds EXIF), so that a test can see what a
// file carries besides pixels.
func Segments(data []byte) []byte {
	var out []byte
	walkSegments(data, func(marker byte, _ []byte) bool {
		out = append(out, marker)
		return true
	})
	return out
}

// walkSegments calls fn with each segment of a JPEG up to the start of
// its image data, until fn returns false.
func walkSegments(data []byte, fn func(marker byte, payload []byte) bool) {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return
	}
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return
		}
		marker := data[i+1]
		if marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7) {
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return
		}
		if !fn(marker, data[i+4:i+2+n]) || marker == 0xDA {
			return
		}
		i += 2 + n
	}
}

// Orientation reads the EXIF orientation of a JPEG (1 to 8); 1, upright,
// when it has none or it cannot be read.
func Orientation(data []byte) int {
	o := 1
	walkSegments(data, func(marker byte, p []byte) bool {
		if marker != 0xE1 || len(p) < 14 || string(p[:6]) != "Exif\x00\x00" {
			return true
		}
		if v, ok := exifTag(p[6:], 0x0112); ok && v >= 1 && v <= 8 {
			o = v
		}
		return false
	})
	return o
}

// HasEXIF reports whether a JPEG carries an EXIF segment, and in it a
// pointer to GPS data (the place the photo was taken).
func HasEXIF(data []byte) (exif, gps bool) {
	walkSegments(data, func(marker byte, p []byte) bool {
		if marker == 0xE1 && len(p) >= 6 && string(p[:6]) == "Exif\x00\x00" {
			exif = true
			_, gps = exifTag(p[6:], 0x8825)
		}
		return true
	})
	return exif, gps
}

// exifTag finds a SHORT or LONG tag of the first IFD of a TIFF structure.
func exifTag(tiff []byte, tag uint16) (int, bool) {
	if len(tiff) < 8 {
		return 0, false
	}
	var bo binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0, false
	}
	off := int(bo.Uint32(tiff[4:]))
	if off < 8 || off+2 > len(tiff) {
		return 0, false
	}
	n := int(bo.Uint16(tiff[off:]))
	for i := range n {
		e := off + 2 + 12*i
		if e+12 > len(tiff) {
			return 0, false
		}
		if bo.Uint16(tiff[e:]) != tag {
			continue
		}
		switch bo.Uint16(tiff[e+2:]) {
		case 3: // SHORT
			return int(bo.Uint16(tiff[e+8:])), true
		case 4: // LONG
			return int(bo.Uint32(tiff[e+8:])), true
		}
		return 0, false
	}
	return 0, false
}
