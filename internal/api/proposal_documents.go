package api

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/practice"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// A proposal's documents and images, added and removed by its authors
// while they may change it (the proposal lists them; the site serves
// them).
func (a *API) registerProposalDocuments(route func(method, pattern string, perm rencontres.Permission, h handler)) {
	if a.prac == nil {
		return
	}
	route("POST", "/api/v1/proposals/{proposal}/documents", rencontres.ProposePractices, a.addProposalDocument)
	route("DELETE", "/api/v1/proposals/{proposal}/documents/{document}", rencontres.ProposePractices, a.deleteProposalDocument)
}

func (a *API) addProposalDocument(w http.ResponseWriter, r *http.Request) (any, error) {
	p, err := a.pathProposal(r)
	if err != nil {
		return nil, err
	}
	r.Body = http.MaxBytesReader(w, r.Body, rencontres.MaxDocumentSize+64<<10)
	f, h, err := r.FormFile("file")
	if nerr := rencontres.RefuseNulForm(r.MultipartForm, f); nerr != nil {
		return nil, nerr
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.file_too_large", Field: "file",
				Message: "the file is too large", Args: map[string]any{"Max": rencontres.MaxDocumentSize >> 20}}
		}
		return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.required", Field: "file",
			Message: "send the document as multipart/form-data in the field \"file\""}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, rencontres.MaxDocumentSize+1))
	if err != nil {
		return nil, err
	}
	d, err := a.prac.AddDocument(r.Context(), auth.ActorFrom(r.Context()), p.ID, practice.File{Name: h.Filename, Data: data})
	if err != nil {
		return nil, err
	}
	a.audit(r, "proposal.document_add", "proposal", p.ID, map[string]any{"document": d.ID, "name": d.Name, "type": d.ContentType})
	return created(d), nil
}

func (a *API) deleteProposalDocument(w http.ResponseWriter, r *http.Request) (any, error) {
	p, err := a.pathProposal(r)
	if err != nil {
		return nil, err
	}
	id, err := strconv.ParseInt(r.PathValue("document"), 10, 64)
	if err != nil {
		return nil, rencontres.NotFound("document")
	}
	if err := a.prac.DeleteDocument(r.Context(), auth.ActorFrom(r.Context()), p.ID, id); err != nil {
		return nil, err
	}
	a.audit(r, "proposal.document_delete", "proposal", p.ID, map[string]any{"document": id})
	return noContent, nil
}
