package main

import (
	"html"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/letter"
)

// fodt writes a rendered letter as a flat OpenDocument text, the form in
// which LibreOffice gets the same letter as our PDF writer: same text and
// runs, same font (Noto Serif JP), A4 with the same margins, the date
// flush right, justified paragraphs, the letterhead and the signatures in
// two-column tables. It stands for the Word or Writer mail merge the
// secretariats convert today.
func fodt(l *letter.Letter) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls><style:font-face style:name="Noto Serif JP" svg:font-family="'Noto Serif JP'"/></office:font-face-decls>
<office:styles><style:default-style style:family="paragraph"><style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.2cm"/><style:text-properties style:font-name="Noto Serif JP" style:font-name-asian="Noto Serif JP" fo:font-size="10.5pt" style:font-size-asian="10.5pt" fo:language="` + string(l.Lang) + `"/></style:default-style></office:styles>
<office:automatic-styles>
<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.5cm" fo:margin-bottom="2.2cm" fo:margin-left="2.5cm" fo:margin-right="2cm"/></style:page-layout>
<style:style style:name="P" style:family="paragraph"><style:paragraph-properties fo:text-align="justify"/></style:style>
<style:style style:name="R" style:family="paragraph"><style:paragraph-properties fo:text-align="end"/></style:style>
<style:style style:name="C" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/></style:style>
<style:style style:name="A" style:family="paragraph"><style:paragraph-properties fo:margin-left="7.5cm"/></style:style>
<style:style style:name="L" style:family="paragraph"><style:paragraph-properties fo:margin-left="0.4cm" fo:text-indent="-0.4cm"/></style:style>
<style:style style:name="B" style:family="text"><style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
<style:style style:name="S" style:family="text"><style:text-properties style:text-position="super 58%"/></style:style>
<style:style style:name="BS" style:family="text"><style:text-properties fo:font-weight="bold" style:font-weight-asian="bold" style:text-position="super 58%"/></style:style>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/></office:master-styles>
<office:body><office:text>
`)
	if len(l.Letterhead) > 0 {
		var cols [][]letter.Line
		for _, o := range l.Letterhead {
			col := []letter.Line{{{Text: o.Name, Style: letter.Bold}}}
			for _, s := range o.Lines {
				col = append(col, letter.Line{{Text: s}})
			}
			cols = append(cols, col)
		}
		table(&b, cols)
	}
	for _, blk := range l.Blocks {
		style := map[letter.Kind]string{letter.KindDate: "R", letter.KindSender: "R", letter.KindRight: "R", letter.KindCentre: "C",
			letter.KindAddress: "A", letter.KindItem: "L", letter.KindParagraph: "P", letter.KindClosing: "P"}[blk.Kind]
		if len(blk.Lines) > 1 && style == "P" || blk.Kind == letter.KindAddress && l.Lang == "ja" {
			style = "" // LibreOffice would justify lines ended by a break
		}
		switch blk.Kind {
		case letter.KindSignatures:
			var cols [][]letter.Line
			for _, s := range blk.Signatures {
				col := []letter.Line{{{Text: s.Name, Style: letter.Bold}}}
				for _, f := range s.Function {
					col = append(col, letter.Line{{Text: f}})
				}
				cols = append(cols, col)
			}
			b.WriteString("<text:p/><text:p/><text:p/>")
			table(&b, cols)
		case letter.KindAttachments:
			para(&b, "", blk.Lines[:1], "")
			for _, line := range blk.Lines[1:] {
				para(&b, "L", []letter.Line{line}, "– ")
			}
		case letter.KindItem:
			para(&b, style, blk.Lines, "– ")
		default:
			para(&b, style, blk.Lines, "")
		}
	}
	b.WriteString("</office:text></office:body></office:document>\n")
	return b.String()
}

func para(b *strings.Builder, style string, lines []letter.Line, mark string) {
	b.WriteString(`<text:p`)
	if style != "" {
		b.WriteString(` text:style-name="` + style + `"`)
	}
	b.WriteString(`>` + html.EscapeString(mark))
	for i, line := range lines {
		if i > 0 {
			b.WriteString(`<text:line-break/>`)
		}
		for _, r := range line {
			t := html.EscapeString(r.Text)
			switch {
			case r.Style&letter.Bold != 0 && r.Style&letter.Sup != 0:
				t = `<text:span text:style-name="BS">` + t + `</text:span>`
			case r.Style&letter.Bold != 0:
				t = `<text:span text:style-name="B">` + t + `</text:span>`
			case r.Style&letter.Sup != 0:
				t = `<text:span text:style-name="S">` + t + `</text:span>`
			}
			b.WriteString(t)
		}
	}
	b.WriteString("</text:p>\n")
}

// table sets columns of lines side by side.
func table(b *strings.Builder, cols [][]letter.Line) {
	b.WriteString(`<table:table><table:table-column table:number-columns-repeated="` + itoa(len(cols)) + `"/><table:table-row>`)
	for _, col := range cols {
		b.WriteString(`<table:table-cell>`)
		for _, line := range col {
			para(b, "", []letter.Line{line}, "")
		}
		b.WriteString(`</table:table-cell>`)
	}
	b.WriteString("</table:table-row></table:table>\n")
}

func itoa(n int) string { return strconv.Itoa(n) }
