package rencontres

import (
	"context"
	"time"
)

// Good practices (issue 15). The secretariat opens a Call on an event; an
// authority's contact makes a Proposal for its authority; the committees
// of the event's edition Review the proposals assigned to them; the
// secretariat records each proposal's decision and releases them
// together; an accepted proposal becomes a contribution to a programme
// session and a Practice of the public library. The tables are in
// migration 00028 (store/migrations/*/00028_practices.sql).

// CallKind is what a call asks for.
type CallKind string

// Kinds of call.
const (
	CallPractice   CallKind = "practice"   // good practices to present in a workshop
	CallTheme      CallKind = "theme"      // workshop themes
	CallSuggestion CallKind = "suggestion" // free suggestions
)

// CallKinds lists every kind, in the order forms offer them.
var CallKinds = []CallKind{CallPractice, CallTheme, CallSuggestion}

// ReviewVisibility says when a reviewer sees the other reviews of a
// proposal.
type ReviewVisibility string

// Visibilities of the other reviews.
const (
	SeeNever    ReviewVisibility = "never"
	SeeAfterOwn ReviewVisibility = "after_own"
	SeeAlways   ReviewVisibility = "always"
)

// ReviewVisibilities lists every visibility.
var ReviewVisibilities = []ReviewVisibility{SeeNever, SeeAfterOwn, SeeAlways}

// ScoreCategory is one thing a review scores (relevance to the theme,
// innovation, transferability to the other country), from Min to Max,
// weighing Weight in the proposal's mean.
type ScoreCategory struct {
	Key    string  `json:"key"` // stable name, a slug
	Label  Text    `json:"label"`
	Min    int     `json:"min"`
	Max    int     `json:"max"`
	Weight float64 `json:"weight"`
}

// Call is a call for proposals on an event (an edition, a COPIL meeting,
// a RAICT). Opens and Deadline are instants, shown in the event's zone
// and in the reader's.
type Call struct {
	ID       int64     `json:"id"`
	EventID  int64     `json:"event_id"`
	Kind     CallKind  `json:"kind"`
	Title    Text      `json:"title"`
	Intro    Text      `json:"intro"`
	Opens    time.Time `json:"opens"`
	Deadline time.Time `json:"deadline"`
	// Workshops are the seqs of the edition's workshops the call feeds.
	Workshops []int      `json:"workshops"`
	Questions []Question `json:"questions"`
	// The review's settings.
	Categories   []ScoreCategory  `json:"categories"`
	Blind        bool             `json:"blind"`
	Visibility   ReviewVisibility `json:"visibility"`
	MinReviews   int              `json:"min_reviews"`
	ReviewOpens  *time.Time       `json:"review_opens,omitempty"`
	ReviewCloses *time.Time       `json:"review_closes,omitempty"`
	// AuthorsEditInReview: authors may still edit while reviewing is open.
	AuthorsEditInReview bool       `json:"authors_edit_in_review"`
	DecisionsAt         *time.Time `json:"decisions_at,omitempty"`
	// Letters are the decision emails, written once per language in the
	// campaign editor's way: Letters[decision][lang].
	Letters  map[ProposalDecision]Text `json:"letters,omitempty"`
	Released *time.Time                `json:"released_at,omitempty"`
	Created  time.Time                 `json:"created_at"`
	Updated  time.Time                 `json:"updated_at"`
}

// ProposalState is where a proposal stands for its authors.
type ProposalState string

// States of a proposal.
const (
	ProposalSubmitted ProposalState = "submitted"
	ProposalWithdrawn ProposalState = "withdrawn"
)

// ProposalDecision is the committee's decision on a proposal; empty while
// undecided. It is pending until the call's decisions are released.
type ProposalDecision string

// Decisions on a proposal.
const (
	Undecided     ProposalDecision = ""
	Accepted      ProposalDecision = "accepted"
	AcceptedOther ProposalDecision = "accepted_other" // for another workshop
	WaitingListed ProposalDecision = "waitlist"
	Declined      ProposalDecision = "declined"
)

// ProposalDecisions lists every decision.
var ProposalDecisions = []ProposalDecision{Accepted, AcceptedOther, WaitingListed, Declined}

// IsAccepted reports whether the decision puts the proposal in the
// programme and the library.
func (d ProposalDecision) IsAccepted() bool { return d == Accepted || d == AcceptedOther }

// ProposalOrgRole is an authority's part in a proposal.
type ProposalOrgRole string

// Parts an authority takes in a proposal.
const (
	LeadProposer ProposalOrgRole = "lead"       // submitted it
	CoProposer   ProposalOrgRole = "coproposer" // proposes it together
	PartnerOrg   ProposalOrgRole = "partner"    // involved (its twin…)
)

// ProposalOrg is an authority of a proposal.
type ProposalOrg struct {
	Key  string          `json:"key"`
	Name Text            `json:"name"`
	Role ProposalOrgRole `json:"role"`
}

// Presenter is a person who would present a proposal: one of the
// authority's contacts (UserID) or a person of its delegation named.
type Presenter struct {
	UserID   int64  `json:"user_id,omitempty"`
	Person   string `json:"person"`
	Function Text   `json:"function,omitempty"`
	OrgKey   string `json:"organisation,omitempty"`
}

