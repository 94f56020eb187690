package letter

import "github.com/rencontres/rencontres/internal/rencontres"

// Letter is one rendered letter, ready to be written as text, HTML or PDF:
// every field is filled and the language's typography applied, so the
// three outputs cannot disagree.
type Letter struct {
	Lang       rencontres.Lang
	Letterhead []Organiser
	Blocks     []Block
	// Missing lists the fields this recipient had no value for, which the
	// letter shows as [name]; a letter with any is not fit to send.
	Missing []string
}

// Kind says what a block is, which decides its place and alignment.
type Kind string

// The kinds of block, in the order a letter usually has them.
const (
	KindAddress     Kind = "address"     // the addressee: name, function, authority
	KindDate        Kind = "date"        // « Paris, le 11 juillet 2023 », flush right
	KindSender      Kind = "sender"      // the senders of a Japanese letter, flush right
	KindSubject     Kind = "subject"     // « Objet : … »; centred in Japanese
	KindSalutation  Kind = "salutation"  // « Madame, Monsieur, »
	KindParagraph   Kind = "paragraph"   // body text, justified
	KindItem        Kind = "item"        // one item of a list
	KindCentre      Kind = "centre"      // 記
	KindRight       Kind = "right"       // 敬具, 以上
	KindClosing     Kind = "closing"     // the closing formula
	KindSignatures  Kind = "signatures"  // one or two signature blocks, side by side
	KindAttachments Kind = "attachments" // « PJ : » then one line per attachment
)

// Block is a part of a letter: lines of runs. Lines are the hard line
// breaks of the source; the PDF wraps each to its width.
type Block struct {
	Kind  Kind
	Lines []Line
	// Signatures are the blocks of a KindSignatures block.
	Signatures []Signature
}

// Line is a sequence of runs, without a line break.
type Line []Run

// Run is text in one style.
type Run struct {
	Text  string
	Style Style
	// Href makes the run a link (the personal registration link, a URL or
	// an e-mail address written in the text).
	Href string
	// Missing marks the placeholder of a field with no value.
	Missing bool
}

// Style is a run's typographic style; styles combine.
type Style uint8

// Styles.
const (
	Bold Style = 1 << iota
	// Sup raises the run: the « e » of « 8e ».
	Sup
)

// Signature is one signatory's block: the name, then the functions, one
// per line.
type Signature struct {
	Name     string
	Function []string
}

// Organiser is one column of the letterhead: an organiser's name, then
// lines under it (what it is, its address).
type Organiser struct {
	Name  string   `json:"name"`
	Lines []string `json:"lines,omitempty"`
}

// String returns the line's text.
func (l Line) String() string {
	n := 0
	for _, r := range l {
		n += len(r.Text)
	}
	b := make([]byte, 0, n)
	for _, r := range l {
		b = append(b, r.Text...)
	}
	return string(b)
}
