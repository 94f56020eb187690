package server

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ledongthuc/pdf"
	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
	"github.com/xuri/excelize/v2"
)

// openNinth gives the 9th edition dates and a workshop of one seat, and
// returns the event and the workshop.
func (f *fixture) openNinth(t *testing.T) (*rencontres.Event, *rencontres.Session) {
	t.Helper()
	ctx := context.Background()
	e9, _ := f.st.Edition(ctx, "rencontres-franco-japonaises", 9)
	ev, _ := f.st.Event(ctx, e9.ID)
	ev.Start, _ = rencontres.ParseDate("2026-10-12")
	ev.End, _ = rencontres.ParseDate("2026-10-15")
	ev.TimeZone = "Europe/Paris"
	if err := f.st.SaveEvent(ctx, ev, nil); err != nil {
		t.Fatal(err)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	ws := &rencontres.Session{EditionID: ev.ID, Kind: rencontres.WorkshopKind, Title: rencontres.Text{"fr": "Atelier tourisme", "ja": "観光分科会"},
		Start: time.Date(2026, 10, 13, 10, 0, 0, 0, paris), End: time.Date(2026, 10, 13, 12, 0, 0, 0, paris), Capacity: 1}
	if err := f.st.SaveSession(ctx, ws); err != nil {
		t.Fatal(err)
	}
	return ev, ws
}

func (f *fixture) mails(t *testing.T, to string) []*mail.Received {
	t.Helper()
	all, err := f.sent(t)
	if err != nil {
		t.Fatal(err)
	}
	var out []*mail.Received
	for _, m := range all {
		if m.To[0].Email == to {
			out = append(out, m)
		}
	}
	return out
}

func TestRegistrationAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		sec, contact := rencontres.Secretariat, rencontres.AuthorityContact
		ev, ws := f.openNinth(t)
		path := "/api/v1/events/" + strconv.FormatInt(ev.ID, 10)
		form := map[string]any{"opens": time.Now().Add(-time.Hour), "deadline": time.Now().Add(time.Hour), "capacity": 0, "max_choices": 1,
			"contact": "japon@example.org", "questions": []map[string]any{{"key": "arrival", "kind": "choice", "required": true,
				"label": map[string]string{"fr": "Arrivée", "ja": "到着"}, "options": []map[string]any{
					{"value": "train", "label": map[string]string{"fr": "Train", "ja": "電車"}}, {"value": "plane", "label": map[string]string{"fr": "Avion", "ja": "飛行機"}}}}}}
		if code, b, _ := f.call(t, contact, "PUT", path+"/registration-form", form); code != 403 {
			t.Errorf("contact opening registration: %d %s", code, b)
		}
		if code, b, _ := f.call(t, sec, "PUT", path+"/registration-form", form); code != 200 {
			t.Fatalf("open registration: %d %s", code, b)
		}

		// The contact of Kumamoto registers the mayor, twice with one key.
		person := map[string]any{"organisation": "jp-431001", "civility": "m", "given_name": "Kenji", "family_name": "Mori", "name_ja": "森 健二",
			"kana": "もり けんじ", "function": "市長", "elected": true, "email": "k.mori@example.org", "lang": "ja", "answers": map[string]string{"arrival": "plane"},
			"choices": []int64{ws.ID}}
		var ids []int64
		for i := range 2 {
			code, b, h := f.call(t, contact, "POST", path+"/registrations", person, "Idempotency-Key", "kumamoto-1")
			if code != 201 {
				t.Fatalf("register (try %d): %d %s", i+1, code, b)
			}
			r := decodeAs[rencontres.Registration](t, b)
			ids = append(ids, r.ID)
			if replayed := h.Get("Idempotent-Replayed") == "true"; replayed != (i == 1) {
				t.Errorf("try %d replayed = %v", i+1, replayed)
			}
			if r.Status != rencontres.Confirmed || r.Choices[0].Status != rencontres.Confirmed || len(r.Code) != 10 {
				t.Errorf("registration = %+v", r)
			}
		}
		if ids[0] != ids[1] {
			t.Errorf("a retried call made a second registration: %v", ids)
		}
		if n := len(f.mails(t, "k.mori@example.org")); n != 1 {
			t.Errorf("%d confirmations to the mayor, want 1", n)
		}
		m := f.mails(t, "k.mori@example.org")[0]
		if !strings.Contains(m.Subject, "第9回") || !strings.Contains(m.Text, "森 健二 様") || !strings.Contains(m.Text, "観光分科会：登録済み") {
			t.Errorf("confirmation in Japanese:\n%s\n%s", m.Subject, m.Text)
		}
		if d := f.mails(t, "authority_contact@example.org"); len(d) != 1 || !strings.Contains(d[0].Text, "Kenji MORI") {
			t.Errorf("delegation mails to the contact = %d", len(d))
		}

		// Another authority's delegation, a bad answer, a bad address.
		other := map[string]any{}
		for k, v := range person {
			other[k] = v
		}
		other["organisation"], other["email"] = "fr-13001", "someone@example.org"
		code, b, _ := f.call(t, contact, "POST", path+"/registrations", other, "Accept-Language", "fr")
		if e := decodeAs[apiError](t, b); code != 403 || !strings.Contains(e.Error.Message, "votre propre collectivité") {
			t.Errorf("another authority's delegation: %d %s", code, b)
		}
		other["organisation"], other["answers"] = "jp-431001", map[string]string{"arrival": "horse"}
		code, b, _ = f.call(t, contact, "POST", path+"/registrations", other, "Accept-Language", "ja")
		if e := decodeAs[apiError](t, b); code != 400 || e.Error.Field != "answers.arrival" || !strings.Contains(e.Error.Message, "horse") {
			t.Errorf("an answer not offered: %d %s", code, b)
		}
		other["answers"], other["email"] = map[string]string{"arrival": "train"}, "not-an-address"
		code, b, _ = f.call(t, contact, "POST", path+"/registrations", other, "Accept-Language", "fr")
		if e := decodeAs[apiError](t, b); code != 400 || e.Error.Field != "email" {
			t.Errorf("a bad address: %d %s", code, b)
		}

		// A second person waits for the workshop's one seat; the mayor's
		// withdrawal gives it, and the second person is told.
		other["email"], other["given_name"], other["family_name"], other["name_ja"], other["kana"] = "a.sato@example.org", "Akiko", "Sato", "佐藤 明子", "さとう あきこ"
		code, b, _ = f.call(t, contact, "POST", path+"/registrations", other)
		second := decodeAs[rencontres.Registration](t, b)
		if code != 201 || second.Choices[0].Status != rencontres.Waitlisted || second.Choices[0].Position != 1 {
			t.Fatalf("second person: %d %s", code, b)
		}
		if code, b, _ := f.call(t, contact, "DELETE", path+"/registrations/"+strconv.FormatInt(ids[0], 10), nil); code != 200 {
			t.Fatalf("withdraw: %d %s", code, b)
		}
		promoted := f.mails(t, "a.sato@example.org")
		if len(promoted) != 2 || !strings.Contains(promoted[1].Text, "観光分科会") || !strings.Contains(promoted[1].Subject, "空席") {
			t.Errorf("the second person was not told of the seat: %d mails", len(promoted))
		}

		// The secretariat's list and its CSV, Japanese intact.
		code, b, _ = f.call(t, sec, "GET", path+"/registrations?status=withdrawn", nil)
		if list := decodeAs[struct{ Registrations []rencontres.Registration }](t, b); code != 200 || len(list.Registrations) != 1 {
			t.Errorf("withdrawn list: %d %s", code, b)
		}
		code, b, h := f.call(t, sec, "GET", path+"/registrations?format=csv", nil)
		if code != 200 || h.Get("Content-Type") != "text/csv; charset=utf-8" || !bytes.HasPrefix(b, []byte("\ufeffid,status")) || !bytes.Contains(b, []byte("佐藤 明子")) {
			t.Errorf("csv: %d %s\n%s", code, h.Get("Content-Type"), b)
		}
		code, b, h = f.call(t, sec, "GET", path+"/registrations?format=xlsx", nil)
		if code != 200 || !strings.Contains(h.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("xlsx: %d %s", code, h.Get("Content-Type"))
		}
		x, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows("Sheet1")
		if len(rows) != 2 || rows[0][0] != "id" || !slices.Contains(rows[1], "佐藤 明子") {
			t.Errorf("xlsx rows = %v", rows)
		}
		// Badges, eight a sheet: the Japanese name renders and extracts.
		code, b, h = f.call(t, sec, "GET", path+"/badges.pdf?layout=a4x8", nil)
		if code != 200 || h.Get("Content-Type") != "application/pdf" {
			t.Fatalf("badges: %d %s %s", code, h.Get("Content-Type"), b)
		}
		pr, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := pr.GetPlainText()
		var text bytes.Buffer
		text.ReadFrom(plain)
		if pr.NumPage() != 1 || !strings.Contains(text.String(), "佐藤 明子") || !strings.Contains(text.String(), "熊本市") {
			t.Errorf("badges: %d pages, text %q", pr.NumPage(), text.String())
		}
		if code, _, _ := f.call(t, contact, "GET", path+"/badges.pdf", nil); code != 403 {
			t.Errorf("contact printing badges: %d", code)
		}
		if code, _, _ := f.call(t, rencontres.Participant, "GET", path+"/registrations", nil); code != 403 {
			t.Errorf("participant listing registrations: %d", code)
		}

		// After the deadline the contact is told whom to write to; the
		// secretariat still registers.
		form["deadline"] = time.Now().Add(-time.Minute)
		form["opens"] = time.Now().Add(-2 * time.Hour)
		f.call(t, sec, "PUT", path+"/registration-form", form)
		other["email"] = "late@example.org"
		code, b, _ = f.call(t, contact, "POST", path+"/registrations", other, "Accept-Language", "fr")
		if e := decodeAs[apiError](t, b); code != 409 || !strings.Contains(e.Error.Message, "japon@example.org") || !strings.Contains(e.Error.Message, "heure de Paris") {
			t.Errorf("after the deadline: %d %s", code, b)
		}
		if code, b, _ := f.call(t, sec, "POST", path+"/registrations", other); code != 201 {
			t.Errorf("the secretariat after the deadline: %d %s", code, b)
		}
	})
}

