package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/rencontres/rencontres/internal/campaign"
	"github.com/rencontres/rencontres/internal/cursor"
	"github.com/rencontres/rencontres/internal/httpcode"
	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// A draft's editor: the recipients' filter, the attachments, the
// reminders, a letter per language with the palette of fields, a live
// preview, the recipients and problems, and sending. The form is read
// into a campaign the same way to save, preview or send it.

// CampaignEditor is the data of a draft's page.
type CampaignEditor struct {
	Campaign *rencontres.Campaign
	Event    *rencontres.Event
	// Form holds the text inputs as typed; Letters each language's letter.
	Form    map[string]string
	Letters []LetterForm
	// The filter's and attachments' boxes.
	Countries, Kinds, Committees, PastEvents, Documents []Choice
	Fields                                              []PaletteField
	Errors                                              map[string]string
	// Recipients and Problems are those of the draft as saved; Audience
	// says why there are none to list. Shown is the page of recipients
	// the table lists, Pager links the others.
	Recipients []*rencontres.Recipient
	Shown      []*rencontres.Recipient
	Pager      Pager
	Problems   []ProblemView
	Audience   string
	// Past, when the event has ended or its deadline has passed, says so
	// with the dates: the label of the box that confirms sending anyway.
	Past string
	// ConfirmPast keeps the box ticked when a send is refused for another
	// reason, so that the next click sends.
	ConfirmPast bool
	Preview     PreviewView
	Done        string
	// Calls are the event's calls for proposals; Call the one the
	// letters link to ({{call.link}}), 0 for none.
	Calls []*rencontres.Call
	Call  int64
	// Registrants is the box of registered people (campaign_registrants.go).
	Registrants RegistrantsForm
}

// LetterForm is one language's letter in the editor.
type LetterForm struct {
	Lang        rencontres.Lang
	T           letter.Template
	Signatories [letter.MaxSignatories]SignatoryForm
	Attachments string
}

// SignatoryForm is a signature block as typed: a name, its function's
// lines.
type SignatoryForm struct{ Name, Function string }

// Choice is one box of a group of checkboxes.
type Choice struct {
	Value, Label string
	Checked      bool
}

// ChoiceGroup is a group of checkboxes sharing a name.
type ChoiceGroup struct {
	Name    string
	Choices []Choice
}

// PaletteField is a field the letter may name, with its label in the
// reader's language.
type PaletteField struct{ Name, Label string }

// ProblemView is a recipient the campaign cannot write to, and why, in
// the reader's language.
type ProblemView struct {
	rencontres.Problem
	Text string
}

// PreviewView is the live preview: one recipient's letter, or why it
// cannot be rendered.
type PreviewView struct {
	HTML    template.HTML
	Subject string
	// Missing names the fields this recipient has no value for.
	Missing string
	Error   string
	// Lang and Recipient are the choices of the preview's form.
	Lang, Recipient string
}

// pathEditor is the campaign named by the path, and its editor.
func (s *Site) pathEditor(r *http.Request, p *Page) (*rencontres.Campaign, *CampaignEditor, error) {
	c, err := s.pathCampaign(r)
	if err != nil {
		return nil, nil, err
	}
	d, err := s.newEditor(r, p, c)
	return c, d, err
}

