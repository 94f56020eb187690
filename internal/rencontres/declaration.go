package rencontres

import (
	"context"
	"slices"
	"strings"
	"time"
)

// The final declaration of an edition (issue 16). The secretariat starts a
// Declaration on an edition; its text is a list of aligned Segments, each
// held in French and Japanese (English optional), edited side by side by
// the edition's joint committee and the secretariat. Every saved change is
// a SegmentVersion. During the amendment period the contacts of the
// authorities registered for the edition propose Amendments, which other
// authorities support and the committee accepts, rejects or merges. The
// committee freezes the text and records its adoption, by vote in plenary
// or by endorsement; the adopted text is immutable but for dated
// Corrections. The tables are in migration 00036
// (store/migrations/*/00036_declarations.sql).

// DeclarationState is where a declaration stands.
type DeclarationState string

// States of a declaration.
const (
	DeclarationDraft   DeclarationState = "draft"   // edited; amended during its period
	DeclarationFrozen  DeclarationState = "frozen"  // no more edits; adoption under way
	DeclarationAdopted DeclarationState = "adopted" // immutable but for corrections
)

// AdoptionMode is how a declaration is adopted.
type AdoptionMode string

// Modes of adoption.
const (
	AdoptionVote        AdoptionMode = "vote"        // for, against, abstain by authority, recorded in plenary
	AdoptionEndorsement AdoptionMode = "endorsement" // each authority's contact signs on until a deadline
)

// SegmentKind is the part of the text a segment is.
type SegmentKind string

// Kinds of segment.
const (
	SegmentPreamble  SegmentKind = "preamble"
	SegmentHeading   SegmentKind = "heading"
	SegmentArticle   SegmentKind = "article" // numbered in order among the articles
	SegmentParagraph SegmentKind = "paragraph"
)

// SegmentKinds lists every kind, in the order forms offer them.
var SegmentKinds = []SegmentKind{SegmentPreamble, SegmentHeading, SegmentArticle, SegmentParagraph}

// DeclarationLangs are the languages a segment must have; English is
// optional.
var DeclarationLangs = []Lang{French, Japanese}

