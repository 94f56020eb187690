package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/contactimport"
	"github.com/rencontres/rencontres/internal/export"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/sheet"
)

// ContactImporter is what the import of a contact list reads and writes.
type ContactImporter interface {
	contactimport.Source
	ImportContacts(ctx context.Context, actor *rencontres.Actor, file string, contacts []rencontres.ContactImport) (created, updated int, err error)
}

// ImportPreview is the answer of a dry run: the import's id, to confirm it
// with, whether it may be written as it is, and the preview, each problem
// with its message in the client's language.
type ImportPreview struct {
	ID    string `json:"id"`
	Ready bool   `json:"ready"`
	*contactimport.Preview
	Messages []ImportMessage `json:"messages"`
}

// ImportMessage is a problem of the file said in words.
type ImportMessage struct {
	Line    int         `json:"line"`
	Column  int         `json:"column"`
	Field   sheet.Field `json:"field,omitempty"`
	Message string      `json:"message"`
}

// ImportResult is the answer of an import written.
type ImportResult struct {
	ID      string `json:"id"`
	Created int    `json:"created"`
	Updated int    `json:"updated"`
}

// ImportConfirm is the body of POST /api/v1/imports/{id}/confirm: the
// choices a dry run left open.
type ImportConfirm struct {
	Sheet    string         `json:"sheet,omitempty"`
	Encoding string         `json:"encoding,omitempty"`
	Mapping  []sheet.Field  `json:"mapping,omitempty"`
	Choices  map[int]string `json:"choices,omitempty"`
}

func (a *API) registerImports(route func(method, pattern string, perm rencontres.Permission, h handler)) {
	route("POST", "/api/v1/imports", rencontres.ManagePeople, a.createImport)
	route("POST", "/api/v1/imports/{id}/confirm", rencontres.ManagePeople, a.confirmImport)
}

func (a *API) createImport(w http.ResponseWriter, r *http.Request) (any, error) {
	actor := auth.ActorFrom(r.Context())
	f, h, err := r.FormFile("file")
	if nerr := rencontres.RefuseNulForm(r.MultipartForm, f); nerr != nil {
		return nil, nerr
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, a.fileError(r, &sheet.Error{Key: "too_large", Args: map[string]any{"Max": sheet.MaxBytes >> 20}})
		}
		return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.required", Field: "file",
			Message: "send the file as multipart/form-data in the field \"file\""}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, sheet.MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if r.FormValue("kind") == "partnerships" {
		return a.importPartnerships(r, data)
	}
	req := contactimport.Request{Data: data, Sheet: r.FormValue("sheet"), Encoding: r.FormValue("encoding")}
	pv, err := contactimport.Prepare(r.Context(), a.imports, req)
	if err != nil {
		return nil, a.fileError(r, err)
	}
	up, err := a.uploads.Save(h.Filename, actor.User.ID, "contacts", data)
	if err != nil {
		return nil, err
	}
	if dry, _ := strconv.ParseBool(r.FormValue("dry_run")); dry {
		return a.previewBody(r, up.Token, pv), nil
	}
	return a.writeImport(r, up, pv)
}

func (a *API) confirmImport(w http.ResponseWriter, r *http.Request) (any, error) {
	actor := auth.ActorFrom(r.Context())
	var body ImportConfirm
	if err := decode(r, &body); err != nil {
		return nil, err
	}
	for i, f := range body.Mapping {
		if !sheet.ValidField(f) {
			return nil, badParam("mapping", "error.bad_parameter", "Value", string(f), "Index", i)
		}
	}
	up, err := a.uploads.Load(r.PathValue("id"), actor.User.ID)
	if err != nil {
		return nil, err
	}
	pv, err := contactimport.Prepare(r.Context(), a.imports, contactimport.Request{Data: up.Data, Sheet: body.Sheet,
		Encoding: body.Encoding, Mapping: body.Mapping, Choices: body.Choices})
	if err != nil {
		return nil, a.fileError(r, err)
	}
	return a.writeImport(r, up, pv)
}

// writeImport writes a preview with no refused or ambiguous row; one with
// any is refused (422) with every problem, and nothing is written.
func (a *API) writeImport(r *http.Request, up *contactimport.Upload, pv *contactimport.Preview) (any, error) {
	if !pv.Ready() {
		body := a.previewBody(r, up.Token, pv)
		var errs []error
		for _, m := range body.Messages {
			errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "import.message", Field: string(m.Field),
				Message: m.Message, Args: map[string]any{"Text": m.Message}})
		}
		return nil, rencontres.Join(errs...)
	}
	created, updated, err := a.imports.ImportContacts(r.Context(), auth.ActorFrom(r.Context()), up.Name, pv.Writes())
	if err != nil {
		return nil, err
	}
	a.uploads.Remove(up.Token)
	return ImportResult{ID: up.Token, Created: created, Updated: updated}, nil
}

func (a *API) previewBody(r *http.Request, id string, pv *contactimport.Preview) ImportPreview {
	p := a.cat.Printer(clientLang(r))
	out := ImportPreview{ID: id, Ready: pv.Ready(), Preview: pv, Messages: []ImportMessage{}}
	add := func(pr contactimport.Problem) {
		out.Messages = append(out.Messages, ImportMessage{Line: pr.Line, Column: pr.Column, Field: pr.Field, Message: pr.Message(p, pv.Headers)})
	}
	for _, pr := range pv.Problems {
		add(pr)
	}
	for _, row := range pv.Rows {
		for _, pr := range row.Problems {
			add(pr)
		}
		if row.Status == contactimport.Ambiguous {
			add(contactimport.Problem{Line: row.Line, Key: "ambiguous"})
		}
	}
	return out
}

// fileError is a file that cannot be read, as an API error naming the
// file field.
func (a *API) fileError(r *http.Request, err error) error {
	var se *sheet.Error
	if !errors.As(err, &se) {
		return err
	}
	msg := contactimport.FileError(a.cat.Printer(clientLang(r)), err)
	return &rencontres.Error{Code: rencontres.EINVALID, Key: "import.message", Field: "file", Message: msg, Args: map[string]any{"Text": msg}}
}

// exportDirectory sends the directory a filter selects as CSV or .xlsx,
// with stable column keys (those an import reads); the secretariat's has
// each authority's contacts.
func (a *API) exportDirectory(w http.ResponseWriter, r *http.Request, f rencontres.OrgFilter, format string) error {
	var contacts map[string][]*rencontres.KnownContact
	if auth.ActorFrom(r.Context()).Can(rencontres.ManagePeople, rencontres.Target{}) {
		known, err := a.imports.KnownContacts(r.Context())
		if err != nil {
			return err
		}
		contacts = export.ContactsByOrganisation(known)
	}
	rd := export.Reader{P: a.cat.Printer(clientLang(r)), API: true}
	w.Header().Set("Content-Type", export.ContentType(format))
	w.Header().Set("Content-Disposition", `attachment; filename="directory.`+format+`"`)
	return export.DirectoryColumns(rd, contacts != nil).Stream(w, format, export.DirectoryRowsOf(r.Context(), a.lists, f, rd, contacts))
}
