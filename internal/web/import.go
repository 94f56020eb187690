package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/api"
	"github.com/rencontres/rencontres/internal/contactimport"
	"github.com/rencontres/rencontres/internal/export"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/sheet"
)

// ContactImporter is what the import of a contact list reads and writes.
type ContactImporter = api.ContactImporter

// importRowsShown bounds the rows of a preview listed beside every refused
// and ambiguous one, which are always listed.
const importRowsShown = 200

// ImportPage is the data of the upload form. Kind is what the file holds,
// contacts or partnerships (which only those who keep the partnerships
// may import: Partnerships).
type ImportPage struct {
	Error            string
	Created, Updated int
	Done             bool
	MaxRows          int
	Kind             string
	Partnerships     bool
	// Cancelled: an import was just given up, its file removed.
	Cancelled bool
}

// The kinds of file the import page reads.
const (
	importContacts     = "contacts"
	importPartnerships = "partnerships"
)

// title names the upload form: what it may import.
func (d *ImportPage) title(p *Page) string {
	if d.Partnerships {
		return p.P.T("import.title_any")
	}
	return p.P.T("import.title")
}

// importPage starts the data of the upload form for the reader.
func importPage(p *Page, kind string) *ImportPage {
	d := &ImportPage{MaxRows: sheet.MaxRows / 1000, Kind: importContacts,
		Partnerships: p.Actor.Can(rencontres.ManagePartnerships, rencontres.Target{})}
	if kind == importPartnerships && d.Partnerships {
		d.Kind = kind
	}
	return d
}

// ImportFile is what the previews of both kinds of file show of the file
// (the template import_file): its name, the encodings one may choose, the
// encoding and sheet read, or why it cannot be read.
type ImportFile struct {
	Token, File string
	// Error is why the file cannot be read (with the sheet and encoding
	// chosen).
	Error     string
	Encodings []string
	Encoding  string
	Sheet     string
}

// newImportFile starts the file's part of a preview of up read with the
// encoding and sheet chosen.
func newImportFile(up *contactimport.Upload, encoding, sheetName string) ImportFile {
	return ImportFile{Token: up.Token, File: up.Name, Encodings: sheet.Encodings, Encoding: encoding, Sheet: sheetName}
}

// unreadable reports whether reading the file failed with err because of
// the file, which the page then says (422); any other error is returned.
func (f *ImportFile) unreadable(p *Page, err error) (bool, error) {
	var se *sheet.Error
	if err == nil {
		return false, nil
	} else if !errors.As(err, &se) {
		return true, err
	}
	f.Error = contactimport.FileError(p.P, err)
	p.Status = http.StatusUnprocessableEntity
	return true, nil
}

// read records the encoding and sheet the file was read with, when none
// was chosen.
func (f *ImportFile) read(encoding, sheetName string) {
	if f.Encoding == "" {
		f.Encoding = encoding
	}
	if f.Sheet == "" {
		f.Sheet = sheetName
	}
}

// ImportPreviewPage is the data of an import's preview.
type ImportPreviewPage struct {
	ImportFile
	Preview  *contactimport.Preview
	Problems []string
	Columns  []ImportColumn
	Fields   []sheet.Field
	Rows     []ImportRowView
	Shown    int
	NotReady bool
	Nothing  bool
}

// ImportColumn is one column of the file and the field it is read as.
type ImportColumn struct {
	Index          int
	Letter, Header string
	Field          sheet.Field
}

// ImportRowView is a row of the preview with its messages.
type ImportRowView struct {
	*contactimport.Row
	Messages []string
	Choice   string
}

func (s *Site) importForm(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	q := r.URL.Query()
	d := importPage(p, q.Get("kind"))
	d.Cancelled = q.Has("cancelled")
	if q.Has("created") {
		d.Done = true
		d.Created, _ = strconv.Atoi(q.Get("created"))
		d.Updated, _ = strconv.Atoi(q.Get("updated"))
	}
	p.Title, p.Nav, p.Data = d.title(p), "directory", d
	return "import", nil
}

func (s *Site) importUpload(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	// The file first: reading it parses the multipart form, whose kind
	// r.FormValue would not see before (the form was parsed as a plain
	// one on the way in).
	f, h, err := r.FormFile("file")
	if nerr := rencontres.RefuseNulForm(r.MultipartForm, f); nerr != nil {
		return "", nerr
	}
	d := importPage(p, r.FormValue("kind"))
	p.Title, p.Nav, p.Data = d.title(p), "directory", d
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			d.Error = contactimport.FileError(p.P, &sheet.Error{Key: "too_large", Args: map[string]any{"Max": sheet.MaxBytes >> 20}})
		} else {
			d.Error = p.P.T("import.file_required")
		}
		p.Status = http.StatusUnprocessableEntity
		return "import", nil
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, sheet.MaxBytes+1))
	if err != nil {
		return "", err
	}
	if _, err := sheet.Read(data, sheet.Options{}); err != nil {
		var se *sheet.Error
		// A workbook whose first sheet is empty may have others: it is
		// kept, and the preview lets one pick a sheet.
		if !errors.As(err, &se) || !(se.Key == "empty" && sheet.IsXLSX(data)) {
			d.Error = contactimport.FileError(p.P, err)
			p.Status = http.StatusUnprocessableEntity
			return "import", nil
		}
	}
	up, err := s.uploads.Save(h.Filename, p.Actor.User.ID, d.Kind, data)
	if err != nil {
		return "", err
	}
	http.Redirect(w, r, p.Href("/manage/import/"+up.Token), http.StatusSeeOther)
	return "", nil
}

