package rencontres

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Workshop numbers. Call.Workshops, Proposal.Workshop and
// Proposal.DecisionWorkshop name an edition's workshop by its number from
// 1 (Edition.Workshops[n-1]), 0 being none; the tables hold the seq of
// edition_workshops (n-1), NULL for none.

// EditionWorkshop returns workshop n (from 1) of an edition's workshops.
func EditionWorkshop(ws []Workshop, n int) (Workshop, bool) {
	if n < 1 || n > len(ws) {
		return Workshop{}, false
	}
	return ws[n-1], true
}

// Limits of a call's and a proposal's texts, in characters per language.
const (
	MaxPracticeTitle   = 300
	MaxPracticeSummary = 6000
	MaxCallIntro       = 10000
	MaxPresenters      = 20
	MaxProposalOrgs    = 30
)

// OpenAt reports whether the call takes proposals at t.
func (c *Call) OpenAt(t time.Time) bool {
	return !t.Before(c.Opens) && t.Before(c.Deadline)
}

// InReview reports whether reviewing is open at t.
func (c *Call) InReview(t time.Time) bool {
	return c.ReviewOpens != nil && !t.Before(*c.ReviewOpens) && (c.ReviewCloses == nil || t.Before(*c.ReviewCloses))
}

// AuthorsMayEdit reports whether authors may change a proposal at t:
// while the call is open, or while reviewing is open when the call lets
// them.
func (c *Call) AuthorsMayEdit(t time.Time) bool {
	return c.OpenAt(t) || (c.AuthorsEditInReview && c.InReview(t))
}

// Form is the call's questions as a registration form's, whose checks
// they share.
func (c *Call) Form() *RegistrationForm {
	return &RegistrationForm{EventID: c.EventID, Opens: c.Opens, Deadline: c.Deadline, Questions: c.Questions}
}

func invalid(key, field, msg string, args map[string]any) *Error {
	return &Error{Code: EINVALID, Key: key, Field: field, Message: msg, Args: args}
}

