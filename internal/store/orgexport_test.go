package store

// OrgReferenceColumns lists, as "table.column", the columns
// MergeOrganisations moves, for the test that compares them with the schema.
func OrgReferenceColumns() []string {
	var out []string
	for _, r := range orgReferences {
		out = append(out, r.table+"."+r.column)
	}
	return out
}