// importRequest reads the choices of the preview's form: sheet, encoding,
// each column's field (map.N) and each ambiguous row's authority
// (choice.LINE).
func importRequest(form url.Values, data []byte) contactimport.Request {
	req := contactimport.Request{Data: data, Sheet: form.Get("sheet"), Encoding: form.Get("encoding"), Choices: map[int]string{}}
	for k, vs := range form {
		switch {
		case strings.HasPrefix(k, "map."):
			i, err := strconv.Atoi(strings.TrimPrefix(k, "map."))
			f := sheet.Field(vs[0])
			if err != nil || i < 0 || i > 1000 || !sheet.ValidField(f) {
				continue
			}
			for len(req.Mapping) <= i {
				req.Mapping = append(req.Mapping, sheet.None)
			}
			req.Mapping[i] = f
		case strings.HasPrefix(k, "choice."):
			if line, err := strconv.Atoi(strings.TrimPrefix(k, "choice.")); err == nil && vs[0] != "" {
				req.Choices[line] = vs[0]
			}
		}
	}
	return req
}

func (s *Site) importPreview(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	up, err := s.uploads.Load(r.PathValue("id"), p.Actor.User.ID)
	if err != nil {
		return "", err
	}
	form := r.URL.Query()
	if r.Method == http.MethodPost {
		form = r.PostForm
	}
	if r.Method == http.MethodPost && form.Get("action") == "cancel" {
		// Nothing was written; the file goes at once rather than waiting
		// for the purge.
		s.uploads.Remove(up.Token)
		http.Redirect(w, r, p.Href("/manage/import?cancelled=1"), http.StatusSeeOther)
		return "", nil
	}
	if up.Kind == importPartnerships {
		return s.partnershipImportPreview(w, r, p, up, form)
	}
	req := importRequest(form, up.Data)
	d := &ImportPreviewPage{ImportFile: newImportFile(up, req.Encoding, req.Sheet), Fields: sheet.Fields}
	p.Title, p.Nav, p.Data = p.P.T("import.title"), "directory", d
	pv, err := contactimport.Prepare(r.Context(), s.imports, req)
	if bad, err := d.unreadable(p, err); bad {
		return "import_preview", err
	}
	d.Preview = pv
	d.read(pv.Encoding, pv.Sheet)
	for i, h := range pv.Headers {
		d.Columns = append(d.Columns, ImportColumn{Index: i, Letter: sheet.ColumnName(i + 1), Header: h, Field: pv.Mapping[i]})
	}
	for _, pr := range pv.Problems {
		d.Problems = append(d.Problems, pr.Message(p.P, pv.Headers))
	}
	for _, row := range pv.Rows {
		keep := row.Status == contactimport.Refused || row.Status == contactimport.Ambiguous || len(row.Candidates) > 0
		if !keep && d.Shown >= importRowsShown {
			continue
		}
		if !keep {
			d.Shown++
		}
		v := ImportRowView{Row: row, Choice: req.Choices[row.Line]}
		for _, pr := range row.Problems {
			v.Messages = append(v.Messages, pr.Message(p.P, pv.Headers))
		}
		d.Rows = append(d.Rows, v)
	}
	if r.Method == http.MethodPost && r.PostFormValue("action") == "confirm" {
		switch writes := pv.Writes(); {
		case !pv.Ready():
			d.NotReady = true
			p.Status = http.StatusUnprocessableEntity
		case len(writes) == 0:
			d.Nothing = true
		default:
			created, updated, err := s.imports.ImportContacts(r.Context(), p.Actor, up.Name, writes)
			if err != nil {
				return "", err
			}
			s.uploads.Remove(up.Token)
			http.Redirect(w, r, p.Href("/manage/import?created="+strconv.Itoa(created)+"&updated="+strconv.Itoa(updated)), http.StatusSeeOther)
			return "", nil
		}
	}
	return "import_preview", nil
}

// StatusList is the statuses of a preview in the order its counts show.
func (p *Page) StatusList() []contactimport.Status { return contactimport.Statuses }

// ImportFields names the fields a row changes, in the reader's language.
func (p *Page) ImportFields(fields []string) string {
	var out []string
	for _, f := range fields {
		out = append(out, p.P.T("import_column."+f))
	}
	return strings.Join(out, ", ")
}

// exportDirectory sends the directory as filtered on its page; the
// secretariat's has the contacts of each authority, in the columns an
// import reads.
func (s *Site) exportDirectory(w http.ResponseWriter, r *http.Request, p *Page, f rencontres.OrgFilter, format string) error {
	var contacts map[string][]*rencontres.KnownContact
	if p.Actor.Can(rencontres.ManagePeople, rencontres.Target{}) {
		known, err := s.imports.KnownContacts(r.Context())
		if err != nil {
			return err
		}
		contacts = export.ContactsByOrganisation(known)
	}
	rd := export.Reader{P: p.P}
	w.Header().Set("Content-Type", export.ContentType(format))
	w.Header().Set("Content-Disposition", `attachment; filename="directory.`+format+`"`)
	return export.DirectoryColumns(rd, contacts != nil).Stream(w, format, export.DirectoryRowsOf(r.Context(), s.lists, f, rd, contacts))
}

// ExportHref returns the link to the directory's results as a file.
func (d OrganisationsPage) ExportHref(p *Page, format string) string {
	v := url.Values{}
	if d.Query != "" {
		v.Set("q", d.Query)
	}
	if d.Country != "" {
		v.Set("country", d.Country)
	}
	v.Set("format", format)
	return p.Href("/organisations?" + v.Encode())
}