// The delegation form keeps what was typed and says what to fix; sent
// twice with its token, it registers once.
func TestDelegationForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ev, ws := f.openNinth(t)
		if _, err := f.st.SaveRegistrationForm(context.Background(), &rencontres.RegistrationForm{EventID: ev.ID, Opens: time.Now().Add(-time.Hour),
			Deadline: time.Now().Add(time.Hour), MaxChoices: 1, Contact: "japon@example.org"}); err != nil {
			t.Fatal(err)
		}
		post := func(values url.Values) (int, string) {
			req, _ := http.NewRequest("POST", f.srv.URL+"/ja/events/"+strconv.FormatInt(ev.ID, 10)+"/delegation", strings.NewReader(values.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(f.session(t, rencontres.AuthorityContact))
			resp, err := noFollow.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var b bytes.Buffer
			b.ReadFrom(resp.Body)
			return resp.StatusCode, b.String()
		}
		values := url.Values{"token": {"tok-1"}, "organisation": {"jp-431001"}, "given_name": {"Haruka"}, "family_name": {"Suzuki"},
			"family_name_ja": {"鈴木"}, "given_name_ja": {"遥"}, "family_kana": {"すずき"}, "given_kana": {"はるか"},
			"email": {"suzuki@city"}, "lang": {"ja"}, "elected": {"no"}, "choice_1": {strconv.FormatInt(ws.ID, 10)}}
		code, body := post(values)
		if code != 400 || !strings.Contains(body, `id="email-error">「suzuki@city」`) || !strings.Contains(body, `value="鈴木"`) || !strings.Contains(body, `value="はるか"`) {
			t.Errorf("bad address: %d", code)
		}
		values.Set("email", "suzuki@example.org")
		for range 2 {
			if code, _ := post(values); code != 303 {
				t.Errorf("register: %d", code)
			}
		}
		regs, _ := f.st.Registrations(context.Background(), rencontres.RegistrationFilter{EventID: ev.ID})
		if len(regs) != 1 || regs[0].Choices[0].SessionID != ws.ID {
			t.Fatalf("after sending the form twice: %d registrations", len(regs))
		}
		// The name in Japanese, asked in two parts, is kept family name first.
		if got := regs[0].NameJa + "/" + regs[0].Kana; got != "鈴木 遥/すずき はるか" {
			t.Errorf("name in Japanese and reading: %q, want 鈴木 遥/すずき はるか", got)
		}
		values.Set("organisation", "fr-13001")
		values.Set("token", "tok-2")
		if code, _ := post(values); code != 403 {
			t.Errorf("another authority's delegation by form: %d", code)
		}
	})
}

