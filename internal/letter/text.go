package letter

import (
	"strings"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// bullet is the mark of a list item: the French tiret, the Japanese
// nakaguro, the English bullet.
func bullet(lang rencontres.Lang) string {
	switch lang {
	case rencontres.French:
		return "–\u00a0"
	case rencontres.Japanese:
		return "・"
	}
	return "•\u00a0"
}

// Text writes a letter as plain text, for e-mails and tests: blocks
// separated by a blank line (the items of a list by a line break),
// signatures one after the other. The letterhead is left out: an e-mail
// has its sender. Superscripts are plain (« 8e »), as French writes them
// without typesetting.
func Text(l *Letter) string {
	var b strings.Builder
	for i, blk := range l.Blocks {
		if i > 0 {
			if blk.Kind == KindItem && l.Blocks[i-1].Kind == KindItem {
				b.WriteString("\n")
			} else {
				b.WriteString("\n\n")
			}
		}
		switch blk.Kind {
		case KindSignatures:
			for j, s := range blk.Signatures {
				if j > 0 {
					b.WriteString("\n\n")
				}
				b.WriteString(strings.Join(append([]string{s.Name}, s.Function...), "\n"))
			}
		case KindItem:
			for j, line := range blk.Lines {
				if j == 0 {
					b.WriteString(bullet(l.Lang))
				} else {
					b.WriteString("\n")
				}
				b.WriteString(line.String())
			}
		case KindAttachments:
			for j, line := range blk.Lines {
				if j > 0 {
					b.WriteString("\n" + bullet(l.Lang))
				}
				b.WriteString(line.String())
			}
		default:
			for j, line := range blk.Lines {
				if j > 0 {
					b.WriteString("\n")
				}
				b.WriteString(line.String())
			}
		}
	}
	b.WriteString("\n")
	return b.String()
}
