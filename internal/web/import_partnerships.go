package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/rencontres/rencontres/internal/contactimport"
	"github.com/rencontres/rencontres/internal/partnershipimport"
	"github.com/rencontres/rencontres/internal/sheet"
)

// PartnershipImportPage is the data of the preview of a list of
// partnerships: the same steps as a contact list's (sheet and encoding,
// the columns read, what each row does, confirm), the columns recognised
// by their headers as the partnerships' export writes them.
type PartnershipImportPage struct {
	ImportFile
	Preview  *partnershipimport.Preview
	Problems []string
	Columns  []ImportColumn
	Rows     []partnershipimport.Row
	Shown    int
	NotReady bool
	Nothing  bool
}

// PartnershipStatuses are the statuses of a partnership import's rows, in
// the order its counts show.
func (p *Page) PartnershipStatuses() []partnershipimport.Status {
	return []partnershipimport.Status{partnershipimport.Created, partnershipimport.Updated, partnershipimport.Unchanged}
}

// partnershipImportPreview shows what the list of partnerships kept under
// up does, then writes it on confirmation (all or nothing) and forgets the
// file; only those who keep the partnerships reach it.
func (s *Site) partnershipImportPreview(w http.ResponseWriter, r *http.Request, p *Page, up *contactimport.Upload, form url.Values) (string, error) {
	if !importPage(p, importPartnerships).Partnerships || s.partnershipImports == nil {
		return "", errForbidden
	}
	opt := sheet.Options{Sheet: form.Get("sheet"), Encoding: form.Get("encoding")}
	confirm := r.Method == http.MethodPost && form.Get("action") == "confirm"
	d := &PartnershipImportPage{ImportFile: newImportFile(up, opt.Encoding, opt.Sheet)}
	p.Title, p.Nav, p.Data = p.P.T("import.title_partnerships"), "directory", d
	pv, err := s.partnershipImports(r.Context(), up.Data, opt, !confirm)
	if bad, err := d.unreadable(p, err); bad {
		return "import_partnerships", err
	}
	d.Preview = pv
	d.read(pv.Encoding, pv.Sheet)
	for i, h := range pv.Headers {
		d.Columns = append(d.Columns, ImportColumn{Index: i, Letter: sheet.ColumnName(i + 1), Header: h})
	}
	for _, pr := range pv.Problems {
		d.Problems = append(d.Problems, pr.Message(p.P, pv.Headers))
	}
	for _, row := range pv.Rows {
		if row.Status != partnershipimport.Unchanged && d.Shown < importRowsShown {
			d.Rows = append(d.Rows, row)
			d.Shown++
		}
	}
	switch {
	case !confirm:
	case !pv.Ready():
		d.NotReady = true
		p.Status = http.StatusUnprocessableEntity
	case pv.Count[partnershipimport.Created]+pv.Count[partnershipimport.Updated] == 0:
		d.Nothing = true
	default:
		s.uploads.Remove(up.Token)
		s.audit(r, "partnerships.import", "import", up.Name, map[string]any{"created": pv.Count[partnershipimport.Created],
			"updated": pv.Count[partnershipimport.Updated]})
		http.Redirect(w, r, p.Href("/manage/import?kind=partnerships&created="+strconv.Itoa(pv.Count[partnershipimport.Created])+
			"&updated="+strconv.Itoa(pv.Count[partnershipimport.Updated])), http.StatusSeeOther)
		return "", nil
	}
	return "import_partnerships", nil
}
