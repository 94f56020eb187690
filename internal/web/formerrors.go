package web

import (
	"cmp"
	"strings"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// addFieldErrors adds to errs the other faults an input has (Fields),
// each by the name of the input it is shown next to and naming the field
// by its label, so that a form shows them all at once; the first fault of
// a field is the one shown.
func addFieldErrors(p *Page, e *rencontres.Error, errs map[string]string) {
	for _, f := range e.Fields {
		field := formField(f.Field)
		if _, ok := errs[field]; !ok {
			errs[field] = p.P.Error(f)
		}
	}
}

// formField is the name of the input a domain error's field is shown
// next to: the mapping formError applies to the first fault.
func formField(field string) string {
	field = cmp.Or(field, "form")
	switch field {
	case "committee_id":
		field = "committee"
	case "edition_id":
		field = "edition"
	case "event_id":
		field = "event"
	case "within_id":
		field = "within"
	}
	if strings.HasPrefix(field, "title") {
		field = "title"
	}
	return field
}