// Declaration is an edition's final declaration, with its segments in
// order when read whole.
type Declaration struct {
	ID        int64 `json:"id"`
	EditionID int64 `json:"edition_id"`
	// Title defaults to the edition's; the page and the PDF print it.
	Title Text             `json:"title"`
	State DeclarationState `json:"state"`
	// Rev is raised by every saved change of any segment: the text as it
	// stood after change n is read with Rev n.
	Rev         int64        `json:"rev"`
	AmendOpens  *time.Time   `json:"amendments_open_at,omitempty"`
	AmendCloses *time.Time   `json:"amendments_close_at,omitempty"`
	Mode        AdoptionMode `json:"adoption_mode,omitempty"`
	// EndorseUntil is the deadline of an endorsement.
	EndorseUntil *time.Time `json:"endorse_until,omitempty"`
	FrozenAt     *time.Time `json:"frozen_at,omitempty"`
	AdoptedAt    *time.Time `json:"adopted_at,omitempty"`
	AdoptedRev   int64      `json:"adopted_rev,omitempty"`
	// TimeZone is the edition's zone, in which the period is entered and
	// shown.
	TimeZone  string     `json:"time_zone"`
	Segments  []*Segment `json:"segments,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// AmendingAt reports whether amendments may be proposed at now: a draft
// within its amendment period.
func (d *Declaration) AmendingAt(now time.Time) bool {
	return d.State == DeclarationDraft && d.AmendOpens != nil && d.AmendCloses != nil &&
		!now.Before(*d.AmendOpens) && now.Before(*d.AmendCloses)
}

// Segment is one aligned part of the text.
type Segment struct {
	ID       int64       `json:"id"`
	Position int         `json:"position"`
	Kind     SegmentKind `json:"kind"`
	// Number is the article's number (1 the first article), 0 for other
	// kinds; computed from the order, never stored.
	Number int  `json:"number,omitempty"`
	Text   Text `json:"text"`
	// Version is raised by every change of the segment; a save or an
	// amendment names the version it was written against.
	Version int64 `json:"version"`
	// Check lists the languages whose translation must be checked since
	// another language changed alone.
	Check     []Lang     `json:"translation_to_check,omitempty"`
	Deleted   bool       `json:"deleted,omitempty"`
	UpdatedBy int64      `json:"updated_by,omitempty"`
	UpdatedAt time.Time  `json:"updated_at"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// NeedsCheck reports whether the segment is marked "translation to check".
func (s *Segment) NeedsCheck() bool { return len(s.Check) > 0 }

// FormatCheck and ParseCheck convert Segment.Check to and from its column
// (check_langs: "ja", "fr,en").
func FormatCheck(langs []Lang) string {
	parts := make([]string, 0, len(langs))
	for _, l := range Langs {
		if slices.Contains(langs, l) {
			parts = append(parts, string(l))
		}
	}
	return strings.Join(parts, ",")
}

// ParseCheck reads a check_langs column.
func ParseCheck(s string) []Lang {
	var out []Lang
	for _, p := range strings.Split(s, ",") {
		if l, ok := ParseLang(strings.TrimSpace(p)); ok {
			out = append(out, l)
		}
	}
	return out
}

// NumberArticles sets Number on the articles of segs, in order, skipping
// deleted segments.
func NumberArticles(segs []*Segment) {
	n := 0
	for _, s := range segs {
		s.Number = 0
		if s.Kind == SegmentArticle && !s.Deleted {
			n++
			s.Number = n
		}
	}
}

// VersionAction is what a saved change of a segment did.
type VersionAction string

// Actions of a version.
const (
	VersionCreate     VersionAction = "create"
	VersionEdit       VersionAction = "edit"
	VersionConfirm    VersionAction = "confirm" // a translation checked unchanged
	VersionMove       VersionAction = "move"
	VersionDelete     VersionAction = "delete"
	VersionRestore    VersionAction = "restore"
	VersionAmendment  VersionAction = "amendment"  // an accepted amendment
	VersionCorrection VersionAction = "correction" // after adoption
)

// SegmentVersion is a segment as it stood after one saved change.
type SegmentVersion struct {
	ID        int64         `json:"id"`
	SegmentID int64         `json:"segment_id"`
	Rev       int64         `json:"rev"`
	Version   int64         `json:"version"`
	Action    VersionAction `json:"action"`
	Position  int           `json:"position"`
	Kind      SegmentKind   `json:"kind"`
	Text      Text          `json:"text"`
	Check     []Lang        `json:"translation_to_check,omitempty"`
	Deleted   bool          `json:"deleted,omitempty"`
	// AmendmentID is the accepted amendment the change applied, 0 when
	// none; CorrectionID the correction it belongs to.
	AmendmentID  int64     `json:"amendment_id,omitempty"`
	CorrectionID int64     `json:"correction_id,omitempty"`
	ByUser       int64     `json:"by_user,omitempty"`
	ByName       string    `json:"by_name,omitempty"` // the account's name, empty once erased
	At           time.Time `json:"at"`
}

// DeclarationCorrection is a dated correction of an adopted declaration.
type DeclarationCorrection struct {
	ID     int64     `json:"id"`
	Rev    int64     `json:"rev"`
	Reason Text      `json:"reason"`
	ByUser int64     `json:"by_user,omitempty"`
	At     time.Time `json:"at"`
}

// AmendmentKind is what an amendment does to its segment.
type AmendmentKind string

// Kinds of amendment.
const (
	AmendChange   AmendmentKind = "change"    // replace the segment's text
	AmendAddAfter AmendmentKind = "add_after" // add a segment after it
	AmendDelete   AmendmentKind = "delete"    // delete it
)

// AmendmentKinds lists every kind.
var AmendmentKinds = []AmendmentKind{AmendChange, AmendAddAfter, AmendDelete}

// AmendmentState is where an amendment stands.
type AmendmentState string

// States of an amendment.
const (
	AmendmentProposed  AmendmentState = "proposed"
	AmendmentWithdrawn AmendmentState = "withdrawn"
	AmendmentAccepted  AmendmentState = "accepted"
	AmendmentRejected  AmendmentState = "rejected"
	AmendmentMerged    AmendmentState = "merged"
)

// Amendment is a proposed change to one segment.
type Amendment struct {
	ID            int64 `json:"id"`
	DeclarationID int64 `json:"declaration_id"`
	SegmentID     int64 `json:"segment_id"`
	// BaseVersion is the segment's version the amendment was written
	// against: when the segment has changed since, it must be re-based.
	BaseVersion int64         `json:"base_version"`
	Kind        AmendmentKind `json:"kind"`
	NewKind     SegmentKind   `json:"new_kind,omitempty"` // add_after: the added segment's kind
	// OrgKey is the proposing authority, empty for an amendment the
	// committee wrote by merging others.
	OrgKey   string `json:"organisation,omitempty"`
	OrgName  Text   `json:"organisation_name,omitempty"`
	AuthorID int64  `json:"author_id,omitempty"`
	// Lang is the language it was written in; Text holds the proposed
	// text (empty for a deletion), the other language perhaps supplied
	// by the secretariat.
	Lang          Lang           `json:"lang"`
	Text          Text           `json:"text"`
	Justification Text           `json:"justification"`
	State         AmendmentState `json:"state"`
	Reason        Text           `json:"reason,omitempty"` // of a rejection
	MergedInto    int64          `json:"merged_into,omitempty"`
	// Supporters are the authorities supporting it, by key.
	Supporters []string   `json:"supporters"`
	DecidedBy  int64      `json:"decided_by,omitempty"`
	DecidedAt  *time.Time `json:"decided_at,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// Bilingual reports whether the amendment has its text in both French and
// Japanese (a deletion always has).
func (a *Amendment) Bilingual() bool {
	if a.Kind == AmendDelete {
		return true
	}
	return strings.TrimSpace(a.Text[French]) != "" && strings.TrimSpace(a.Text[Japanese]) != ""
}

// AdoptionChoice is an authority's part in the adoption.
type AdoptionChoice string

// Choices of the adoption.
const (
	VoteFor     AdoptionChoice = "for"
	VoteAgainst AdoptionChoice = "against"
	VoteAbstain AdoptionChoice = "abstain"
	Endorse     AdoptionChoice = "endorse"
)

// Adoption is one authority's vote or endorsement.
type Adoption struct {
	OrgKey  string `json:"organisation"`
	OrgName Text   `json:"organisation_name"`
	// OrgKana is the reading of a Japanese authority's name, by which
	// Japanese lists sort it.
	OrgKana string         `json:"organisation_kana,omitempty"`
	Country Country        `json:"country"`
	Choice  AdoptionChoice `json:"choice"`
	UserID  int64          `json:"user_id,omitempty"`
	At      time.Time      `json:"at"`
}

// DeclarationService is what the declaration's pages and API read and
// write through. Every write is one transaction, checks the declaration's
// state (no edit of a frozen or adopted text but by correction) and
// returns every fault at once in the reader's language.
type DeclarationService interface {
	DraftService
	AmendmentService
	AdoptionService
}

// DraftService is the draft: its segments, their versions, the
// translation marks, who takes part.
type DraftService interface {
	// StartDeclaration creates an edition's declaration (one per
	// edition), with the segments given (perhaps none).
	StartDeclaration(ctx context.Context, d *Declaration, by int64, now time.Time) error
	// Declaration reads a declaration with its live segments in order,
	// articles numbered; DeclarationOfEdition the one of an edition.
	Declaration(ctx context.Context, id int64) (*Declaration, error)
	DeclarationOfEdition(ctx context.Context, editionID int64) (*Declaration, error)
	// DeclarationAt reads the text as it stood after change rev.
	DeclarationAt(ctx context.Context, id, rev int64) (*Declaration, error)
	// SaveSegment creates (ID 0, placed after the segment afterID, 0 the
	// start) or changes a segment. s.Version must be the version the
	// editor read: when another save came in between it fails with a
	// conflict carrying the other's text (*SegmentConflict), nothing
	// saved. A language changed alone marks the others to check; a
	// language saved or confirmed clears its mark.
	SaveSegment(ctx context.Context, declID int64, s *Segment, afterID int64, by int64, now time.Time) error
	// ConfirmTranslation clears the mark of lang on a segment unchanged.
	ConfirmTranslation(ctx context.Context, declID, segID, version int64, lang Lang, by int64, now time.Time) error
	DeleteSegment(ctx context.Context, declID, segID, version int64, by int64, now time.Time) error
	// SegmentHistory lists a segment's versions, newest first;
	// DeclarationHistory every version of the declaration, newest first.
	SegmentHistory(ctx context.Context, declID, segID int64) ([]*SegmentVersion, error)
	DeclarationHistory(ctx context.Context, declID int64) ([]*SegmentVersion, error)
	// RestoreVersion makes an earlier version of a segment its current
	// text, as a new version.
	RestoreVersion(ctx context.Context, declID, versionID int64, by int64, now time.Time) error
	// TakesPart reports whether an account takes part in an edition and
	// so reads its declaration's draft and amendments: a member of one of
	// its committees, a contact of an authority with a delegation at the
	// edition, or a person registered (not withdrawn) with the account's
	// email. RegisteredOrgs lists the keys of the authorities with a
	// delegation at the edition with someone not withdrawn: those that
	// amend, support, vote and endorse.
	TakesPart(ctx context.Context, editionID, userID int64) (bool, error)
	RegisteredOrgs(ctx context.Context, editionID int64) ([]string, error)
	// JointCommittee is the id of the edition's joint committee, 0 when
	// it has none (then only the secretariat drafts).
	JointCommittee(ctx context.Context, editionID int64) (int64, error)
	// Declarations lists every declaration without its segments, in the
	// order of their editions; JointCommittees maps each edition with a
	// joint committee to it; EditionsTakenPart lists the editions an
	// account takes part in (TakesPart of each): together, the list of the
	// declarations a reader reads in three queries, however many editions.
	Declarations(ctx context.Context) ([]*Declaration, error)
	JointCommittees(ctx context.Context) (map[int64]int64, error)
	EditionsTakenPart(ctx context.Context, userID int64) ([]int64, error)
	// SetAmendmentPeriod opens the amendment period (both instants, or
	// none to close it).
	SetAmendmentPeriod(ctx context.Context, declID int64, opens, closes *time.Time, now time.Time) error
}

// AmendmentService is the amendments: proposed, translated, supported,
// withdrawn, decided.
type AmendmentService interface {
	Amendments(ctx context.Context, declID int64) ([]*Amendment, error)
	Amendment(ctx context.Context, id int64) (*Amendment, error)
	// ProposeAmendment records an amendment of an authority registered
	// for the edition, within the period, against the segment's current
	// version (else it must be re-based).
	ProposeAmendment(ctx context.Context, a *Amendment, by int64, now time.Time) error
	// TranslateAmendment supplies another language of an amendment
	// before its decision (the secretariat's translators).
	TranslateAmendment(ctx context.Context, id int64, lang Lang, text string, by int64, now time.Time) error
	SupportAmendment(ctx context.Context, id int64, orgKey string, by int64, now time.Time) error
	WithdrawSupport(ctx context.Context, id int64, orgKey string, now time.Time) error
	// WithdrawAmendment withdraws an amendment nobody supports.
	WithdrawAmendment(ctx context.Context, id int64, by int64, now time.Time) error
	// AcceptAmendment applies an amendment to the text (a new version
	// naming it); RejectAmendment records the reason; MergeAmendments
	// writes one amendment from several of one segment and applies it.
	// Each enqueues the authors' emails in their language.
	AcceptAmendment(ctx context.Context, id int64, by int64, now time.Time) error
	RejectAmendment(ctx context.Context, id int64, reason Text, by int64, now time.Time) error
	MergeAmendments(ctx context.Context, ids []int64, merged *Amendment, by int64, now time.Time) (int64, error)
}

// AdoptionService is the freeze, the vote or endorsement, the adoption and
// the corrections of an adopted text.
type AdoptionService interface {
	// FreezeDeclaration ends the edits and amendments and sets how the
	// text is adopted (and the endorsement deadline). Every amendment
	// still proposed must be decided first or named in leave: the
	// committee does not take it up, and it stays proposed, undecided.
	FreezeDeclaration(ctx context.Context, declID int64, mode AdoptionMode, endorseUntil *time.Time, leave []int64, now time.Time) error
	// Adoptions lists the votes or endorsements recorded.
	Adoptions(ctx context.Context, declID int64) ([]*Adoption, error)
	// RecordVote records an authority's vote (the committee, in plenary);
	// EndorseDeclaration an authority's endorsement (its contact).
	RecordVote(ctx context.Context, declID int64, orgKey string, choice AdoptionChoice, by int64, now time.Time) error
	EndorseDeclaration(ctx context.Context, declID int64, orgKey string, by int64, now time.Time) error
	// AdoptDeclaration records the adoption: the text becomes immutable.
	AdoptDeclaration(ctx context.Context, declID int64, by int64, now time.Time) error
	// CorrectDeclaration changes segments of an adopted text as one dated
	// correction with its reason.
	CorrectDeclaration(ctx context.Context, declID int64, segs []*Segment, reason Text, by int64, now time.Time) (*DeclarationCorrection, error)
	Corrections(ctx context.Context, declID int64) ([]*DeclarationCorrection, error)
}

// SegmentConflict is the error of a save made against a version of a
// segment that another save has replaced: the editor is told and shown the
// other's text, and nothing is lost (their own text is sent back to the
// form).
//
// Its *Error is the field Err (an embedded *Error would be a field named
// Error hiding the method, and SegmentConflict would not be an error).
type SegmentConflict struct {
	Err     *Error
	Current *Segment // the segment as the other save left it
}

func (c *SegmentConflict) Error() string { return c.Err.Error() }

// Unwrap lets errors.As find the *Error inside.
func (c *SegmentConflict) Unwrap() error { return c.Err }
