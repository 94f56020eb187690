package web

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/registration"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// The registration pages: the secretariat's form settings and lists, and
// the delegation page where an authority's contact registers its people.

// RegistrationSettings is the data of the form settings page.
type RegistrationSettings struct {
	Event  *rencontres.Event
	Title  string
	Form   map[string]string
	Errors map[string]string
	// Questions are the extra questions, and one empty row to add one.
	Questions []QuestionRow
	Kinds     []rencontres.QuestionKind
	Done      string
}

// QuestionRow is one question as the settings form shows it.
type QuestionRow struct {
	Index                          int
	Key, Kind, Options, If, Equals string
	Required                       bool
	Label                          rencontres.Text
}

// LabelIn returns the question's label in lang exactly as typed, without
// the fallback of Text.In: each language has its own input, and an empty
// one must stay empty. Templates cannot index a Text with a plain string,
// whose type is not Lang, so they read the labels through this.
func (q QuestionRow) LabelIn(lang rencontres.Lang) string { return q.Label[lang] }

const localLayout = "2006-01-02T15:04"

func (s *Site) registrationSettings(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return "", err
	}
	d := &RegistrationSettings{Event: e, Done: r.URL.Query().Get("done"), Errors: map[string]string{}}
	f, err := s.regs.RegistrationForm(r.Context(), e.ID)
	switch {
	case rencontres.ErrorCode(err) == rencontres.ENOTFOUND:
		f = &rencontres.RegistrationForm{EventID: e.ID, MaxChoices: 1, Opens: time.Now().In(e.Location()).Truncate(time.Hour)}
		if !e.Start.IsZero() {
			f.Deadline = e.StartsAt().AddDate(0, 0, -30)
		}
	case err != nil:
		return "", err
	}
	d.Form = formSettings(f, e.Location())
	d.Questions = questionRows(f.Questions)
	return s.settingsPage(p, d)
}

func (s *Site) settingsPage(p *Page, d *RegistrationSettings) (string, error) {
	d.Title, d.Kinds = p.EventTitleText(d.Event), rencontres.QuestionKinds
	p.Title, p.Nav, p.Data = p.P.T("registration.settings_title", "Event", d.Title), "events", d
	return "registration_settings", nil
}

func formSettings(f *rencontres.RegistrationForm, loc *time.Location) map[string]string {
	m := map[string]string{"capacity": strconv.Itoa(f.Capacity), "max_choices": strconv.Itoa(f.MaxChoices), "contact": f.Contact,
		"sender_name": f.SenderName, "reply_to": f.ReplyTo}
	if !f.Opens.IsZero() {
		m["opens"] = f.Opens.In(loc).Format(localLayout)
	}
	if !f.Deadline.IsZero() {
		m["deadline"] = f.Deadline.In(loc).Format(localLayout)
	}
	if f.Ranked {
		m["ranked"] = "on"
	}
	return m
}

func questionRows(qs []rencontres.Question) []QuestionRow {
	var rows []QuestionRow
	for i, q := range qs {
		row := QuestionRow{Index: i, Key: q.Key, Kind: string(q.Kind), Required: q.Required, Label: q.Label}
		var opts []string
		for _, o := range q.Options {
			opts = append(opts, strings.Join([]string{o.Value, o.Label["fr"], o.Label["ja"], o.Label["en"]}, " | "))
		}
		row.Options = strings.Join(opts, "\n")
		if q.ShowIf != nil {
			row.If, row.Equals = q.ShowIf.Question, q.ShowIf.Equals
		}
		rows = append(rows, row)
	}
	return append(rows, QuestionRow{Index: len(qs), Kind: string(rencontres.TextQuestion), Label: rencontres.Text{}})
}

