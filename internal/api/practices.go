package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The library of good practices: public, like the pages
// /{lang}/practices; only accepted proposals whose decisions the
// secretariat released are read.
func (a *API) registerPractices(route func(method, pattern string, perm rencontres.Permission, h handler)) {
	route("GET", "/api/v1/practices", rencontres.ReadPublic, a.listPractices)
	route("GET", "/api/v1/practices/{practice}", rencontres.ReadPublic, a.getPractice)
}

// PracticeOut is a practice as the API gives it, with the address of its
// page in each language and of each document.
type PracticeOut struct {
	*rencontres.Practice
	Pages     map[rencontres.Lang]string `json:"pages"`
	Documents []PracticeDocumentOut      `json:"documents"`
}

// PracticeDocumentOut is a document of a practice and where it is served.
type PracticeDocumentOut struct {
	rencontres.ProposalDocument
	URL string `json:"url"`
}

// PracticeList is the body of GET /api/v1/practices.
type PracticeList struct {
	Total int `json:"total"`
	// TotalIsLowerBound: a search found more than Total
	// (rencontres.PracticeCountBound) practices and stopped counting.
	TotalIsLowerBound bool          `json:"total_is_lower_bound"`
	Page              int           `json:"page"`
	Pages             int           `json:"pages"`
	Practices         []PracticeOut `json:"practices"`
}

func (a *API) practiceOut(p *rencontres.Practice) PracticeOut {
	out := PracticeOut{Practice: p, Pages: map[rencontres.Lang]string{}, Documents: []PracticeDocumentOut{}}
	id := strconv.FormatInt(p.ID, 10)
	for _, l := range rencontres.Langs {
		out.Pages[l] = a.base + "/" + string(l) + "/practices/" + id
	}
	for _, d := range p.Documents {
		out.Documents = append(out.Documents, PracticeDocumentOut{ProposalDocument: d,
			URL: a.base + "/fr/practices/" + id + "/documents/" + strconv.FormatInt(d.ID, 10)})
	}
	return out
}

func (a *API) listPractices(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	if err := checkParams(q, append([]string{"lang"}, rencontres.PracticeParams...)...); err != nil {
		return nil, err
	}
	f, err := rencontres.ParsePracticeFilter(q)
	if err != nil {
		return nil, err
	}
	if el, ok := a.library.(encodedLibrary); ok {
		list, total, err := el.PracticesEncoded(r.Context(), f, a.base, a.encodePractice)
		if err != nil {
			return nil, err
		}
		// The list's head as encoding/json writes it, then the practices
		// as each was encoded: the bytes writeJSON would give, in a
		// buffer kept for the next list (a 24 KB page made anew was half
		// of what the server allocated).
		bp := listBuffers.Get().(*[]byte)
		body := appendListHead((*bp)[:0], practiceListHead(f, total))
		for i, b := range list {
			if i > 0 {
				body = append(body, ',')
			}
			body = append(body, b...)
		}
		body = append(body, "]}\n"...)
		writeRawJSON(w, http.StatusOK, body)
		if cap(body) <= maxListBuffer {
			*bp = body
			listBuffers.Put(bp)
		}
		return nil, nil
	}
	list, total, err := a.library.Practices(r.Context(), f)
	if err != nil {
		return nil, err
	}
	out := practiceListHead(f, total)
	for _, p := range list {
		out.Practices = append(out.Practices, a.practiceOut(p))
	}
	return out, nil
}

// encodedLibrary is a library that keeps each practice's JSON between
// searches (the store's copy of the library): encode is called once per
// practice and version of the library.
type encodedLibrary interface {
	PracticesEncoded(ctx context.Context, f rencontres.PracticeFilter, key string,
		encode func(*rencontres.Practice) ([]byte, error)) ([][]byte, int, error)
}

// practiceListHead is the list of f's practices without them.
func practiceListHead(f rencontres.PracticeFilter, total int) PracticeList {
	out := PracticeList{Page: max(f.Page, 1), Practices: []PracticeOut{}}
	out.Total, out.TotalIsLowerBound = f.Total(total)
	out.Pages = max(1, (out.Total+rencontres.PracticePageSize-1)/rencontres.PracticePageSize)
	return out
}

// listBuffers keeps the buffers lists are written in; one larger than
// maxListBuffer (a page of long practices) is left to the collector.
var listBuffers = sync.Pool{New: func() any { return new([]byte) }}

const maxListBuffer = 256 << 10

// appendListHead appends out, its practices left out, as encoding/json
// writes it, up to the practices' opening bracket.
func appendListHead(b []byte, out PracticeList) []byte {
	b = append(b, `{"total":`...)
	b = strconv.AppendInt(b, int64(out.Total), 10)
	b = append(b, `,"total_is_lower_bound":`...)
	b = strconv.AppendBool(b, out.TotalIsLowerBound)
	b = append(b, `,"page":`...)
	b = strconv.AppendInt(b, int64(out.Page), 10)
	b = append(b, `,"pages":`...)
	b = strconv.AppendInt(b, int64(out.Pages), 10)
	return append(b, `,"practices":[`...)
}

// encodePractice is a practice of a list as writeJSON encodes it.
func (a *API) encodePractice(p *rencontres.Practice) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(a.practiceOut(p)); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func (a *API) getPractice(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := strconv.ParseInt(r.PathValue("practice"), 10, 64)
	if err != nil {
		return nil, rencontres.NotFound("practice")
	}
	p, err := a.library.Practice(r.Context(), id)
	if err != nil {
		return nil, err
	}
	return a.practiceOut(p), nil
}
