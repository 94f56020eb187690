package rencontres

// Permission is something a request may do.
type Permission string

// The permissions. Every route of the site and of the API names one; a
// test walks all routes with every role against a copy of Policy written
// out by hand in the test.
const (
	// ReadPublic: the public site and the read-only API.
	ReadPublic Permission = "public.read"
	// UseAccount: one's own profile, sessions, tokens and personal data.
	UseAccount Permission = "account.use"
	// ReadOrganisation: an organisation's private page (its contacts, and
	// later its registrations).
	ReadOrganisation Permission = "organisation.read"
	// ReadCommittee: a steering committee's page, with its members and
	// meetings.
	ReadCommittee Permission = "committee.read"
	// ManagePeople: invite staff and committee members, bind contacts to
	// organisations, disable and erase accounts.
	ManagePeople Permission = "people.manage"
	// ReadAudit: the audit log and its export.
	ReadAudit Permission = "audit.read"
	// SignIn: the sign-in forms, open to everyone.
	SignIn Permission = "signin"
	// ManageEvents: create, edit, move and cancel events; build
	// programmes; keep committees' seats, agendas, minutes, decisions and
	// documents.
	ManageEvents Permission = "event.manage"
	// ManageRegistrations: register, change and withdraw the people of a
	// delegation; the secretariat for every authority, a contact for its
	// own.
	ManageRegistrations Permission = "registration.manage"
	// ManageContacts: add, edit and remove an organisation's contacts and
	// invite one to sign in; the secretariat for every organisation, a
	// contact for its own (a colleague who arrives or leaves). Moving a
	// contact to another organisation is ManagePeople.
	ManageContacts Permission = "contact.manage"
	// ManageDirectory: create and edit organisations, give a field its
	// reference value back, merge two records of one organisation.
	ManageDirectory Permission = "directory.manage"
	// SetPassword: choose or change one's password. Only roles that sign
	// in with a password have it; the others sign in by link.
	SetPassword Permission = "password.set"
	// ManagePartnerships: create, edit and end partnerships, store their
	// signed agreements, review the état des lieux and follow who answered.
	ManagePartnerships Permission = "partnership.manage"
	// ReportPartnerships: answer the état des lieux (state, last
	// exchanges, current projects) for an authority's partnerships; the
	// secretariat for every authority, a contact for its own.
	ReportPartnerships Permission = "partnership.report"
	// ManageNews: write, publish, unpublish and delete news posts and
	// their photos, and read the drafts.
	ManageNews Permission = "news.manage"
	// ManageCalls: open and edit calls for good practices, assign
	// reviewers, record and release the decisions, see every proposal.
	ManageCalls Permission = "call.manage"
	// ProposePractices: propose, edit and withdraw an authority's
	// proposals to a call; the secretariat for every authority, a
	// contact for its own.
	ProposePractices Permission = "practice.propose"
	// ReviewProposals: review the proposals of a call assigned to one,
	// declare a conflict of interest; a committee member for the calls of
	// their committee's edition (OwnCommittee, asked with one of the
	// edition's committees), the secretariat for every call.
	ReviewProposals Permission = "proposal.review"
	// DraftDeclarations: draft an edition's final declaration side by
	// side, check translations, restore versions, open the amendment
	// period, decide amendments, freeze the text and record its adoption;
	// a committee member for the declaration of their committee's
	// edition (OwnCommittee, asked with the edition's joint committee),
	// the secretariat for every one (and only it starts one).
	DraftDeclarations Permission = "declaration.draft"
	// AmendDeclarations: propose, support and withdraw amendments and
	// endorse the declaration for an authority registered for the
	// edition; the secretariat for every authority, a contact for its
	// own.
	AmendDeclarations Permission = "declaration.amend"
	// ReadDeclarations: read a declaration's draft, history and
	// amendments before it is published, for the edition's participants
	// (its committees, the contacts of the authorities registered and
	// the people registered: the handler asks the store who takes part)
	// and the secretariat. The adopted text is public (ReadPublic).
	ReadDeclarations Permission = "declaration.read"
	// EditCooperation: say what an authority seeks and offers (its
	// cooperation profile) and read the partners suggested to it; the
	// secretariat for every authority, a contact for its own.
	EditCooperation Permission = "cooperation.edit"
	// RequestMeetings: request one-to-one meetings at an edition for an
	// authority registered for it, answer the requests it receives and
	// read its meetings; the secretariat for every authority, a contact
	// for its own. Setting the slots, tables and interpreters and
	// publishing the schedule is ManageEvents.
	RequestMeetings Permission = "meeting.request"
	// ManageWebhooks: register, change and remove the endpoints that hear
	// the product's events, rotate their secrets, read and resend their
	// deliveries; the secretariat only.
	ManageWebhooks Permission = "webhook.manage"
)

