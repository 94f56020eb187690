package mail

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"

	gomail "github.com/wneessen/go-mail"
	"golang.org/x/text/unicode/norm"
)

// SafeFilename makes a file name any system can save: no path separators,
// no characters Windows refuses, no control characters, no leading dots
// or trailing spaces; a name left empty is « document ».
func SafeFilename(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.IsControl(r):
			b.WriteRune(' ')
		case strings.ContainsRune(`/\:*?"<>|`, r):
			b.WriteRune('-')
		default:
			b.WriteRune(r)
		}
	}
	s := strings.Join(strings.Fields(b.String()), " ")
	s = strings.TrimLeft(s, ". ")
	s = strings.TrimRight(s, ". ")
	if s == "" {
		return "document"
	}
	return s
}

// asciiFilename is a file name in ASCII for mail readers that do not read
// RFC 2231: accents dropped (« Lettre d’invitation — Ville de Nancy »
// gives « Lettre d'invitation - Ville de Nancy »), other letters replaced.
func asciiFilename(name string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(name) {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r):
		case r == '’' || r == '‘':
			b.WriteByte('\'')
		case r == '—' || r == '–':
			b.WriteByte('-')
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// withFilename names an attachment in its Content-Disposition: a plain
// quoted name when ASCII; otherwise an ASCII stand-in followed by the
// real name encoded as RFC 2231 says (filename*=UTF-8”…), in pieces
// short enough for a header line, which mail readers prefer to the
// encoded words go-mail would put inside the quotes.
func withFilename(name string) gomail.FileOption {
	return func(f *gomail.File) {
		f.Name = asciiFilename(name)
		if f.Name == name {
			return
		}
		if f.Header == nil {
			f.Header = map[string][]string{}
		}
		enc := strings.ReplaceAll(url.PathEscape(name), "'", "%27")
		enc = strings.NewReplacer(";", "%3B", ",", "%2C", "=", "%3D", "&", "%26", "+", "%2B", "$", "%24", "@", "%40").Replace(enc)
		var parts []string
		for i := 0; len(enc) > 0; i++ {
			n := min(len(enc), 60)
			// A piece never splits a %XX escape.
			if j := strings.LastIndexByte(enc[:n], '%'); j > n-3 && n < len(enc) {
				n = j
			}
			prefix := ""
			if i == 0 {
				prefix = "UTF-8''"
			}
			parts = append(parts, "filename*"+strconv.Itoa(i)+"*="+prefix+enc[:n])
			enc = enc[n:]
		}
		f.Header.Set("Content-Disposition", `attachment; filename="`+f.Name+`"; `+strings.Join(parts, "; "))
	}
}
