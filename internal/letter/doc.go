// Package letter writes the secretariat's letters: invitations to an
// edition or to a steering committee's meeting, in French, Japanese or
// English, one per recipient, as plain text (emails), HTML (the editor's
// live preview) and A4 PDF (one file per recipient, or one combined file
// for printing).
//
// A Template is written once per language. Its subject, salutation, body,
// closing, Japanese greeting and attachments are a small markup:
//
//   - paragraphs are separated by a blank line; inside a paragraph a line
//     break is kept as a line break (the meeting's day on one line, its
//     venue on the next);
//   - a line that starts with "- " is an item of a list;
//   - **text** is bold, and may span the lines of one paragraph;
//   - {{event.dates}} is a field, replaced by the recipient's value (the
//     list is Fields); spaces inside the braces are allowed;
//   - a paragraph that is exactly 記 is centred and one that is exactly 以上
//     is set flush right, as the meeting block of a Japanese letter.
//
// Nothing else is markup: no HTML, no escapes. Check refuses a template
// with an unknown field or an unclosed ** or {{, naming where.
//
// Render fills a template for one recipient (Data) and returns a Letter:
// blocks of lines of runs (plain, bold, superscript, link). French
// typography is applied to every French string, template text and field
// values alike (see typography.go); Japanese letters follow the business
// letter's order: date, addressee with 様 or 御中, sender, subject,
// 拝啓 … 敬具, 記 … 以上. The package is pure: no SQL, no HTTP.
package letter
