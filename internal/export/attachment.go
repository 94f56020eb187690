package export

import "net/http"

// SetAttachment names the file a response is, in a format "csv" or
// "xlsx", before it is written.
func SetAttachment(w http.ResponseWriter, name, format string) {
	h := w.Header()
	h.Set("Content-Type", ContentType(format))
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
}

// Send writes a table as an attachment in a format, "csv" or "xlsx".
func Send(w http.ResponseWriter, name, format string, t *Table) error {
	SetAttachment(w, name, format)
	return t.Write(w, format)
}
