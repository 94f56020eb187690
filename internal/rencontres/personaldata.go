package rencontres

import "time"

// PersonalData is everything the database holds about one person (RGPD
// articles 15 and 20): what is bound to their account, and what only
// carries their address (a registration a contact made for them, a letter
// or an email sent to them). Secrets are never in it: no password hash, no
// token or link hash, no sign-in link's content.
type PersonalData struct {
	Profile *User `json:"profile"`
	// Memberships are the organisations they are or were a contact of,
	// whether they are its main contact, and when they left.
	Memberships   []Membership    `json:"memberships"`
	Committees    []int64         `json:"committees"`
	Tokens        []*APIToken     `json:"api_tokens"`
	Sessions      []SessionData   `json:"sessions"`
	SignInLinks   []SignInData    `json:"sign_in_links"`
	Registrations []*Registration `json:"registrations"`
	// Letters are the campaign letters addressed to them, with where each
	// stands (sent, opened, declined).
	Letters []*Recipient `json:"campaign_letters"`
	Emails  []EmailData  `json:"emails"`
	// Webhooks are the deliveries to other systems that name the person
	// (a registration's webhook carries its name and address).
	Webhooks []WebhookData `json:"webhook_deliveries"`
	// Mentions are the places that name them without an address: seats on
	// a steering committee, programme sessions they speak at.
	Mentions []Mention `json:"mentions"`
	// Activity is what they did; About, what others did to them or to
	// their registrations.
	Activity []*AuditEntry `json:"activity"`
	About    []*AuditEntry `json:"audit_about"`
	// PartnershipReports are the answers to the état des lieux they wrote
	// for their authority.
	PartnershipReports []*PartnershipReport `json:"partnership_reports"`
	// NewsPosts are the news posts they wrote. The posts are the
	// network's, not personal data, and stay when the account is erased;
	// only the link to their author is theirs.
	NewsPosts []NewsAuthored `json:"news_posts"`
	// Reviews are the reviews of proposals they wrote as a reviewer; an
	// erasure keeps their scores, which the decisions rest on, and blanks
	// their comments.
	Reviews []*Review `json:"reviews"`
	// Proposals are the proposals to calls they are the contact, the
	// submitter or a presenter (by account) of.
	Proposals []*Proposal `json:"proposals"`
	// DeclarationAdoptions are the endorsements of a declaration they
	// signed for their authority (or the votes they recorded); an erasure
	// keeps them with the authority, not with them.
	DeclarationAdoptions []*DeclarationAdoptionData `json:"declaration_adoptions"`
	// Amendments are the amendments to a final declaration they proposed
	// for their authority; AmendmentSupports those they supported for it.
	// An erasure keeps them, by their authority, without them.
	Amendments        []*Amendment `json:"declaration_amendments"`
	AmendmentSupports []*Amendment `json:"declaration_amendment_supports"`
	// DeclarationVersions are the changes of a final declaration's draft
	// they saved. The text is the edition's and stays when the account is
	// erased; only the link to its author is theirs.
	DeclarationVersions []*SegmentVersion `json:"declaration_versions"`
	// CooperationProfiles are the cooperation profiles they saved last.
	// A profile is its authority's and stays when the account is erased;
	// only updated_by, an id that then names nobody, is theirs.
	CooperationProfiles []*CooperationProfile `json:"cooperation_profiles"`
	// FeedTokens are their personal calendar feeds' addresses (the
	// secret itself is not kept), working or revoked.
	FeedTokens []*FeedToken `json:"feed_tokens"`
	// MeetingRequests are the one-to-one meeting requests they sent or
	// answered for their authority; an erasure keeps them with the
	// authorities, without them.
	MeetingRequests []*MeetingRequest `json:"meeting_requests"`
}

// DeclarationAdoptionData is a vote or endorsement as its signer's data
// names it.
type DeclarationAdoptionData struct {
	DeclarationID int64 `json:"declaration_id"`
	Adoption
}

// NewsAuthored is a news post as its author's data names it.
type NewsAuthored struct {
	ID        int64      `json:"id"`
	Title     Text       `json:"title"`
	Created   time.Time  `json:"created_at"`
	Published *time.Time `json:"published_at,omitempty"`
}

// Membership is a person's place among an organisation's contacts.
type Membership struct {
	OrgKey  string     `json:"organisation"`
	Main    bool       `json:"main_contact"`
	Removed *time.Time `json:"removed_at,omitempty"`
}

// SessionData is a session as its owner may see it: never its token.
type SessionData struct {
	Created   time.Time `json:"created_at"`
	LastSeen  time.Time `json:"last_seen_at"`
	Expires   time.Time `json:"expires_at"`
	IP        string    `json:"ip"`
	UserAgent string    `json:"user_agent"`
}

// SignInData is a sign-in link as its owner may see it: when it was sent
// and used, never the link.
type SignInData struct {
	Email   string     `json:"email"`
	Created time.Time  `json:"created_at"`
	Expires time.Time  `json:"expires_at"`
	Used    *time.Time `json:"used_at,omitempty"`
}

// EmailData is an email of the outbox addressed to the person: what it was
// and what became of it, without its body (a sign-in link's body is a
// credential).
type EmailData struct {
	ID      int64      `json:"id"`
	Kind    string     `json:"kind"`
	To      string     `json:"to"`
	Subject string     `json:"subject,omitempty"`
	Status  MailStatus `json:"status"`
	Created time.Time  `json:"created_at"`
	Sent    *time.Time `json:"sent_at,omitempty"`
}

// WebhookData is a webhook delivery that names the person, without its
// body.
type WebhookData struct {
	ID        int64          `json:"id"`
	Endpoint  string         `json:"endpoint"`
	EventType string         `json:"event_type"`
	Status    DeliveryStatus `json:"status"`
	Created   time.Time      `json:"created_at"`
}

// Mention is a place that names a person without an address.
type Mention struct {
	// Kind is "committee_seat", "speaker", "agenda_presenter",
	// "decision_owner" or "proposal_presenter".
	Kind string `json:"kind"`
	// ID is the seat's, the session's, the agenda item's or the
	// decision's; Seq, a speaker's place among the session's.
	ID      int64  `json:"id"`
	Seq     int    `json:"-"`
	Person  string `json:"person"`
	Role    string `json:"role,omitempty"`
	EventID int64  `json:"event_id,omitempty"`
}
