package rencontres

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// NewsPost is a news post of the secretariat: what happened at a meeting,
// a visit, an edition, told in French and Japanese (English optional),
// attached to events and authorities, with photos. It is a draft until
// published.
type NewsPost struct {
	ID    int64 `json:"id"`
	Title Text  `json:"title"`
	// Body is plain text: paragraphs apart by a blank line; addresses
	// (https://…) become links when shown. No markup is read from it.
	Body Text `json:"body"`
	// Events are the events the post is about (an edition, a meeting),
	// OrgKeys the authorities.
	Events  []*NewsEvent `json:"events"`
	OrgKeys []string     `json:"organisations"`
	// Published is when the post was published; nil for a draft.
	Published *time.Time `json:"published_at,omitempty"`
	// AuthorID is the account that wrote it; Author its name (empty once
	// the account is erased: the post stays).
	AuthorID int64        `json:"-"`
	Author   string       `json:"author,omitempty"`
	Created  time.Time    `json:"created_at"`
	Updated  time.Time    `json:"updated_at"`
	Photos   []*NewsPhoto `json:"photos"`
}

// NewsEvent is an event a post is attached to, as its pages name it.
type NewsEvent struct {
	ID    int64     `json:"id"`
	Kind  EventKind `json:"kind"`
	Title Text      `json:"title"`
	// Series and Number name an edition (its page is
	// /series/{series}/{number}); empty for a meeting.
	Series string `json:"series,omitempty"`
	Number int    `json:"number,omitempty"`
	Short  Text   `json:"-"`
}

// AsEvent is the event as the pages that name events read it.
func (e *NewsEvent) AsEvent() *Event {
	return &Event{ID: e.ID, Kind: e.Kind, Title: e.Title, Series: e.Series, Number: e.Number, SeriesShort: e.Short}
}

// IsDraft reports whether the post is not published.
func (p *NewsPost) IsDraft() bool { return p.Published == nil }

// Cover is the post's first photo, nil when it has none.
func (p *NewsPost) Cover() *NewsPhoto {
	if len(p.Photos) == 0 {
		return nil
	}
	return p.Photos[0]
}

// NewsPhoto is a photo of a post: a caption, a text alternative in each
// language (French and Japanese required), a credit, and its files at the
// widths pages serve.
type NewsPhoto struct {
	ID      int64  `json:"id"`
	PostID  int64  `json:"post_id"`
	Caption Text   `json:"caption"`
	Alt     Text   `json:"alt"`
	Credit  string `json:"credit"`
	// Width and Height are the photo's size upright; Widths, the widths
	// of its files, narrowest first.
	Width    int       `json:"width"`
	Height   int       `json:"height"`
	Widths   []int     `json:"widths"`
	Uploaded time.Time `json:"uploaded_at"`
}

// NewsFilter selects posts: published only unless Drafts, attached to an
// event or an authority when given, newest first, a page at a time.
type NewsFilter struct {
	Drafts  bool
	EventID int64
	OrgKey  string
	Limit   int
	Offset  int
}

// NewsPageSize is the number of posts a page of the list shows.
const NewsPageSize = 10

// Limits of a post's text, so that a typing accident is caught and a page
// stays readable.
const (
	maxNewsTitle   = 200
	maxNewsBody    = 20000
	maxNewsCaption = 1000
	maxNewsCredit  = 200
	maxNewsLinks   = 50
)

// required is the languages a post and a photo's text alternative must
// have: the network reads French and Japanese.
var required = []Lang{French, Japanese}

// Validate checks a post: a title in French and in Japanese, a body in
// both, lengths, no language unknown. Every fault is returned at once.
func (p *NewsPost) Validate() error {
	var errs []error
	errs = append(errs, checkLangs(p.Title, "title", maxNewsTitle, true), checkLangs(p.Body, "body", maxNewsBody, true))
	if len(p.Events) > maxNewsLinks {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.too_many", Field: "events", Message: "too many events", Args: map[string]any{"Max": maxNewsLinks}})
	}
	if len(p.OrgKeys) > maxNewsLinks {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.too_many", Field: "organisations", Message: "too many authorities", Args: map[string]any{"Max": maxNewsLinks}})
	}
	return Join(errs...)
}

// Validate checks a photo's texts: a text alternative in French and in
// Japanese, lengths.
func (ph *NewsPhoto) Validate() error {
	var errs []error
	errs = append(errs, checkLangs(ph.Alt, "alt", maxNewsCaption, true), checkLangs(ph.Caption, "caption", maxNewsCaption, false))
	if utf8.RuneCountInString(ph.Credit) > maxNewsCredit {
		errs = append(errs, &Error{Code: EINVALID, Key: "error.too_long", Field: "credit", Message: "too long", Args: map[string]any{"Max": maxNewsCredit}})
	}
	return Join(errs...)
}

// checkLangs checks a translated field: each entry trimmed and not too
// long, and, when required, an entry in French and in Japanese, each
// missing one a fault on its own field (title.fr, title.ja).
func checkLangs(t Text, field string, maxLen int, req bool) error {
	if err := t.Validate(field, false); err != nil {
		return err
	}
	var errs []error
	for l, v := range t {
		if v = strings.TrimSpace(v); v == "" {
			delete(t, l)
		} else {
			t[l] = v
		}
	}
	for _, l := range Langs {
		if utf8.RuneCountInString(t[l]) > maxLen {
			errs = append(errs, &Error{Code: EINVALID, Key: "error.too_long", Field: field + "." + string(l),
				Message: fmt.Sprintf("longer than %d characters", maxLen), Args: map[string]any{"Max": maxLen}})
		}
	}
	if req {
		for _, l := range required {
			if t[l] == "" {
				errs = append(errs, &Error{Code: EINVALID, Key: "error.news_required_" + field + "_" + string(l), Field: field + "." + string(l),
					Message: fmt.Sprintf("the %s in %s is required", field, l)})
			}
		}
	}
	return Join(errs...)
}

// NewsService reads and writes news posts and their photos.
type NewsService interface {
	// NewsPosts lists the posts the filter selects, newest first (by
	// publication, drafts by their last change), and how many there are.
	NewsPosts(ctx context.Context, f NewsFilter) ([]*NewsPost, int, error)
	// NewsPost returns a post, draft or not, with its photos.
	NewsPost(ctx context.Context, id int64) (*NewsPost, error)
	// SaveNewsPost creates a post (ID 0) or changes its texts and what it
	// is attached to; publication is PublishNewsPost's.
	SaveNewsPost(ctx context.Context, p *NewsPost, eventIDs []int64, by int64) error
	// PublishNewsPost publishes a post (at its first publication's time
	// when it was published before) or, with publish false, makes it a
	// draft again.
	PublishNewsPost(ctx context.Context, id int64, publish bool, at time.Time) (*NewsPost, error)
	DeleteNewsPost(ctx context.Context, id int64) error
	// AddNewsPhoto checks an upload and stores its files; name and
	// declared are the file's name and the type its sender gave, which
	// must agree with its content.
	AddNewsPhoto(ctx context.Context, ph *NewsPhoto, name, declared string, data []byte, by int64) error
	UpdateNewsPhoto(ctx context.Context, ph *NewsPhoto) error
	DeleteNewsPhoto(ctx context.Context, postID, id int64) error
	// NewsPhotoFile returns a photo's file at a width, with its digest,
	// when the photo's post is published or drafts is set.
	NewsPhotoFile(ctx context.Context, id int64, width int, drafts bool) (data []byte, sha string, err error)
}
