package rencontres

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// The review of a call's proposals by the committees of its event's
// edition, with the secretariat (issue 15): who reviews, who may not
// (conflicts of interest), the scores, the dashboard, the decisions and
// their release.

// Reviewer is an account that may review a call's proposals: a member of
// one of the committees of the call's edition, or the secretariat.
type Reviewer struct {
	UserID   int64  `json:"user_id"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Role     Role   `json:"role"`
	Assigned int    `json:"assigned"` // proposals of the call assigned
	Done     int    `json:"done"`     // reviews written
}

// ConflictReason says why a reviewer may not review a proposal.
type ConflictReason string

// Reasons of a conflict of interest.
const (
	ConflictOwn      ConflictReason = "own"      // the reviewer's own authority
	ConflictTwin     ConflictReason = "twin"     // a partner (twin…) of it
	ConflictDeclared ConflictReason = "declared" // declared by the reviewer
)

// Assignment is a reviewer assigned to a proposal.
type Assignment struct {
	ProposalID int64 `json:"proposal_id"`
	UserID     int64 `json:"user_id"`
}

// ReviewPhase is where a call's review stands at an instant.
type ReviewPhase string

// Phases of the review.
const (
	ReviewNotYet   ReviewPhase = "not_yet"  // before review_opens, or no dates
	ReviewOpen     ReviewPhase = "open"     // reviews may be written
	ReviewClosed   ReviewPhase = "closed"   // after review_closes, decisions to take
	ReviewReleased ReviewPhase = "released" // decisions released
)

// ReviewPhase returns the call's phase at now.
func (c *Call) ReviewPhase(now time.Time) ReviewPhase {
	switch {
	case c.Released != nil:
		return ReviewReleased
	case c.ReviewOpens == nil || now.Before(*c.ReviewOpens):
		return ReviewNotYet
	case c.ReviewCloses != nil && !now.Before(*c.ReviewCloses):
		return ReviewClosed
	}
	return ReviewOpen
}

// CheckReview checks a review against the call's categories: every
// category scored, each score within its scale, no unknown category,
// comments of a reasonable length. Every fault is told at once.
func (c *Call) CheckReview(r *Review) error {
	var errs []error
	for _, cat := range c.Categories {
		v, ok := r.Scores[cat.Key]
		switch {
		case !ok:
			errs = append(errs, &Error{Code: EINVALID, Key: "error.score_missing", Field: "scores." + cat.Key,
				Message: fmt.Sprintf("score %q is missing", cat.Key), Args: map[string]any{"Category": cat.Label}})
		case v < cat.Min || v > cat.Max:
			errs = append(errs, &Error{Code: EINVALID, Key: "error.score_out_of_scale", Field: "scores." + cat.Key,
				Message: fmt.Sprintf("score %q must be from %d to %d", cat.Key, cat.Min, cat.Max),
				Args:    map[string]any{"Min": cat.Min, "Max": cat.Max}})
		}
	}
	for k := range r.Scores {
		if !slices.ContainsFunc(c.Categories, func(cat ScoreCategory) bool { return cat.Key == k }) {
			errs = append(errs, &Error{Code: EINVALID, Key: "error.score_unknown", Field: "scores." + k,
				Message: fmt.Sprintf("%q is not a score category of this call", k)})
		}
	}
	r.CommentAuthors, r.CommentCommittee = strings.TrimSpace(r.CommentAuthors), strings.TrimSpace(r.CommentCommittee)
	for field, s := range map[string]string{"comment_authors": r.CommentAuthors, "comment_committee": r.CommentCommittee} {
		if len([]rune(s)) > MaxReviewComment {
			errs = append(errs, &Error{Code: EINVALID, Key: "error.too_long", Field: field, Message: "comment too long", Args: map[string]any{"Max": MaxReviewComment}})
		}
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.(*Error).Field, b.(*Error).Field) })
	return Join(errs...)
}

// MaxReviewComment is the longest comment of a review, in characters.
const MaxReviewComment = 10000

// Score is a review's overall score: the weighted mean of its scores,
// each brought to a percentage of its category's scale, so that a 1–5
// and a 0–10 category weigh as their weights say. It is NaN when the
// call has no category.
func (c *Call) Score(scores map[string]int) float64 {
	var sum, weights float64
	for _, cat := range c.Categories {
		v, ok := scores[cat.Key]
		if !ok || cat.Max <= cat.Min {
			continue
		}
		w := cat.Weight
		if w <= 0 {
			w = 1
		}
		sum += w * 100 * float64(v-cat.Min) / float64(cat.Max-cat.Min)
		weights += w
	}
	if weights == 0 {
		return math.NaN()
	}
	return sum / weights
}

// MeanAndSpread returns the mean of scores and their spread (population
// standard deviation); NaN for both when there is none.
func MeanAndSpread(scores []float64) (mean, spread float64) {
	if len(scores) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, s := range scores {
		mean += s
	}
	mean /= float64(len(scores))
	for _, s := range scores {
		spread += (s - mean) * (s - mean)
	}
	return mean, math.Sqrt(spread / float64(len(scores)))
}

// DashboardRow is one proposal on the review's dashboard.
type DashboardRow struct {
	ProposalID int64            `json:"proposal_id"`
	Title      Text             `json:"title"`
	Workshop   int              `json:"workshop,omitempty"`
	Reviews    int              `json:"reviews"`
	Assigned   int              `json:"assigned"`
	Mean       *float64         `json:"mean"`   // nil without reviews
	Spread     *float64         `json:"spread"` // nil without reviews
	TooFew     bool             `json:"too_few"`
	Pending    bool             `json:"translation_pending"`
	Decision   ProposalDecision `json:"decision,omitempty"`
	SessionID  int64            `json:"session_id,omitempty"`
}

// Dashboard is the state of a call's review: reviews done per reviewer,
// proposals by mean score (best first) with their spread, those with
// fewer reviews than the call asks, the translations pending.
type Dashboard struct {
	CallID     int64          `json:"call_id"`
	Phase      ReviewPhase    `json:"phase"`
	MinReviews int            `json:"min_reviews"`
	Reviewers  []*Reviewer    `json:"reviewers"`
	Proposals  []DashboardRow `json:"proposals"`
	TooFew     int            `json:"too_few"`
	Pending    int            `json:"translations_pending"`
	Released   *time.Time     `json:"released_at,omitempty"`
}

// ProposalVerdict is what the secretariat records on a proposal, pending until
// the call's decisions are released. Workshop is the other workshop of
// AcceptedOther, by its number from 1 (EditionWorkshop); SessionID, when set on an accepted proposal, the
// programme session it will join (else the release makes one per
// workshop).
type ProposalVerdict struct {
	ProposalID int64            `json:"proposal_id"`
	Decision   ProposalDecision `json:"decision"`
	Workshop   int              `json:"workshop,omitempty"`
	Note       Text             `json:"note,omitempty"`
	SessionID  int64            `json:"session_id,omitempty"`
}

// Check checks a decision on its own; the workshop and session are the
// store's to check against the edition.
func (d *ProposalVerdict) Check() error {
	var errs []error
	if !slices.Contains(ProposalDecisions, d.Decision) && d.Decision != Undecided {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_decision", Field: "decision", Message: fmt.Sprintf("unknown decision %q", d.Decision)})
	}
	if d.Decision == AcceptedOther && d.Workshop == 0 {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.required", Field: "workshop", Message: "accepted for another workshop: which one"})
	}
	if d.Decision != AcceptedOther {
		d.Workshop = 0
	}
	if !d.Decision.IsAccepted() {
		d.SessionID = 0
	}
	if err := d.Note.Validate("note", false); err != nil {
		errs = append(errs, err)
	}
	return Join(errs...)
}

// Letter placeholders: a decision letter names them {{authority}},
// {{title}}, {{workshop}}, {{comments}}, as the campaign editor names its
// fields. The first line of a letter is its subject.
var LetterFields = []string{"authority", "title", "workshop", "comments"}

// FillLetter replaces the placeholders of a letter with values; an
// unknown placeholder is left as written, for the editor's check to show.
func FillLetter(letter string, values map[string]string) (subject, body string) {
	for _, f := range LetterFields {
		letter = strings.ReplaceAll(letter, "{{"+f+"}}", values[f])
	}
	letter = strings.TrimSpace(strings.ReplaceAll(letter, "\r\n", "\n"))
	subject, body, _ = strings.Cut(letter, "\n")
	return strings.TrimSpace(subject), strings.TrimSpace(body)
}

// CheckLetters checks the decision letters: a known decision, a known
// language, only known placeholders, a subject line and a body.
func CheckLetters(letters map[ProposalDecision]Text) error {
	sample := map[string]string{}
	for _, f := range LetterFields {
		sample[f] = f
	}
	var errs []error
	for d, t := range letters {
		if !slices.Contains(ProposalDecisions, d) {
			errs = append(errs, &Error{Code: EINVALID, Key: "error.bad_decision", Field: "letters." + string(d), Message: fmt.Sprintf("unknown decision %q", d)})
			continue
		}
		if err := t.Validate("letters."+string(d), false); err != nil {
			errs = append(errs, err)
			continue
		}
		for _, l := range Langs {
			s := t[l]
			if s == "" {
				continue
			}
			field := "letters." + string(d) + "." + string(l)
			for rest := s; ; {
				i := strings.Index(rest, "{{")
				if i < 0 {
					break
				}
				j := strings.Index(rest[i:], "}}")
				if j < 0 {
					break
				}
				name := rest[i+2 : i+j]
				if !slices.Contains(LetterFields, name) {
					errs = append(errs, &Error{Code: EINVALID, Key: "error.decision_letter_field", Field: field,
						Message: fmt.Sprintf("unknown field {{%s}}", name), Args: map[string]any{"Name": name}})
					break
				}
				rest = rest[i+j+2:]
			}
			if subject, body := FillLetter(s, sample); subject == "" || body == "" {
				errs = append(errs, &Error{Code: EINVALID, Key: "error.letter_subject_body", Field: field,
					Message: "a letter needs a subject on its first line and a body below"})
			}
		}
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.(*Error).Field, b.(*Error).Field) })
	return Join(errs...)
}

// ReviewService is the review of a call's proposals and their decisions
// (store/review.go, store/decision.go).
type ReviewService interface {
	Releaser
	// ReviewCall is a call with its review settings; ProposalCall, a
	// proposal's call; ReviewCommittees, the committees of the call's
	// edition, whose members review it.
	ReviewCall(ctx context.Context, id int64) (*Call, error)
	ProposalCall(ctx context.Context, proposalID int64) (*Call, error)
	ReviewCommittees(ctx context.Context, callID int64) ([]int64, error)
	// ReviewProposal is a proposal as the review reads it; CallProposals,
	// a call's submitted proposals.
	ReviewProposal(ctx context.Context, id int64) (*Proposal, error)
	CallProposals(ctx context.Context, callID int64) ([]*Proposal, error)
	IsAssigned(ctx context.Context, proposalID, userID int64) (bool, error)
	// CallWorkshops are the workshops of the call's edition by seq;
	// CallSessions, the sessions of its programme, for the decisions.
	CallWorkshops(ctx context.Context, callID int64) (map[int]Text, error)
	CallSessions(ctx context.Context, callID int64) ([]*Session, error)
	// Reviewers lists who may review the call, with their load.
	Reviewers(ctx context.Context, callID int64) ([]*Reviewer, error)
	// ProposalReviewers lists the reviewers assigned to a proposal.
	ProposalReviewers(ctx context.Context, proposalID int64) ([]*Reviewer, error)
	// SetReviewers assigns exactly these reviewers to a proposal, refusing
	// one who is not a reviewer of the call or is in conflict.
	SetReviewers(ctx context.Context, proposalID int64, userIDs []int64, by int64, now time.Time) error
	// SpreadReviewers gives each proposal of the call k reviewers, evenly
	// (see internal/assign); it returns the assignments added.
	SpreadReviewers(ctx context.Context, callID int64, k int, by int64, now time.Time) ([]Assignment, error)
	// Conflict says whether a user may not review a proposal, and why.
	Conflict(ctx context.Context, proposalID, userID int64) (ConflictReason, error)
	DeclareConflict(ctx context.Context, proposalID, userID int64, reason string, now time.Time) error
	// AssignedProposals lists the proposals assigned to a reviewer, of
	// one call or (0) of every call.
	AssignedProposals(ctx context.Context, userID, callID int64) ([]*Proposal, error)
	// SaveReview saves a reviewer's own review, checked against the call
	// at now.
	SaveReview(ctx context.Context, r *Review, now time.Time) error
	Review(ctx context.Context, proposalID, userID int64) (*Review, error)
	// Reviews lists a proposal's reviews as userID may see them (0: the
	// secretariat, every review).
	Reviews(ctx context.Context, proposalID, userID int64) ([]*Review, error)
	Dashboard(ctx context.Context, callID int64, now time.Time) (*Dashboard, error)
	SetDecision(ctx context.Context, d *ProposalVerdict, by int64, now time.Time) error
	SetLetters(ctx context.Context, callID int64, letters map[ProposalDecision]Text) error
}

// DecisionLetter is one email of a release: the call's letter for the
// proposal's decision in the recipient's language, filled in.
type DecisionLetter struct {
	ProposalID int64
	Decision   ProposalDecision
	ToEmail    string
	ToName     string
	Lang       Lang
	Subject    string
	Body       string
}

// Releaser releases a call's decisions together (store/decision.go): in
// one transaction it marks the call and its decided proposals released,
// queues one letter per recipient (made by compose) and puts each
// accepted proposal in a programme session, its presenters the session's
// speakers. A call is released once; every proposal must be decided.
type Releaser interface {
	ReleaseDecisions(ctx context.Context, callID, by int64, now time.Time, placements []Placement,
		compose func(l *DecisionLetter) (*QueuedMail, error)) ([]*QueuedMail, error)
	// WorkshopSessions are the programme's session of each workshop of
	// the call's edition (by workshop number, from 1), where the release
	// puts its accepted practices unless told otherwise.
	WorkshopSessions(ctx context.Context, callID int64) (map[int]int64, error)
}

// Placement says which programme session receives, at the release, the
// accepted practices of a workshop that their decision gave no session:
// an existing session of the edition (SessionID), or a new session of the
// workshop, titled as it, at New's times and in its room. Without one, a
// workshop's practices go to its session in the programme, and the
// release is refused when it has none.
type Placement struct {
	Workshop  int         `json:"workshop"` // from 1, as in ProposalVerdict
	SessionID int64       `json:"session_id,omitempty"`
	New       *NewSession `json:"new_session,omitempty"`
}

// NewSession is a session a release makes for a workshop.
type NewSession struct {
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	RoomID int64     `json:"room,omitempty"`
}

// CheckPlacements checks placements on their own: each names a workshop
// once, and either a session or a new one, not both.
func CheckPlacements(placements []Placement) error {
	var errs []error
	seen := map[int]bool{}
	for _, pl := range placements {
		field := fmt.Sprintf("placements.%d", pl.Workshop)
		switch {
		case pl.Workshop < 1:
			errs = append(errs, &Error{Code: EINVALID, Key: "error.unknown_workshop", Field: "placements",
				Message: fmt.Sprintf("workshop %d is not a workshop of this edition", pl.Workshop)})
		case seen[pl.Workshop]:
			errs = append(errs, &Error{Code: EINVALID, Key: "error.placement_twice", Field: field,
				Message: fmt.Sprintf("workshop %d is placed twice", pl.Workshop), Args: map[string]any{"Workshop": pl.Workshop}})
		case (pl.SessionID != 0) == (pl.New != nil):
			errs = append(errs, &Error{Code: EINVALID, Key: "error.placement_one", Field: field,
				Message: "give either an existing session or a new one", Args: map[string]any{"Workshop": pl.Workshop}})
		}
		seen[pl.Workshop] = true
	}
	return Join(errs...)
}