// Staff open a badge's code, mark its holder present once, and are told
// when a badge is unknown or already used.
func TestCheckInPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ev, _ := f.openNinth(t)
		ctx := context.Background()
		if _, err := f.st.SaveRegistrationForm(ctx, &rencontres.RegistrationForm{EventID: ev.ID, Opens: time.Now().Add(-time.Hour),
			Deadline: time.Now().Add(time.Hour), MaxChoices: 1}); err != nil {
			t.Fatal(err)
		}
		r := &rencontres.Registration{EventID: ev.ID, OrgKey: "jp-431001", GivenName: "Kenji", FamilyName: "Mori", NameJa: "森 健二", Email: "k.mori@example.org", Lang: rencontres.Japanese}
		if _, err := f.st.Register(ctx, r, time.Now(), false); err != nil {
			t.Fatal(err)
		}
		page := "/ja/events/" + strconv.FormatInt(ev.ID, 10) + "/checkin"
		send := func(method, path string, form url.Values) (int, string) {
			req, _ := http.NewRequest(method, f.srv.URL+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(f.session(t, rencontres.Secretariat))
			resp, err := noFollow.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var b bytes.Buffer
			b.ReadFrom(resp.Body)
			return resp.StatusCode, b.String()
		}
		if code, body := send("GET", page+"?code="+r.Code, nil); code != 200 || !strings.Contains(body, "森 健二") || !strings.Contains(body, "受付済み 0名／登録 1名") {
			t.Errorf("open a badge: %d", code)
		}
		if code, _ := send("POST", page, url.Values{"code": {strings.ToLower(r.Code)}}); code != 303 {
			t.Errorf("mark present: %d", code)
		}
		if code, body := send("POST", page, url.Values{"code": {r.Code}}); code != 409 || !strings.Contains(body, "この名札は使用済みです") {
			t.Errorf("a badge used twice: %d", code)
		}
		if code, body := send("GET", page+"?code=ZZZZZZZZZZ", nil); code != 404 || !strings.Contains(body, "「ZZZZZZZZZZ」はありません") {
			t.Errorf("an unknown badge: %d", code)
		}
	})
}