// Scope limits a permission to some objects.
type Scope string

// Scopes of a permission.
const (
	All          Scope = "all"           // every object
	Self         Scope = "self"          // the actor's own account
	OwnOrg       Scope = "own_org"       // organisations the actor is bound to
	OwnCommittee Scope = "own_committee" // committees the actor sits on
)

// Policy says which role may do what, on which objects. It is the one place
// permissions are decided; handlers ask Can, they never test roles.
var Policy = map[Role]map[Permission]Scope{
	Secretariat: {
		ReadPublic: All, SignIn: All, UseAccount: Self, SetPassword: Self,
		ReadOrganisation: All, ManagePeople: All, ReadAudit: All, ReadCommittee: All,
		ManageEvents: All, ManageRegistrations: All, ManageContacts: All, ManageDirectory: All,
		ManagePartnerships: All, ReportPartnerships: All, ManageNews: All,
		ManageCalls: All, ProposePractices: All, ReviewProposals: All,
		DraftDeclarations: All, AmendDeclarations: All, ReadDeclarations: All,
		EditCooperation: All, RequestMeetings: All, ManageWebhooks: All,
	},
	CommitteeMember: {
		ReadPublic: All, SignIn: All, UseAccount: Self,
		ReadCommittee: OwnCommittee, ReviewProposals: OwnCommittee,
		DraftDeclarations: OwnCommittee, ReadDeclarations: All,
	},
	AuthorityContact: {
		ReadPublic: All, SignIn: All, UseAccount: Self,
		ReadOrganisation: OwnOrg, ManageRegistrations: OwnOrg, ManageContacts: OwnOrg,
		ReportPartnerships: OwnOrg, ProposePractices: OwnOrg,
		AmendDeclarations: OwnOrg, ReadDeclarations: All,
		EditCooperation: OwnOrg, RequestMeetings: OwnOrg,
	},
	Participant: {
		ReadPublic: All, SignIn: All, UseAccount: Self, ReadDeclarations: All,
	},
	Public: {
		ReadPublic: All, SignIn: All,
	},
}

// Target is the object a permission is asked for; its zero value means
// "no particular object", which only scope All and Self grant.
type Target struct {
	OrgKey    string
	Committee int64
	UserID    int64
}

// Can reports whether the actor has permission p on target t.
func (a *Actor) Can(p Permission, t Target) bool {
	scope, ok := Policy[a.Role()][p]
	if !ok {
		return false
	}
	switch scope {
	case All:
		return true
	case Self:
		return a.User != nil && (t.UserID == 0 || t.UserID == a.User.ID)
	case OwnOrg:
		if a.User == nil {
			return false
		}
		for _, k := range a.User.OrgKeys {
			if k == t.OrgKey && k != "" {
				return true
			}
		}
		return t.OrgKey == "" // the list of one's own organisations
	case OwnCommittee:
		for _, c := range a.Committees {
			if c == t.Committee && c != 0 {
				return true
			}
		}
		return t.Committee == 0
	}
	return false
}

// RequiresSignIn reports whether a permission is never granted to the
// public, so that a refusal sends the reader to the sign-in page rather than
// answering "forbidden".
func RequiresSignIn(p Permission) bool {
	_, ok := Policy[Public][p]
	return !ok
}
