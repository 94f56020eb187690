package letter

import (
	"strings"

	"github.com/rencontres/rencontres/internal/i18n"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// renderer fills one template for one recipient.
type renderer struct {
	t       *Template
	d       *Data
	lang    rencontres.Lang
	p       *i18n.Printer
	src     map[string][]pblock
	missing []string
}

// compile parses every part of a template that holds markup.
func compile(t *Template) (map[string][]pblock, error) {
	src := map[string][]pblock{}
	for _, s := range t.sources() {
		b, err := parse(s.where, s.text)
		if err != nil {
			return nil, err
		}
		src[s.where] = b
	}
	return src, nil
}

// Render fills a template for one recipient. Fields the recipient has no
// value for are shown as [field] and listed in Letter.Missing, so that a
// preview shows what is lacking; Missing tells the same before sending.
// The error is Check's.
func Render(t *Template, d *Data) (*Letter, error) {
	if err := checkShape(t); err != nil {
		return nil, err
	}
	src, err := compile(t)
	if err != nil {
		return nil, err
	}
	r := &renderer{t: t, d: d, lang: t.Lang, p: catalogue().Printer(t.Lang), src: src}
	l := &Letter{Lang: t.Lang}
	for _, o := range t.Letterhead {
		org := Organiser{Name: r.line(text(o.Name)).String()}
		for _, s := range o.Lines {
			org.Lines = append(org.Lines, r.line(text(s)).String())
		}
		l.Letterhead = append(l.Letterhead, org)
	}
	if t.Lang == rencontres.Japanese {
		r.japanese(l)
	} else {
		r.western(l)
	}
	l.Missing = r.missing
	return l, nil
}

// western lays out a French or English letter as the seeds do: addressee,
// « Paris, le … », « Objet : », salutation, body, closing formula,
// signature blocks side by side, « PJ : ».
func (r *renderer) western(l *Letter) {
	rc := &r.d.Recipient
	var addr []Line
	name := strings.TrimSpace(r.civility() + " " + r.ownName())
	for _, s := range []string{name, rc.Function.In(r.lang), rc.Authority.In(r.lang)} {
		if s != "" {
			addr = append(addr, r.line(text(s)))
		}
	}
	if len(addr) > 0 {
		l.Blocks = append(l.Blocks, Block{Kind: KindAddress, Lines: addr})
	}
	l.Blocks = append(l.Blocks, Block{Kind: KindDate, Lines: []Line{r.line(text(r.dateLine()))}})
	label := map[rencontres.Lang]string{rencontres.French: "Objet :", rencontres.English: "Subject:"}[r.lang]
	subject := append(Line{{Text: label, Style: Bold}, {Text: " "}}, r.inline("subject")...)
	l.Blocks = append(l.Blocks, Block{Kind: KindSubject, Lines: []Line{r.line(subject)}})
	salutation := r.inline("salutation")
	if len(salutation) == 0 {
		salutation = text(r.salutation())
	}
	l.Blocks = append(l.Blocks, Block{Kind: KindSalutation, Lines: []Line{r.line(salutation)}})
	l.Blocks = append(l.Blocks, r.blocks("body")...)
	for _, b := range r.blocks("closing") {
		if b.Kind == KindParagraph {
			b.Kind = KindClosing
		}
		l.Blocks = append(l.Blocks, b)
	}
	if sig := r.signatures(); len(sig) > 0 {
		l.Blocks = append(l.Blocks, Block{Kind: KindSignatures, Signatures: sig})
	}
	r.attachments(l, map[rencontres.Lang]string{rencontres.French: "PJ :", rencontres.English: "Enclosures:"}[r.lang])
}

// japanese lays out a Japanese business letter: date, addressee with 様
// (or 御中 for an authority alone), senders, subject, 拝啓 and the
// greeting, body, closing, 敬具, then the 記 … 以上 block and attachments.
func (r *renderer) japanese(l *Letter) {
	rc := &r.d.Recipient
	l.Blocks = append(l.Blocks, Block{Kind: KindDate, Lines: []Line{text(r.date(r.d.Date))}})
	authority, function, name := rc.Authority.In(r.lang), rc.Function.In(r.lang), r.ownName()
	var addr []Line
	switch {
	case name != "" || function != "":
		if authority != "" {
			addr = append(addr, text(authority))
		}
		addr = append(addr, text(strings.TrimSpace(function+"　"+name)+" 様"))
	case authority != "":
		addr = append(addr, text(authority+" 御中"))
	}
	if len(addr) > 0 {
		l.Blocks = append(l.Blocks, Block{Kind: KindAddress, Lines: addr})
	}
	var sender []Line
	for _, s := range r.t.Signatories {
		for _, f := range s.Function {
			sender = append(sender, text(f))
		}
		sender = append(sender, text(s.Name))
	}
	if len(sender) > 0 {
		l.Blocks = append(l.Blocks, Block{Kind: KindSender, Lines: sender})
	}
	subject := r.inline("subject")
	for i := range subject {
		subject[i].Style |= Bold
	}
	l.Blocks = append(l.Blocks, Block{Kind: KindSubject, Lines: []Line{subject}})
	body := r.blocks("body")
	note := len(body) // the 記 block, which follows 敬具
	for i, b := range body {
		if b.Kind == KindCentre {
			note = i
			break
		}
	}
	if r.t.Frame {
		greeting := r.inline("greeting")
		if len(greeting) == 0 {
			greeting = text(SeasonalGreeting(r.d.Date.Month))
		}
		l.Blocks = append(l.Blocks, Block{Kind: KindParagraph, Lines: []Line{append(Line{{Text: "拝啓　"}}, greeting...)}})
	}
	for _, b := range body[:note] {
		l.Blocks = append(l.Blocks, indent(b))
	}
	for _, b := range r.blocks("closing") {
		if b.Kind == KindParagraph {
			b.Kind = KindClosing
		}
		l.Blocks = append(l.Blocks, indent(b))
	}
	if r.t.Frame {
		l.Blocks = append(l.Blocks, Block{Kind: KindRight, Lines: []Line{text("敬具")}})
	}
	l.Blocks = append(l.Blocks, body[note:]...)
	r.attachments(l, "添付資料")
}

// indent starts a Japanese paragraph with a full-width space (字下げ).
func indent(b Block) Block {
	if (b.Kind != KindParagraph && b.Kind != KindClosing) || len(b.Lines) == 0 {
		return b
	}
	if first := b.Lines[0].String(); !strings.HasPrefix(first, "\u3000") {
		b.Lines[0] = append(Line{{Text: "\u3000"}}, b.Lines[0]...)
	}
	return b
}

// dateLine is « Paris, le 11 juillet 2023 », « Paris, 11 July 2023 ».
func (r *renderer) dateLine() string {
	date := r.date(r.d.Date)
	if date == "" {
		return r.t.Place
	}
	if r.lang == rencontres.French {
		if r.t.Place == "" {
			return "Le " + date
		}
		return r.t.Place + ", le " + date
	}
	if r.t.Place == "" {
		return date
	}
	return r.t.Place + ", " + date
}

func (r *renderer) signatures() []Signature {
	var out []Signature
	for _, s := range r.t.Signatories {
		sig := Signature{Name: r.line(text(s.Name)).String()}
		for _, f := range s.Function {
			sig.Function = append(sig.Function, r.line(text(f)).String())
		}
		out = append(out, sig)
	}
	return out
}

func (r *renderer) attachments(l *Letter, label string) {
	if r.d.Attached != nil {
		if len(r.d.Attached) == 0 {
			return
		}
		b := Block{Kind: KindAttachments, Lines: []Line{r.line(text(label))}}
		for _, a := range r.d.Attached {
			b.Lines = append(b.Lines, r.line(text(a.In(r.lang))))
		}
		l.Blocks = append(l.Blocks, b)
		return
	}
	if len(r.t.Attachments) == 0 {
		return
	}
	b := Block{Kind: KindAttachments, Lines: []Line{r.line(text(label))}}
	for i := range r.t.Attachments {
		b.Lines = append(b.Lines, r.inline(sourceName("attachments", i)))
	}
	l.Blocks = append(l.Blocks, b)
}

// blocks fills a part of the template that has paragraphs.
func (r *renderer) blocks(where string) []Block {
	var out []Block
	for _, pb := range r.src[where] {
		b := Block{Kind: pb.kind}
		empty := true
		for _, segs := range pb.lines {
			l := r.line(r.fill(segs))
			b.Lines = append(b.Lines, l)
			empty = empty && strings.TrimSpace(l.String()) == ""
		}
		// A paragraph of optional fields with no value (meeting.within,
		// for a meeting held on its own) is left out, not left blank.
		if empty {
			continue
		}
		out = append(out, b)
	}
	return out
}

// inline fills a one-line part of the template (subject, salutation):
// its lines, if any, are joined by a space.
func (r *renderer) inline(where string) Line {
	var l Line
	for _, pb := range r.src[where] {
		for _, segs := range pb.lines {
			if len(l) > 0 {
				l = append(l, Run{Text: " "})
			}
			l = append(l, r.fill(segs)...)
		}
	}
	return r.line(l)
}

// fill replaces a line's fields with the recipient's values.
func (r *renderer) fill(segs []segment) Line {
	var l Line
	var style Style
	for _, s := range segs {
		style = 0
		if s.bold {
			style = Bold
		}
		if s.field == "" {
			l = append(l, Run{Text: s.text, Style: style})
			continue
		}
		f := fieldsByName[s.field]
		if !f.has(r.t, r.d) {
			r.miss(s.field)
			l = append(l, Run{Text: "[" + s.field + "]", Style: style, Missing: true})
			continue
		}
		for _, run := range f.value(r) {
			run.Style |= style
			l = append(l, run)
		}
	}
	return l
}

func (r *renderer) miss(field string) {
	for _, m := range r.missing {
		if m == field {
			return
		}
	}
	r.missing = append(r.missing, field)
}

// line applies the language's typography.
func (r *renderer) line(l Line) Line { return typeset(l, r.lang) }