// The registration settings page shows each question's label in each
// language's own input, refuses a malformed deadline next to its field
// without saving anything, and saves a valid form.
func TestRegistrationSettingsForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		page := "/fr/events/" + strconv.FormatInt(f.edition, 10) + "/registration"
		code, b, _ := f.call(t, rencontres.Secretariat, "GET", page, nil)
		body := string(b)
		if code != 200 {
			t.Fatalf("GET %s: %d", page, code)
		}
		for _, want := range []string{`name="q0_label_fr" type="text" value="Participerez-vous à la réception de bienvenue du lundi 3 octobre au soir ?"`,
			`name="q0_label_ja" type="text" value="10月3日（月）夜の歓迎レセプションにご出席されますか？"`,
			`name="q0_label_en" type="text" value="Will you attend the welcome`, `value="2022-09-09T18:00"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the settings page lacks %s", want)
			}
		}
		before, err := st.RegistrationForm(ctx, f.edition)
		if err != nil {
			t.Fatal(err)
		}
		form := url.Values{"opens": {"2022-06-01T09:00"}, "deadline": {"09/09/2022"}, "capacity": {"150"}, "max_choices": {"2"},
			"contact": {"japon@example.org"}, "q0_key": {"reception"}, "q0_kind": {"yesno"}, "q0_label_fr": {"Réception ?"}}
		post := func() (int, string) {
			code, b, _ := f.call(t, rencontres.Secretariat, "POST", page, []byte(form.Encode()), "Content-Type", "application/x-www-form-urlencoded")
			return code, string(b)
		}
		code, body = post()
		if code != 400 || !strings.Contains(body, "« 09/09/2022 » n&#39;est pas une date et une heure") || !strings.Contains(body, `value="150"`) {
			t.Errorf("a malformed deadline: %d", code)
		}
		after, err := st.RegistrationForm(ctx, f.edition)
		if err != nil || after.Capacity != before.Capacity || len(after.Questions) != len(before.Questions) {
			t.Errorf("a refused form changed the settings: capacity %d, %d questions (%v)", after.Capacity, len(after.Questions), err)
		}
		form.Set("deadline", "2022-09-09T18:00")
		if code, _ = post(); code != http.StatusSeeOther {
			t.Fatalf("a valid form: %d, want 303", code)
		}
		after, err = st.RegistrationForm(ctx, f.edition)
		if err != nil || after.Capacity != 150 || len(after.Questions) != 1 || after.Questions[0].Label["fr"] != "Réception ?" {
			t.Errorf("saved settings: %+v (%v)", after, err)
		}
	})
}