// newEditor fills the editor from a campaign as it is.
func (s *Site) newEditor(r *http.Request, p *Page, c *rencontres.Campaign) (*CampaignEditor, error) {
	d := &CampaignEditor{Campaign: c, Errors: map[string]string{}, Form: map[string]string{"name": c.Name,
		"organisations": strings.Join(c.Filter.Organisations, "\n"), "extra": strings.Join(c.Filter.Extra, "\n"), "reminder_days": joinInts(c.ReminderDays, ", ")}}
	if !c.LetterDate.IsZero() {
		d.Form["letter_date"] = c.LetterDate.String()
	}
	ctx := r.Context()
	var err error
	if d.Event, err = s.events.Event(ctx, c.EventID); err != nil {
		return nil, err
	}
	for _, l := range rencontres.Langs {
		lf := LetterForm{Lang: l, T: letter.Template{Lang: l}}
		if raw := c.Letters[l]; len(raw) > 0 {
			if err := json.Unmarshal(raw, &lf.T); err != nil {
				return nil, err
			}
		}
		for i, sig := range lf.T.Signatories {
			if i < letter.MaxSignatories {
				lf.Signatories[i] = SignatoryForm{Name: sig.Name, Function: strings.Join(sig.Function, "\n")}
			}
		}
		lf.Attachments = strings.Join(lf.T.Attachments, "\n")
		d.Letters = append(d.Letters, lf)
	}
	for _, f := range letter.Fields {
		d.Fields = append(d.Fields, PaletteField{Name: f.Name, Label: f.Label.In(p.Lang)})
	}
	for _, co := range []rencontres.Country{rencontres.France, rencontres.Japan} {
		d.Countries = append(d.Countries, Choice{Value: string(co), Label: p.CountryName(co), Checked: slices.Contains(c.Filter.Countries, co)})
	}
	for _, k := range rencontres.OrgKinds {
		d.Kinds = append(d.Kinds, Choice{Value: string(k), Label: p.Kind(k), Checked: slices.Contains(c.Filter.Kinds, k)})
	}
	if d.Registrants, err = s.registrantsForm(ctx, p, c); err != nil {
		return nil, err
	}
	if err := s.editorChoices(r, p, d); err != nil {
		return nil, err
	}
	return d, nil
}

// editorChoices lists the committees of the event's edition, the past
// events and the event's documents, checked as the campaign has them.
func (s *Site) editorChoices(r *http.Request, p *Page, d *CampaignEditor) error {
	ctx, c := r.Context(), d.Campaign
	edition := d.Event.ID
	if d.Event.Kind != rencontres.EditionEvent {
		edition = d.Event.EditionID
	}
	committees, err := s.events.Committees(ctx)
	if err != nil {
		return err
	}
	for _, ref := range committees {
		if cm := ref.Committee; cm.EditionID == edition && edition != 0 || slices.Contains(c.Filter.Committees, cm.ID) {
			d.Committees = append(d.Committees, Choice{Value: strconv.FormatInt(cm.ID, 10), Label: cm.Name.In(p.Lang),
				Checked: slices.Contains(c.Filter.Committees, cm.ID)})
		}
	}
	events, err := s.events.Events(ctx, rencontres.EventFilter{})
	if err != nil {
		return err
	}
	today := rencontres.DateOf(s.now().In(d.Event.Location()))
	for _, e := range slices.Backward(events) {
		if e.Start.IsZero() || !e.Start.Before(today) || e.Status == rencontres.Cancelled {
			continue
		}
		d.PastEvents = append(d.PastEvents, Choice{Value: strconv.FormatInt(e.ID, 10), Label: p.EventTitleText(e) + " — " + p.EventWhen(e),
			Checked: slices.Contains(c.Filter.PastEvents, e.ID)})
	}
	docs, err := s.events.Documents(ctx, c.EventID)
	if err != nil {
		return err
	}
	for _, doc := range docs {
		d.Documents = append(d.Documents, Choice{Value: strconv.FormatInt(doc.ID, 10), Label: doc.TitleIn(p.Lang), Checked: slices.Contains(c.Documents, doc.ID)})
	}
	return nil
}

func joinInts(v []int, sep string) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, sep)
}