// Validate checks a call by itself: kind, title, dates in order,
// questions, score categories, visibility and letters. workshops is the
// number of the edition's workshops the call may feed. Every fault is
// reported at once (see Join).
func (c *Call) Validate(workshops int) error {
	var errs []error
	if !slices.Contains(CallKinds, c.Kind) {
		errs = append(errs, invalid("call.err_kind", "kind", fmt.Sprintf("unknown kind of call %q", c.Kind), nil))
	}
	c.Title = trimText(c.Title)
	c.Intro = trimText(c.Intro)
	if err := c.Title.Validate("title", true); err != nil {
		errs = append(errs, err)
	} else if tooLong(c.Title, MaxPracticeTitle) {
		errs = append(errs, invalid("error.too_long", "title", "too long", map[string]any{"Max": MaxPracticeTitle}))
	}
	if err := c.Intro.Validate("intro", false); err != nil {
		errs = append(errs, err)
	} else if tooLong(c.Intro, MaxCallIntro) {
		errs = append(errs, invalid("error.too_long", "intro", "too long", map[string]any{"Max": MaxCallIntro}))
	}
	switch {
	case c.Opens.IsZero() || c.Deadline.IsZero():
		errs = append(errs, invalid("error.required", "deadline", "give the opening and the deadline", nil))
	case !c.Deadline.After(c.Opens):
		errs = append(errs, invalid("error.end_before_start", "deadline", "the deadline is before the opening", nil))
	}
	seen := map[int]bool{}
	for _, n := range c.Workshops {
		if n < 1 || n > workshops || seen[n] {
			errs = append(errs, invalid("proposal.err_workshop", "workshops", fmt.Sprintf("no workshop %d in this edition", n), map[string]any{"Value": n}))
			break
		}
		seen[n] = true
	}
	slices.Sort(c.Workshops)
	if c.Workshops == nil {
		c.Workshops = []int{}
	}
	f := c.Form()
	qs := map[string]*Question{}
	for i := range c.Questions {
		if err := f.validateQuestion(i, qs); err != nil {
			errs = append(errs, err)
		}
		qs[c.Questions[i].Key] = &c.Questions[i]
	}
	if c.Questions == nil {
		c.Questions = []Question{}
	}
	keys := map[string]bool{}
	for i := range c.Categories {
		if err := c.Categories[i].validate(i, keys); err != nil {
			errs = append(errs, err)
		}
		keys[c.Categories[i].Key] = true
	}
	if c.Categories == nil {
		c.Categories = []ScoreCategory{}
	}
	if c.Visibility == "" {
		c.Visibility = SeeAfterOwn
	}
	if !slices.Contains(ReviewVisibilities, c.Visibility) {
		errs = append(errs, invalid("call.err_visibility", "visibility", fmt.Sprintf("unknown visibility %q", c.Visibility), nil))
	}
	if c.MinReviews < 0 || c.MinReviews > 20 {
		errs = append(errs, invalid("call.err_min_reviews", "min_reviews", "0 to 20 reviews", nil))
	}
	if c.ReviewOpens != nil && c.ReviewCloses != nil && !c.ReviewCloses.After(*c.ReviewOpens) {
		errs = append(errs, invalid("error.end_before_start", "review_closes", "reviewing closes before it opens", nil))
	}
	if c.ReviewOpens != nil && !c.Opens.IsZero() && c.ReviewOpens.Before(c.Opens) {
		errs = append(errs, invalid("call.err_review_before_call", "review_opens", "reviewing opens before the call", nil))
	}
	if c.DecisionsAt != nil {
		last := c.Deadline
		if c.ReviewCloses != nil {
			last = *c.ReviewCloses
		}
		if !last.IsZero() && c.DecisionsAt.Before(last) {
			errs = append(errs, invalid("call.err_decisions_early", "decisions_at", "the decisions come before the proposals are reviewed", nil))
		}
	}
	for d, t := range c.Letters {
		if !slices.Contains(ProposalDecisions, d) {
			errs = append(errs, invalid("call.err_letter", "letters", fmt.Sprintf("no decision %q", d), nil))
			continue
		}
		if err := t.Validate("letters", false); err != nil {
			errs = append(errs, err)
		}
	}
	return Join(errs...)
}

func (k *ScoreCategory) validate(i int, seen map[string]bool) error {
	field := fmt.Sprintf("categories[%d]", i)
	k.Label = trimText(k.Label)
	switch {
	case !slugRE.MatchString(k.Key):
		return invalid("call.err_category_key", field, fmt.Sprintf("category key %q: use lower-case letters, digits and hyphens", k.Key), map[string]any{"Value": k.Key})
	case seen[k.Key]:
		return invalid("call.err_category_twice", field, fmt.Sprintf("category key %q is used twice", k.Key), map[string]any{"Value": k.Key})
	case k.Label.IsZero():
		return invalid("error.required", field, "a category needs a label", nil)
	case k.Min < 0 || k.Max <= k.Min || k.Max > 100:
		return invalid("call.err_scale", field, "the scale goes from a minimum to a greater maximum, 0 to 100", nil)
	case k.Weight <= 0 || k.Weight > 100:
		return invalid("call.err_weight", field, "the weight is above 0 and at most 100", nil)
	}
	return k.Label.Validate(field, true)
}

func trimText(t Text) Text {
	out := Text{}
	for l, v := range t {
		if v = strings.TrimSpace(v); v != "" {
			out[l] = v
		}
	}
	return out
}

func tooLong(t Text, max int) bool {
	for _, v := range t {
		if utf8.RuneCountInString(v) > max {
			return true
		}
	}
	return false
}