// readQuestions reads the question rows of the settings form; a row with
// no key is left out.
func readQuestions(r *http.Request) ([]rencontres.Question, []QuestionRow, error) {
	var qs []rencontres.Question
	var rows []QuestionRow
	for i := 0; i < 50; i++ {
		pre := fmt.Sprintf("q%d_", i)
		if _, ok := r.PostForm[pre+"key"]; !ok {
			break
		}
		row := QuestionRow{Index: i, Key: strings.TrimSpace(r.PostFormValue(pre + "key")), Kind: r.PostFormValue(pre + "kind"),
			Required: r.PostFormValue(pre+"required") != "", Options: r.PostFormValue(pre + "options"),
			If: strings.TrimSpace(r.PostFormValue(pre + "if")), Equals: strings.TrimSpace(r.PostFormValue(pre + "equals")), Label: formText(r, pre+"label")}
		rows = append(rows, row)
		if row.Key == "" {
			continue
		}
		q := rencontres.Question{Key: row.Key, Kind: rencontres.QuestionKind(row.Kind), Required: row.Required, Label: row.Label}
		for n, line := range strings.Split(row.Options, "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			parts := strings.Split(line, "|")
			o := rencontres.Option{Value: strings.TrimSpace(parts[0]), Label: rencontres.Text{}}
			for j, l := range rencontres.Langs {
				if j+1 < len(parts) && strings.TrimSpace(parts[j+1]) != "" {
					o.Label[l] = strings.TrimSpace(parts[j+1])
				}
			}
			if o.Value == "" || len(o.Label) == 0 {
				return nil, rows, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.option_line", Field: fmt.Sprintf("questions[%d]", len(qs)),
					Message: "write value | French | Japanese | English", Args: map[string]any{"Line": n + 1}}
			}
			q.Options = append(q.Options, o)
		}
		if row.If != "" {
			q.ShowIf = &rencontres.Condition{Question: row.If, Equals: row.Equals}
		}
		qs = append(qs, q)
	}
	rows = slices.DeleteFunc(rows, func(q QuestionRow) bool { return q.Key == "" })
	for i := range rows {
		rows[i].Index = i
	}
	rows = append(rows, QuestionRow{Index: len(rows), Kind: string(rencontres.TextQuestion), Label: rencontres.Text{}})
	return qs, rows, nil
}

func parseLocal(v string, loc *time.Location, field string) (time.Time, error) {
	t, err := time.ParseInLocation(localLayout, strings.TrimSpace(v), loc)
	if err != nil {
		return t, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_datetime", Field: field, Message: "want YYYY-MM-DDTHH:MM", Args: map[string]any{"Value": v}}
	}
	return t, nil
}

func (s *Site) saveRegistrationSettings(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return "", err
	}
	d := &RegistrationSettings{Event: e, Form: map[string]string{}, Errors: map[string]string{}}
	for _, k := range []string{"opens", "deadline", "capacity", "max_choices", "ranked", "contact", "sender_name", "reply_to"} {
		d.Form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	f := &rencontres.RegistrationForm{EventID: e.ID, Ranked: d.Form["ranked"] != "", Contact: d.Form["contact"],
		SenderName: d.Form["sender_name"], ReplyTo: d.Form["reply_to"]}
	// Every field is read, and every fault reported at once.
	qs, rows, qerr := readQuestions(r)
	d.Questions, f.Questions = rows, qs
	errs := []error{qerr}
	if f.Opens, err = parseLocal(d.Form["opens"], e.Location(), "opens"); err != nil {
		errs = append(errs, err)
	}
	if f.Deadline, err = parseLocal(d.Form["deadline"], e.Location(), "deadline"); err != nil {
		errs = append(errs, err)
	}
	for _, n := range []struct {
		name string
		dst  *int
	}{{"capacity", &f.Capacity}, {"max_choices", &f.MaxChoices}} {
		if d.Form[n.name] == "" {
			continue
		}
		var perr error
		if *n.dst, perr = strconv.Atoi(d.Form[n.name]); perr != nil {
			errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.answer_number", Field: n.name, Message: "not a number",
				Args: map[string]any{"Value": d.Form[n.name]}})
		}
	}
	if len(errs) > 1 || qerr != nil {
		// The rest of the form is checked too; a date that could not be
		// read, whose fault is already told, is replaced by one in order.
		rest := *f
		if rest.Opens.IsZero() || rest.Deadline.IsZero() {
			rest.Opens, rest.Deadline = time.Now(), time.Now().Add(time.Hour)
		}
		errs = append(errs, rest.Validate())
	}
	err = rencontres.Join(errs...)
	if err == nil {
		err = s.reg.SaveForm(r.Context(), p.Actor, f)
	}
	if err != nil {
		if err := formError(p, err, d.Errors); err != nil {
			return "", err
		}
		return s.settingsPage(p, d)
	}
	s.audit(r, "registration.form", "event", strconv.FormatInt(e.ID, 10), nil)
	http.Redirect(w, r, p.Href(fmt.Sprintf("/events/%d/registration?done=saved", e.ID)), http.StatusSeeOther)
	return "", nil
}

// DelegationPage is an authority's delegation to an event: its people,
// and the form to add or change one.
type DelegationPage struct {
	Event    *rencontres.Event
	Title    string
	Org      *rencontres.Organisation
	Orgs     []string // the contact's organisations, to switch
	Form     *rencontres.RegistrationForm
	Open     bool
	Staff    bool
	People   []*rencontres.Registration
	Sessions []*rencontres.Session // those that take choices
	Counts   *rencontres.SeatCounts
	// Deadline in the event's zone, and in the other country's.
	Deadline, DeadlineElsewhere string
	// The person form.
	Editing int64
	Values  map[string]string
	Errors  map[string]string
	Token   string
	Done    string
	Ranks   []int
	// Conditional is set when a question is asked only after some answer.
	Conditional bool
}