// Proposal is an authority's answer to a call. Title and Summary are
// required in French or Japanese; the other language may come later, and
// until it does the proposal shows "translation pending".
type Proposal struct {
	ID           int64             `json:"id"`
	CallID       int64             `json:"call_id"`
	Title        Text              `json:"title"`
	Summary      Text              `json:"summary"`
	SDGs         []int             `json:"sdgs"`
	Workshop     int               `json:"workshop,omitempty"` // 0: none
	Answers      map[string]string `json:"answers,omitempty"`
	Orgs         []ProposalOrg     `json:"organisations"`
	Presenters   []Presenter       `json:"presenters"`
	Documents    []*Document       `json:"documents,omitempty"`
	ContactName  string            `json:"contact_name"`
	ContactEmail string            `json:"contact_email"`
	State        ProposalState     `json:"state"`
	Decision     ProposalDecision  `json:"decision,omitempty"`
	// DecisionWorkshop is the workshop an AcceptedOther proposal goes to.
	DecisionWorkshop int        `json:"decision_workshop,omitempty"`
	DecisionNote     Text       `json:"decision_note,omitempty"`
	Decided          *time.Time `json:"decided_at,omitempty"`
	Released         *time.Time `json:"released_at,omitempty"`
	SessionID        int64      `json:"session_id,omitempty"`
	SubmittedBy      int64      `json:"-"`
	Created          time.Time  `json:"created_at"`
	Updated          time.Time  `json:"updated_at"`
}

// TranslationPending reports whether the title or summary lacks French or
// Japanese.
func (p *Proposal) TranslationPending() bool {
	for _, t := range []Text{p.Title, p.Summary} {
		if t[French] == "" || t[Japanese] == "" {
			return true
		}
	}
	return false
}

// Lead is the key of the authority that submitted the proposal.
func (p *Proposal) Lead() string {
	for _, o := range p.Orgs {
		if o.Role == LeadProposer {
			return o.Key
		}
	}
	return ""
}

// Review is a reviewer's review of a proposal: a score per category key,
// a comment to the authors and a comment for the committee only.
type Review struct {
	ProposalID       int64          `json:"proposal_id"`
	UserID           int64          `json:"user_id"`
	Reviewer         string         `json:"reviewer,omitempty"`
	Scores           map[string]int `json:"scores"`
	CommentAuthors   string         `json:"comment_authors"`
	CommentCommittee string         `json:"comment_committee,omitempty"`
	Submitted        time.Time      `json:"submitted_at"`
	Updated          time.Time      `json:"updated_at"`
}

// ProposalDocument is a document or image of a proposal, checked by its
// content like an event's documents (CheckDocument).
type ProposalDocument struct {
	ID          int64     `json:"id"`
	ProposalID  int64     `json:"proposal_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Uploaded    time.Time `json:"uploaded"`
}

// ProposalFilter selects proposals: of a call, of an authority (any
// role), in a state; zero fields select all.
type ProposalFilter struct {
	CallID int64
	OrgKey string
	State  ProposalState
}

// CallService keeps calls and proposals (store/call.go, store/proposal.go).
// The review, the decisions and the library read the same tables through
// their own methods.
type CallService interface {
	// Calls lists an event's calls (every call when eventID is 0), newest
	// deadline first.
	Calls(ctx context.Context, eventID int64) ([]*Call, error)
	Call(ctx context.Context, id int64) (*Call, error)
	// SaveCall creates a call (ID 0) or changes it; it validates the call
	// against its event (workshops of the event's edition, questions,
	// categories, dates in order) and returns every fault at once.
	SaveCall(ctx context.Context, c *Call, by int64) error
	DeleteCall(ctx context.Context, id int64) error
	// CampaignCall is the call a campaign points to, nil when none;
	// SetCampaignCall sets it (callID 0 unsets).
	CampaignCall(ctx context.Context, campaignID int64) (*Call, error)
	SetCampaignCall(ctx context.Context, campaignID, callID int64) error

	Proposals(ctx context.Context, f ProposalFilter) ([]*Proposal, error)
	// Proposal returns a proposal with its authorities, presenters and
	// documents (without their data).
	Proposal(ctx context.Context, id int64) (*Proposal, error)
	// SaveProposal creates (ID 0) or changes a proposal, checked against
	// its call at now: open and before its deadline (or in review when
	// the call lets authors edit), a title and summary in French or
	// Japanese, known SDGs and workshop, answers to required questions;
	// p.Orgs holds exactly one LeadProposer. It enqueues the confirmation
	// email in the same transaction.
	SaveProposal(ctx context.Context, p *Proposal, by int64, now time.Time) error
	// WithdrawProposal withdraws a proposal before its call's deadline.
	WithdrawProposal(ctx context.Context, id int64, by int64, now time.Time) error
	AddProposalDocument(ctx context.Context, d *ProposalDocument, data []byte, by int64) error
	ProposalDocumentData(ctx context.Context, id int64) (*ProposalDocument, []byte, error)
	DeleteProposalDocument(ctx context.Context, proposalID, id int64) error
}