// Validate checks a proposal against its call, whose workshops and
// questions it answers: a title and a summary each in French or Japanese,
// SDGs and workshop known, answers to the required questions, exactly one
// lead authority, presenters named, a contact. It normalises what it
// checks (texts trimmed, SDGs sorted, answers kept to the questions) and
// reports every fault at once (see Join). The call's dates are checked by
// the store, which knows the time.
func (p *Proposal) Validate(c *Call) error {
	var errs []error
	p.Title, p.Summary = trimText(p.Title), trimText(p.Summary)
	for _, f := range []struct {
		name string
		t    Text
		max  int
	}{{"title", p.Title, MaxPracticeTitle}, {"summary", p.Summary, MaxPracticeSummary}} {
		if err := f.t.Validate(f.name, false); err != nil {
			errs = append(errs, err)
			continue
		}
		if f.t[French] == "" && f.t[Japanese] == "" {
			errs = append(errs, invalid("proposal.err_text_required", f.name, "write it in French or in Japanese", nil))
		} else if tooLong(f.t, f.max) {
			errs = append(errs, invalid("error.too_long", f.name, "too long", map[string]any{"Max": f.max}))
		}
	}
	sdgs := []int{}
	for _, n := range p.SDGs {
		if _, err := SDGByNumber(n); err != nil || slices.Contains(sdgs, n) {
			errs = append(errs, invalid("error.bad_sdg", "sdgs", fmt.Sprintf("there is no SDG %d", n), map[string]any{"Value": n}))
			break
		}
		sdgs = append(sdgs, n)
	}
	slices.Sort(sdgs)
	p.SDGs = sdgs
	if p.Workshop != 0 && !slices.Contains(c.Workshops, p.Workshop) {
		errs = append(errs, invalid("proposal.err_workshop", "workshop", fmt.Sprintf("the call has no workshop %d", p.Workshop), map[string]any{"Value": p.Workshop}))
	}
	if answers, err := c.Form().CheckAnswers(p.Answers); err != nil {
		errs = append(errs, err)
	} else {
		p.Answers = answers
	}
	leads, keys := 0, map[string]bool{}
	for i := range p.Orgs {
		o := &p.Orgs[i]
		o.Key = strings.TrimSpace(o.Key)
		switch {
		case o.Role == LeadProposer:
			leads++
		case o.Role != CoProposer && o.Role != PartnerOrg:
			errs = append(errs, invalid("proposal.err_org_role", "organisations", fmt.Sprintf("unknown part %q", o.Role), nil))
		}
		if keys[o.Key] {
			errs = append(errs, invalid("proposal.err_org_twice", "organisations", fmt.Sprintf("%s is named twice", o.Key), map[string]any{"Value": o.Key}))
		}
		keys[o.Key] = true
	}
	if leads != 1 {
		errs = append(errs, invalid("proposal.err_lead", "organisation", "a proposal has one proposing authority", nil))
	}
	if len(p.Orgs) > MaxProposalOrgs {
		errs = append(errs, invalid("error.too_many", "organisations", "too many authorities", map[string]any{"Max": MaxProposalOrgs}))
	}
	if len(p.Presenters) > MaxPresenters {
		errs = append(errs, invalid("error.too_many", "presenters", "too many presenters", map[string]any{"Max": MaxPresenters}))
	}
	for i := range p.Presenters {
		pr := &p.Presenters[i]
		pr.Person, pr.Function = strings.TrimSpace(pr.Person), trimText(pr.Function)
		field := fmt.Sprintf("presenters[%d]", i)
		switch {
		case pr.Person == "" && pr.UserID == 0:
			errs = append(errs, invalid("proposal.err_presenter_name", field, "give the presenter's name", nil))
		case utf8.RuneCountInString(pr.Person) > MaxNameLen || tooLong(pr.Function, MaxNameLen):
			errs = append(errs, invalid("error.too_long", field, "too long", map[string]any{"Max": MaxNameLen}))
		}
	}
	p.ContactName = strings.TrimSpace(p.ContactName)
	switch {
	case p.ContactName == "":
		errs = append(errs, invalid("error.required", "contact_name", "give the contact's name", nil))
	case utf8.RuneCountInString(p.ContactName) > MaxNameLen:
		errs = append(errs, invalid("error.too_long", "contact_name", "too long", map[string]any{"Max": MaxNameLen}))
	}
	if email, err := emailIn(p.ContactEmail, "contact_email"); err != nil {
		errs = append(errs, err)
	} else {
		p.ContactEmail = email
	}
	return Join(errs...)
}
