package api

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/export"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// statisticsParams are the parameters GET /api/v1/statistics knows.
var statisticsParams = []string{"series", "number", "measure", "from", "to", "format", "lang"}

// Statistics is the body of GET /api/v1/statistics.
type Statistics struct {
	Series []*rencontres.SeriesStats `json:"series"`
}

func (a *API) registerStatistics(route func(string, string, rencontres.Permission, handler)) {
	route("GET", "/api/v1/statistics", rencontres.ReadPublic, a.statistics)
}

// statistics answers the participation statistics as JSON, or as CSV
// (format=csv or Accept: text/csv) or a workbook (format=xlsx): one line
// per edition, measure and row. The secretariat sees also the editions
// not held.
func (a *API) statistics(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	for name := range q {
		if !slices.Contains(statisticsParams, name) {
			return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "statistics.bad_filter", Field: name,
				Message: fmt.Sprintf("unknown parameter %q: use %s", name, strings.Join(statisticsParams, ", ")),
				Args:    map[string]any{"Value": name, "Valid": strings.Join(statisticsParams, ", ")}}
		}
	}
	format := q.Get("format")
	switch {
	case format == "" && strings.Contains(r.Header.Get("Accept"), "text/csv"):
		format = "csv"
	case format == "", format == "json", format == "csv", format == "xlsx":
	default:
		return nil, &rencontres.Error{Code: rencontres.EINVALID, Key: "statistics.bad_format", Field: "format",
			Message: fmt.Sprintf("unknown format %q: use json, csv or xlsx", format), Args: map[string]any{"Value": format}}
	}
	sq, err := rencontres.ParseStatsQuery(q.Get)
	if err != nil {
		return nil, err
	}
	sq.Unpublished = auth.ActorFrom(r.Context()).Can(rencontres.ManageEvents, rencontres.Target{})
	list, err := a.stats.Statistics(r.Context(), sq)
	if err != nil {
		return nil, err
	}
	if format == "csv" || format == "xlsx" {
		return nil, export.Send(w, "statistics."+format, format, export.Statistics(export.Reader{API: true, P: a.cat.Printer(clientLang(r))}, list))
	}
	return Statistics{Series: list}, nil
}
