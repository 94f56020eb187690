package rencontres

import (
	"slices"
	"strings"
)

// MergeFillFields are the fields a merge may fill on the kept record from
// the one merged away, in the order a preview names them.
var MergeFillFields = []string{"name.fr", "name.en", "name.ja", "kana", "code", "parent", "population", "coordinates",
	"website", "address", "languages", "cuf_japan_group", "notes"}

// FillFrom gives o, the record a merge keeps, what from knows and o does
// not: every empty field takes from's value, never overwriting one o has;
// languages spoken are joined, membership of CUF's Japan group is kept
// when either has it, and from's notes are appended to o's rather than
// lost. The official code is filled on a record of the secretariat's only
// (a reference record's code is the reference data's). It returns the
// fields filled, in the order of MergeFillFields; on a reference record,
// each of RefFields filled is recorded as the secretariat's edit, whose
// reference value is empty.
func (o *Organisation) FillFrom(from *Organisation) []string {
	var filled []string
	fill := func(field string) {
		filled = append(filled, field)
		if o.Source != Local && IsRefField(field) {
			if o.Reference == nil {
				o.Reference = map[string]string{}
			}
			if _, edited := o.Reference[field]; !edited {
				o.Reference[field] = ""
			}
		}
	}
	for _, field := range MergeFillFields {
		switch field {
		case "parent":
			// The kept record is no child of itself.
			if o.ParentKey == "" && from.ParentKey != "" && from.ParentKey != o.Key {
				o.ParentKey = from.ParentKey
				fill(field)
			}
		case "code":
			if o.Source == Local && o.Code == "" && from.Code != "" {
				o.Code = from.Code
				fill(field)
			}
		case "address":
			if strings.TrimSpace(o.Address) == "" && strings.TrimSpace(from.Address) != "" {
				o.Address = from.Address
				fill(field)
			}
		case "languages":
			added := false
			for _, l := range from.Languages {
				if !slices.Contains(o.Languages, l) {
					o.Languages = append(o.Languages, l)
					added = true
				}
			}
			if added {
				fill(field)
			}
		case "cuf_japan_group":
			if !o.CUFJapanGroup && from.CUFJapanGroup {
				o.CUFJapanGroup = true
				fill(field)
			}
		case "notes":
			theirs := strings.TrimSpace(from.Notes)
			switch mine := strings.TrimSpace(o.Notes); {
			case theirs == "" || strings.Contains(mine, theirs):
			case mine == "":
				o.Notes = from.Notes
				fill(field)
			default:
				// Who wrote which stays legible: the other record's
				// notes come after a line naming it.
				o.Notes = mine + "\n\n— " + from.Key + "\n" + theirs
				fill(field)
			}
		default:
			if o.RefValue(field) == "" && from.RefValue(field) != "" {
				o.SetRefValue(field, from.RefValue(field))
				fill(field)
			}
		}
	}
	return filled
}