// ConditionHint says when a conditional question is asked, naming the
// earlier question and the answer in the reader's language: « À remplir
// seulement si la réponse à « Navette » est « Oui ». »
func (d *DelegationPage) ConditionHint(p *Page, c *rencontres.Condition) string {
	question, answer := c.Question, c.Equals
	for _, q := range d.Form.Questions {
		if q.Key != c.Question {
			continue
		}
		question = q.Label.In(p.Lang)
		switch q.Kind {
		case rencontres.YesNoQuestion:
			if c.Equals == "yes" {
				answer = p.P.T("registration.yes")
			} else if c.Equals == "no" {
				answer = p.P.T("registration.no")
			}
		case rencontres.ChoiceQuestion:
			for _, o := range q.Options {
				if o.Value == c.Equals {
					answer = o.Label.In(p.Lang)
				}
			}
		}
	}
	return p.P.T("registration.only_if", "Question", question, "Answer", answer)
}

// delegationOrg is the organisation a delegation page is about: ?org=,
// or the contact's only one.
func delegationOrg(r *http.Request, p *Page) string {
	if v := r.URL.Query().Get("org"); v != "" {
		return v
	}
	if v := r.PostFormValue("organisation"); v != "" {
		return v
	}
	if p.Actor.User != nil && len(p.Actor.User.OrgKeys) > 0 {
		return p.Actor.User.OrgKeys[0]
	}
	return ""
}

func (s *Site) delegation(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	d := &DelegationPage{Values: map[string]string{"lang": string(p.Lang)}, Errors: map[string]string{}, Done: r.URL.Query().Get("done")}
	if id, err := strconv.ParseInt(r.URL.Query().Get("edit"), 10, 64); err == nil {
		d.Editing = id
	}
	return s.delegationPage(r, p, d)
}

func (s *Site) delegationPage(r *http.Request, p *Page, d *DelegationPage) (string, error) {
	ctx := r.Context()
	e, err := s.pathEvent(r)
	if err != nil {
		return "", err
	}
	d.Event, d.Staff = e, p.Actor.Can(rencontres.ManageEvents, rencontres.Target{})
	d.Title = p.EventTitleText(e)
	if d.Form, err = s.regs.RegistrationForm(ctx, e.ID); err != nil {
		if rencontres.ErrorCode(err) == rencontres.ENOTFOUND {
			return "", &rencontres.Error{Code: rencontres.ENOTFOUND, Key: "error.registration_not_open", Message: "this event does not take registrations"}
		}
		return "", err
	}
	orgKey := delegationOrg(r, p)
	if d.People, err = s.reg.Delegation(ctx, p.Actor, e.ID, orgKey); err != nil {
		return "", err
	}
	if d.Org, err = s.svc.Organisation(ctx, orgKey); err != nil {
		return "", err
	}
	if p.Actor.User != nil {
		d.Orgs = p.Actor.User.OrgKeys
		if err := s.loadOrgs(ctx, p, d.Orgs...); err != nil {
			return "", err
		}
	}
	now := time.Now()
	d.Open = d.Form.Open(now)
	d.Deadline = p.P.DateTime(d.Form.Deadline.In(e.Location()))
	other, _ := time.LoadLocation(map[bool]string{true: "Europe/Paris", false: "Asia/Tokyo"}[e.TimeZone == "Asia/Tokyo"])
	d.DeadlineElsewhere = p.P.DateTime(d.Form.Deadline.In(other))
	sessions, err := s.events.Sessions(ctx, e.ID)
	if err != nil {
		return "", err
	}
	d.Sessions = rencontres.SessionsToChoose(sessions)
	if d.Counts, err = s.regs.SeatCounts(ctx, e.ID); err != nil {
		return "", err
	}
	for i := 1; i <= d.Form.MaxChoices && len(d.Sessions) > 0; i++ {
		d.Ranks = append(d.Ranks, i)
	}
	if d.Editing != 0 && len(d.Errors) == 0 {
		for _, reg := range d.People {
			if reg.ID == d.Editing {
				d.Values = registrationValues(reg)
			}
		}
	}
	d.Token = newFormToken()
	d.Conditional = slices.ContainsFunc(d.Form.Questions, func(q rencontres.Question) bool { return q.ShowIf != nil })
	p.Title, p.Nav, p.Data = p.P.T("registration.delegation_title", "Event", d.Title), "account", d
	if d.Staff {
		p.Nav = "events"
	}
	return "delegation", nil
}

func newFormToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func registrationValues(r *rencontres.Registration) map[string]string {
	v := map[string]string{"civility": r.Civility, "given_name": r.GivenName, "family_name": r.FamilyName,
		"function": r.Function, "email": r.Email, "lang": string(r.Lang), "dietary": r.Dietary, "accessibility": r.Accessibility}
	v["family_name_ja"], v["given_name_ja"] = splitName(r.NameJa)
	v["family_kana"], v["given_kana"] = splitName(r.Kana)
	if r.Elected {
		v["elected"] = "yes"
	} else {
		v["elected"] = "no"
	}
	if r.Interpretation {
		v["interpretation"] = "on"
	}
	for k, a := range r.Answers {
		v["answer_"+k] = a
	}
	for _, c := range r.Choices {
		v["choice_"+strconv.Itoa(c.Rank)] = strconv.FormatInt(c.SessionID, 10)
	}
	return v
}

var personFields = []string{"civility", "given_name", "family_name", "family_name_ja", "given_name_ja", "family_kana", "given_kana",
	"function", "elected", "email", "lang", "dietary", "accessibility", "interpretation"}

// saveDelegate adds a person to the delegation, or changes one; a form
// sent twice (a double click, a reload) registers once.
func (s *Site) saveDelegate(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return "", err
	}
	values := map[string]string{}
	for _, k := range personFields {
		values[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	for k, v := range r.PostForm {
		if strings.HasPrefix(k, "answer_") || strings.HasPrefix(k, "choice_") {
			values[k] = strings.TrimSpace(v[0])
		}
	}
	// The name in Japanese and its reading are asked in two parts, family
	// name first; a registration keeps each as one string, the two parts
	// separated by a space, as a badge prints them.
	values["name_ja"] = joinName(values["family_name_ja"], values["given_name_ja"])
	values["kana"] = joinName(values["family_kana"], values["given_kana"])
	orgKey := delegationOrg(r, p)
	reg := &rencontres.Registration{EventID: e.ID, OrgKey: orgKey, Civility: values["civility"], GivenName: values["given_name"],
		FamilyName: values["family_name"], NameJa: values["name_ja"], Kana: values["kana"], Function: values["function"],
		Elected: values["elected"] == "yes", Email: values["email"], Lang: rencontres.Lang(values["lang"]), Dietary: values["dietary"],
		Accessibility: values["accessibility"], Interpretation: values["interpretation"] != "", Answers: map[string]string{}}
	for k, v := range values {
		if after, ok := strings.CutPrefix(k, "answer_"); ok {
			reg.Answers[after] = v
		}
	}
	for i := 1; i <= 10; i++ {
		v := values["choice_"+strconv.Itoa(i)]
		if v == "" {
			continue
		}
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			id = -1
		}
		reg.Choices = append(reg.Choices, rencontres.Choice{SessionID: id})
	}
	editing, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	done := "added"
	if editing != 0 {
		reg.ID, done = editing, "changed"
		err = s.reg.Update(r.Context(), p.Actor, reg)
	} else {
		var res *registration.Result
		if res, err = s.reg.Register(r.Context(), p.Actor, reg, r.PostFormValue("token")); err == nil {
			reg = res.Registration
		}
	}
	if err != nil {
		d := &DelegationPage{Values: values, Errors: map[string]string{}, Editing: editing}
		if err := formError(p, err, d.Errors); err != nil {
			return "", err
		}
		if rencontres.ErrorCode(err) == rencontres.EFORBIDDEN {
			return "", err
		}
		return s.delegationPage(r, p, d)
	}
	http.Redirect(w, r, p.Href(fmt.Sprintf("/events/%d/delegation?org=%s&done=%s#person-%d", e.ID, orgKey, done, reg.ID)), http.StatusSeeOther)
	return "", nil
}

func (s *Site) withdrawDelegate(w http.ResponseWriter, r *http.Request, p *Page) (string, error) {
	e, err := s.pathEvent(r)
	if err != nil {
		return "", err
	}
	id, err := strconv.ParseInt(r.PathValue("registration"), 10, 64)
	if err != nil {
		return "", rencontres.NotFound("registration")
	}
	reg, err := s.reg.Withdraw(r.Context(), p.Actor, e.ID, id)
	if err != nil {
		var d = &DelegationPage{Values: map[string]string{"lang": string(p.Lang)}, Errors: map[string]string{}}
		if err := formError(p, err, d.Errors); err != nil {
			return "", err
		}
		return s.delegationPage(r, p, d)
	}
	http.Redirect(w, r, p.Href(fmt.Sprintf("/events/%d/delegation?org=%s&done=withdrawn", e.ID, reg.OrgKey)), http.StatusSeeOther)
	return "", nil
}
