package rencontres

// ContactImport is one contact an import writes: the person, keyed by
// their email address, and the organisation they are a contact of.
type ContactImport struct {
	Contact     User
	OrgKey      string
	MainContact bool
}

// ImportMembership is a person's tie to an organisation, as an import compares
// it with what a file says.
type ImportMembership struct {
	OrgKey      string
	MainContact bool
	Removed     bool
}

// KnownContact is an account as an import finds it: its profile and the
// organisations it is (or was) a contact of.
type KnownContact struct {
	User
	Memberships []ImportMembership
}