// readCampaign reads the editor's form into c and d: everything is read,
// so that the form shows again as typed; every value that cannot be read
// is a fault on its field, all of them returned at once (rencontres.Join).
func readCampaign(r *http.Request, c *rencontres.Campaign, d *CampaignEditor) error {
	var faults []error
	fail := func(err error) { faults = append(faults, err) }
	for _, k := range []string{"name", "reminder_days", "letter_date", "organisations", "extra"} {
		d.Form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	c.Name = d.Form["name"]
	c.ReminderDays = nil
	for _, v := range strings.FieldsFunc(d.Form["reminder_days"], func(r rune) bool { return r == ',' || r == ' ' || r == ';' || r == '、' }) {
		n, err := strconv.Atoi(v)
		if err != nil {
			fail(&rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_reminder_day", Field: "reminder_days", Message: "not a number of days",
				Args: map[string]any{"Value": v}})
			continue
		}
		c.ReminderDays = append(c.ReminderDays, n)
	}
	c.LetterDate = rencontres.Date{}
	if v := d.Form["letter_date"]; v != "" {
		date, err := rencontres.ParseDate(v)
		if err != nil {
			fail(&rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_date", Field: "letter_date", Message: err.Error(), Args: map[string]any{"Value": v}})
		}
		c.LetterDate = date
	}
	// The filter starts from the campaign's, so that what the form does
	// not show (set through the API) is kept.
	f := c.Filter
	f.Countries, f.Kinds, f.Organisations, f.Extra = nil, nil, nil, nil
	for _, v := range r.PostForm["countries"] {
		if co := rencontres.Country(v); co == rencontres.France || co == rencontres.Japan {
			f.Countries = append(f.Countries, co)
		}
	}
	for _, v := range r.PostForm["kinds"] {
		if k := rencontres.OrgKind(v); slices.Contains(rencontres.OrgKinds, k) {
			f.Kinds = append(f.Kinds, k)
		}
	}
	f.Committees, f.PastEvents, c.Documents = formIDs(r, "committees"), formIDs(r, "past_events"), formIDs(r, "documents")
	for _, line := range strings.Split(d.Form["organisations"], "\n") {
		if key := strings.TrimSpace(line); key != "" && !slices.Contains(f.Organisations, key) {
			f.Organisations = append(f.Organisations, key)
		}
	}
	for _, line := range strings.Split(d.Form["extra"], "\n") {
		f.Extra = append(f.Extra, strings.TrimSpace(line))
	}
	for len(f.Extra) > 0 && f.Extra[len(f.Extra)-1] == "" {
		f.Extra = f.Extra[:len(f.Extra)-1]
	}
	f.Registrants = readRegistrants(r)
	d.Registrants.keep(r, f.Registrants)
	c.Filter = f
	for i := range d.Letters {
		if err := readLetter(r, c, &d.Letters[i]); err != nil {
			fail(err)
		}
	}
	return rencontres.Join(faults...)
}

// formIDs reads the ids of a group of checkboxes, leaving out what is not
// one (the service refuses ids that name nothing of the event's).
func formIDs(r *http.Request, name string) []int64 {
	var out []int64
	for _, v := range r.PostForm[name] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// readLetter reads one language's letter from the form into lf and c. A
// letter with neither subject nor body is no letter: recipients of that
// language then read another (French, English, then Japanese). What the
// form does not show (the letterhead) is kept as it was.
func readLetter(r *http.Request, c *rencontres.Campaign, lf *LetterForm) error {
	pre := string(lf.Lang) + "_"
	v := func(name string) string { return strings.ReplaceAll(r.PostFormValue(pre+name), "\r\n", "\n") }
	t := &lf.T
	if len(t.Letterhead) == 0 {
		t.Letterhead = letter.DefaultLetterhead(lf.Lang)
	}
	t.Lang = lf.Lang
	t.Place, t.Subject, t.Salutation = strings.TrimSpace(v("place")), strings.TrimSpace(v("subject")), strings.TrimSpace(v("salutation"))
	t.Body, t.Closing = strings.TrimSpace(v("body")), strings.TrimSpace(v("closing"))
	t.Greeting = strings.TrimSpace(v("greeting"))
	t.Era, t.Frame = v("era") == "on", v("frame") == "on"
	t.Signatories = nil
	for i := range lf.Signatories {
		sig := SignatoryForm{Name: strings.TrimSpace(v(fmt.Sprintf("sig%d_name", i+1))), Function: strings.TrimSpace(v(fmt.Sprintf("sig%d_function", i+1)))}
		lf.Signatories[i] = sig
		if sig.Name != "" {
			t.Signatories = append(t.Signatories, letter.Signatory{Name: sig.Name, Function: lines(sig.Function)})
		}
	}
	lf.Attachments = strings.TrimSpace(v("attachments"))
	t.Attachments = lines(lf.Attachments)
	if c.Letters == nil {
		c.Letters = map[rencontres.Lang]json.RawMessage{}
	}
	if t.Subject == "" && t.Body == "" {
		delete(c.Letters, lf.Lang)
		return nil
	}
	raw, err := json.Marshal(t)
	c.Letters[lf.Lang] = raw
	return err
}

// lines splits text into its non-empty lines, trimmed.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// letterField matches the part of a letter an error names:
// "letters.ja.attachments[1]".
var letterField = regexp.MustCompile(`^letters\.([a-z]{2})(?:\.([a-z_]+))?`)

// editorField is the form's name for the field an error names, where its
// message is shown.
func editorField(field string) string {
	if m := letterField.FindStringSubmatch(field); m != nil {
		switch m[2] {
		case "place", "subject", "salutation", "body", "closing", "greeting", "attachments":
			return m[1] + "_" + m[2]
		case "signatories":
			return m[1] + "_sig1_name"
		}
		return m[1]
	}
	switch {
	case field == "filter":
		return "recipients"
	case strings.HasPrefix(field, "filter.registrants"):
		return "registrants"
	case strings.HasPrefix(field, "documents"):
		return "documents"
	case field == "name", field == "reminder_days", field == "letter_date", field == "letters", field == "send":
		return field
	}
	return "form"
}

// editorError puts every fault of a refusal next to the field at fault,
// in the reader's language (the first fault of a field is the one shown);
// other errors are returned.
func editorError(p *Page, err error, errs map[string]string) error {
	var e *rencontres.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code {
	case rencontres.EINVALID, rencontres.ECONFLICT:
	default:
		return err
	}
	for _, f := range e.All() {
		if field := editorField(f.Field); errs[field] == "" {
			errs[field] = p.P.Error(f)
		}
	}
	p.Status = httpcode.Of(e.Code)
	return nil
}

// saveTyped reads the form into c and saves it. What cannot be read is
// given to the service with the campaign, which adds its own faults and
// those of the event's before refusing them all: one refusal lists
// everything to mend.
func (s *Site) saveTyped(r *http.Request, p *Page, c *rencontres.Campaign, d *CampaignEditor) error {
	typed := readCampaign(r, c, d)
	if err := s.camp.Save(r.Context(), p.Actor, c, typed); err != nil {
		return err
	}
	s.audit(r, "campaign.save", "campaign", strconv.FormatInt(c.ID, 10), map[string]any{"event": c.EventID})
	return nil
}

// refused shows the editor again with the refusal next to its field.
func (s *Site) refused(r *http.Request, p *Page, d *CampaignEditor, err error) (string, error) {
	if err := editorError(p, err, d.Errors); err != nil {
		return "", err
	}
	return s.editorPage(r, p, d)
}

// saveCampaign saves a draft as typed; a refusal changes nothing.
func (s *Site) saveCampaign(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	c, d, err := s.pathEditor(r, p)
	if err != nil {
		return "", err
	}
	if err := s.saveTyped(r, p, c, d); err != nil {
		return s.refused(r, p, d, err)
	}
	http.Redirect(w, r, p.Href(fmt.Sprintf("/campaigns/%d?done=saved", c.ID)), http.StatusSeeOther)
	return "", nil
}

// editorPage lists the recipients and problems of the draft as saved, and
// shows the editor.
func (s *Site) editorPage(r *http.Request, p *Page, d *CampaignEditor) (string, error) {
	ctx := r.Context()
	saved, err := s.camp.Get(ctx, d.Campaign.ID)
	if err != nil {
		return "", err
	}
	if saved.Status != rencontres.CampaignDraft {
		return s.trackingPage(r, p, &CampaignTracking{Campaign: saved, Errors: d.Errors})
	}
	recipients, problems, err := s.camp.Recipients(ctx, saved)
	switch {
	case rencontres.ErrorCode(err) == rencontres.EINVALID:
		d.Audience = p.P.Error(err)
	case err != nil:
		return "", err
	}
	d.Recipients = recipients
	// The recipients are found whole from the audience (the problems and
	// the count need them all); the table shows a page of them, cut by
	// cursor (the authority and address of the row it starts after).
	q := r.URL.Query()
	req := pageRequest(q)
	key := func(rec *rencontres.Recipient) [2]string { return [2]string{rec.OrgKey, rec.Email} }
	shown, head, err := cursor.SliceBy(req, recipients, key)
	if err != nil { // a bad cursor: the first page
		shown, head, _ = cursor.SliceBy(cursor.Request{Limit: req.Limit}, recipients, key)
	}
	links := url.Values{}
	if v := q.Get("limit"); v != "" {
		links.Set("limit", v)
	}
	d.Shown, d.Pager = shown, NewPager(p.Href(fmt.Sprintf("/campaigns/%d", saved.ID)), links, head, len(shown))
	if past, err := s.camp.Past(ctx, saved); err != nil {
		return "", err
	} else if past != nil {
		d.Past = p.P.T("sending.confirm_past", "Reason", p.P.Error(past))
	}
	for _, pr := range problems {
		d.Problems = append(d.Problems, ProblemView{Problem: pr, Text: p.P.Error(&rencontres.Error{Key: pr.Key, Args: pr.Args, Message: pr.Message})})
	}
	if err := s.campaignCalls(r, d); err != nil {
		return "", err
	}
	if d.Preview.HTML == "" && d.Preview.Error == "" {
		d.Preview, _ = s.preview(r, p, saved, "", d.Preview.Lang)
	}
	p.Title, p.Nav, p.Data = d.Campaign.Name, "campaigns", d
	if p.Title == "" {
		p.Title = saved.Name
	}
	return "campaign_edit", nil
}

// preview renders the letter of the recipient whose address is given (the
// first the campaign reaches, else a sample person, when empty) in a
// language (theirs when empty). A letter that cannot be rendered gives
// the reason, in the view and as the error.
func (s *Site) preview(r *http.Request, p *Page, c *rencontres.Campaign, email, lang string) (PreviewView, error) {
	out := PreviewView{Lang: lang, Recipient: email}
	ctx := r.Context()
	var rec *rencontres.Recipient
	if email != "" {
		if list, _, err := s.camp.Recipients(ctx, c); err == nil {
			for _, x := range list {
				if strings.EqualFold(x.Email, email) {
					rec = x
				}
			}
		}
	}
	l, _ := rencontres.ParseLang(lang)
	lt, err := s.camp.Preview(ctx, c, rec, l)
	if err != nil {
		out.Error = p.P.Error(err)
		return out, err
	}
	out.HTML, out.Subject, out.Missing = letter.HTML(lt), campaign.Subject(lt), strings.Join(lt.Missing, ", ")
	return out, nil
}

// previewCampaign renders the letter from the form as typed, saving
// nothing: for the script, the preview alone (?fragment, or the form's
// fragment field); without it, the whole editor with the preview.
func (s *Site) previewCampaign(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	c, d, err := s.pathEditor(r, p)
	if err != nil {
		return "", err
	}
	typedErr := readCampaign(r, c, d)
	d.Preview = PreviewView{Lang: r.PostFormValue("preview_lang"), Recipient: r.PostFormValue("preview_recipient")}
	if typedErr == nil {
		d.Preview, typedErr = s.preview(r, p, c, d.Preview.Recipient, d.Preview.Lang)
	} else {
		d.Preview.Error = p.P.Error(typedErr)
	}
	if r.PostFormValue("fragment") != "" {
		var buf bytes.Buffer
		if err := s.pages["campaign_edit"].ExecuteTemplate(&buf, "preview", Pair{P: p, V: d.Preview}); err != nil {
			return "", err
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(buf.Bytes())
		return "", nil
	}
	if typedErr != nil {
		if err := editorError(p, typedErr, d.Errors); err != nil {
			return "", err
		}
	}
	return s.editorPage(r, p, d)
}
