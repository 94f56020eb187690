package api

import (
	"encoding/json"
	"net/http"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/twinmap"
)

// partnershipsGeoJSON is the twinning map as GeoJSON (RFC 7946): the
// authorities with a position as points, the partnerships between two of
// them as lines, filtered as the map page is; a filter that names nothing
// known is a 400 listing every fault.
func (a *API) partnershipsGeoJSON(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	if err := checkParams(q, append(twinmap.Params, "lang")...); err != nil {
		return nil, err
	}
	d, err := a.mapCache.Load(r.Context(), a.svc)
	if err != nil {
		return nil, err
	}
	f, err := d.Parse(q)
	if err != nil {
		return nil, err
	}
	fc := twinmap.GeoJSON(d.Select(f), func(k rencontres.PartnershipKind, l rencontres.Lang) string {
		return a.cat.Printer(l).T(k.MessageKey())
	})
	h := w.Header()
	h.Set("Content-Type", "application/geo+json; charset=utf-8")
	h.Set("Access-Control-Allow-Origin", "*")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return nil, enc.Encode(fc)
}
