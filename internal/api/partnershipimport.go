package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/partnershipimport"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/sheet"
)

// PartnershipImporter reads the partnerships' export back and writes it
// unless dryRun (partnershipimport.Import bound to the store).
type PartnershipImporter func(ctx context.Context, data []byte, opt sheet.Options, dryRun bool) (*partnershipimport.Preview, error)

// PartnershipImportResult is the answer of POST /api/v1/imports with
// kind=partnerships: what the file does (dry run) or did.
type PartnershipImportResult struct {
	Kind      string `json:"kind"`
	DryRun    bool   `json:"dry_run"`
	Created   int    `json:"created"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
}

// importPartnerships is POST /api/v1/imports with kind=partnerships: the
// secretariat's partnerships' export read back, written at once (all or
// nothing) unless dry_run; a refused row answers 400 with every problem.
func (a *API) importPartnerships(r *http.Request, data []byte) (any, error) {
	if !auth.ActorFrom(r.Context()).Can(rencontres.ManagePartnerships, rencontres.Target{}) {
		return nil, errForbidden
	}
	dry, _ := strconv.ParseBool(r.FormValue("dry_run"))
	pv, err := a.partnerships(r.Context(), data, sheet.Options{Sheet: r.FormValue("sheet"), Encoding: r.FormValue("encoding")}, dry)
	if err != nil {
		return nil, a.fileError(r, err)
	}
	p := a.cat.Printer(clientLang(r))
	if !pv.Ready() {
		var errs []error
		for _, pr := range pv.Problems {
			m := pr.Message(p, pv.Headers)
			errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "import.message", Message: m, Args: map[string]any{"Text": m}})
		}
		return nil, rencontres.Join(errs...)
	}
	return PartnershipImportResult{Kind: "partnerships", DryRun: dry, Created: pv.Count[partnershipimport.Created],
		Updated: pv.Count[partnershipimport.Updated], Unchanged: pv.Count[partnershipimport.Unchanged]}, nil
}
