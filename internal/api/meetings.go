package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// A meeting's own endpoints are here: its agenda, decisions and
// documents, split from events.go to keep files short.

// AgendaList is the body of GET /api/v1/events/{id}/agenda.
type AgendaList struct {
	Items []*rencontres.AgendaItem `json:"items"`
}

func (a *API) listAgenda(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.visibleEvent(r)
	if err != nil {
		return nil, err
	}
	items, err := a.events.AgendaItems(r.Context(), e.ID)
	return AgendaList{orEmpty(items)}, err
}

func (a *API) saveAgendaItem(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.visibleEvent(r)
	if err != nil {
		return nil, err
	}
	var item rencontres.AgendaItem
	if err := decode(r, &item); err != nil {
		return nil, err
	}
	item.EventID, item.Documents = e.ID, nil
	if item.ID, err = optionalID(r, "item"); err != nil {
		return nil, err
	}
	isNew := item.ID == 0
	if err := a.events.SaveAgendaItem(r.Context(), &item); err != nil {
		return nil, err
	}
	a.audit(r, "agenda.save", "agenda_item", item.ID, nil)
	return saved(isNew, item), nil
}

func (a *API) deleteAgendaItem(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.visibleEvent(r)
	if err != nil {
		return nil, err
	}
	id, err := pathID(r, "item")
	if err != nil {
		return nil, err
	}
	if err := a.events.DeleteAgendaItem(r.Context(), e.ID, id); err != nil {
		return nil, err
	}
	a.audit(r, "agenda.delete", "agenda_item", id, nil)
	return noContent, nil
}

// DecisionList is the body of GET /api/v1/events/{id}/decisions.
type DecisionList struct {
	Decisions []*rencontres.Decision `json:"decisions"`
}

func (a *API) listDecisions(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.visibleEvent(r)
	if err != nil {
		return nil, err
	}
	ds, err := a.events.Decisions(r.Context(), e.ID)
	return DecisionList{orEmpty(ds)}, err
}

func (a *API) saveDecision(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.visibleEvent(r)
	if err != nil {
		return nil, err
	}
	var d rencontres.Decision
	if err := decode(r, &d); err != nil {
		return nil, err
	}
	d.EventID = e.ID
	if d.ID, err = optionalID(r, "decision"); err != nil {
		return nil, err
	}
	isNew := d.ID == 0
	if err := a.events.SaveDecision(r.Context(), &d); err != nil {
		return nil, err
	}
	a.audit(r, "decision.save", "decision", d.ID, map[string]any{"status": string(d.Status)})
	return saved(isNew, d), nil
}

// DocumentList is the body of GET /api/v1/events/{id}/documents.
type DocumentList struct {
	Documents []*rencontres.Document `json:"documents"`
}

func (a *API) listDocuments(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.visibleEvent(r)
	if err != nil {
		return nil, err
	}
	docs, err := a.events.Documents(r.Context(), e.ID)
	if err != nil {
		return nil, err
	}
	actor := auth.ActorFrom(r.Context())
	out := DocumentList{Documents: []*rencontres.Document{}}
	for _, d := range docs {
		if actor.CanSeeDocument(e, d) {
			out.Documents = append(out.Documents, d)
		}
	}
	return out, nil
}

// uploadDocument takes a multipart form: the file in "file", its title
// in "title_fr", "title_ja" and "title_en" (one at least), and optionally
// "agenda_item" and "public".
func (a *API) uploadDocument(w http.ResponseWriter, r *http.Request) (any, error) {
	e, err := a.visibleEvent(r)
	if err != nil {
		return nil, err
	}
	d, data, err := ReadUpload(w, r)
	if err != nil {
		return nil, err
	}
	d.EventID = e.ID
	if err := a.events.SaveDocument(r.Context(), d, data, actorID(r)); err != nil {
		return nil, err
	}
	a.audit(r, "document.upload", "document", d.ID, map[string]any{"name": d.Name, "type": d.ContentType})
	return created(d), nil
}

// ReadUpload reads a document sent as multipart/form-data, up to the
// largest size a document may have; the site's form uses it too.
func ReadUpload(w http.ResponseWriter, r *http.Request) (*rencontres.Document, []byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, rencontres.MaxDocumentSize+64<<10)
	// Every fault of the upload is told at once: no file, no title, an
	// agenda item that is not one. A body over the limit stops at once.
	var faults []error
	f, h, err := r.FormFile("file")
	if nerr := rencontres.RefuseNulForm(r.MultipartForm, f); nerr != nil {
		return nil, nil, nerr
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.file_too_large", Field: "file",
				Message: "the file is too large", Args: map[string]any{"Max": rencontres.MaxDocumentSize >> 20}}
		}
		faults = append(faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.required", Field: "file",
			Message: "send the document as multipart/form-data in the field \"file\""})
	}
	var data []byte
	d := &rencontres.Document{Public: r.FormValue("public") == "true" || r.FormValue("public") == "on", Title: rencontres.Text{}}
	if f != nil {
		defer f.Close()
		if data, err = io.ReadAll(io.LimitReader(f, rencontres.MaxDocumentSize+1)); err != nil {
			return nil, nil, err
		}
		d.Name = h.Filename
	}
	for _, l := range rencontres.Langs {
		if v := strings.TrimSpace(r.FormValue("title_" + string(l))); v != "" {
			d.Title[l] = v
		}
	}
	// The title names the document in campaigns' attachments and letters'
	// « PJ : » lists, where a file name such as « odj_v3_final.pdf » would
	// not do.
	if d.Title.IsZero() {
		faults = append(faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "sending.document_title_required", Field: "title_fr",
			Message: "give the document a title in one language at least (title_fr, title_ja, title_en)"})
	}
	if v := r.FormValue("agenda_item"); v != "" && v != "0" {
		if d.AgendaItem, err = strconv.ParseInt(v, 10, 64); err != nil {
			faults = append(faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_agenda_item", Field: "agenda_item", Message: "not an agenda item"})
		}
	}
	if err := rencontres.Join(faults...); err != nil {
		return nil, nil, err
	}
	return d, data, nil
}

func (a *API) getDocument(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := pathID(r, "document")
	if err != nil {
		return nil, err
	}
	d, data, err := a.events.Document(r.Context(), id)
	if err != nil {
		return nil, err
	}
	e, err := a.events.Event(r.Context(), d.EventID)
	if err != nil {
		return nil, err
	}
	if !auth.ActorFrom(r.Context()).CanSeeDocument(e, d) {
		return nil, rencontres.NotFound("document")
	}
	ServeDocument(w, d, data)
	return nil, nil
}

// ServeDocument writes a document with the type found in its content, as
// an attachment, never to be sniffed or run by the browser.
func ServeDocument(w http.ResponseWriter, d *rencontres.Document, data []byte) {
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="document-%d%s"; filename*=UTF-8''%s`, d.ID, extOf(d.Name), pathEscape(d.Name)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	w.Write(data)
}

func extOf(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 && len(name)-i <= 6 {
		return strings.ToLower(name[i:])
	}
	return ""
}

// pathEscape encodes a file name for filename* (RFC 5987).
func pathEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
