package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

type apiFaults struct {
	Error struct {
		Code, Message, Field string
		Errors               []struct{ Field, Message string }
	} `json:"error"`
}

func (e apiFaults) fields() []string {
	var out []string
	for _, f := range e.Error.Errors {
		out = append(out, f.Field)
	}
	return out
}

// proposalBody is a valid proposal of the fixture's contact (Kumamoto) to
// the fixture's open call.
func proposalBody() map[string]any {
	return map[string]any{"title": map[string]string{"ja": "城下町の再生"}, "summary": map[string]string{"ja": "概要。"},
		"sdgs": []int{11}, "workshop": 1, "answers": map[string]string{"budget": "100万円"},
		"organisations": []map[string]string{{"key": "jp-431001", "role": "lead"}}}
}

// Bad input through the API: each refusal has its status, its field and a
// message in the asker's language, and nothing is saved.
func TestProposalRefusalsThroughTheAPI(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	count := func() int {
		list, err := f.st.Proposals(ctx, rencontres.ProposalFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	before := count()
	path := fmt.Sprintf("/api/v1/calls/%d/proposals?lang=ja", f.openCall)

	// Every fault of the body at once.
	bad := proposalBody()
	bad["summary"] = map[string]string{"en": "English only"}
	bad["sdgs"] = []int{11, 18}
	bad["workshop"] = 7
	bad["answers"] = map[string]string{}
	status, body, _ := f.call(t, rencontres.AuthorityContact, "POST", path, bad)
	e := decodeAs[apiFaults](t, body)
	if status != 400 || e.Error.Code != "invalid" {
		t.Fatalf("bad body: %d %s", status, body)
	}
	for _, want := range []string{"summary", "sdgs", "workshop", "answers.budget"} {
		if !slices.Contains(e.fields(), want) {
			t.Errorf("faults %v: none on %s", e.fields(), want)
		}
	}
	if !strings.Contains(string(body), "フランス語または日本語") {
		t.Errorf("the message is not in Japanese: %s", body)
	}

	// For another authority than one's own.
	other := proposalBody()
	other["organisations"] = []map[string]string{{"key": "fr-13001", "role": "lead"}}
	status, body, _ = f.call(t, rencontres.AuthorityContact, "POST", path, other)
	if e := decodeAs[apiFaults](t, body); status != 403 || e.Error.Field != "organisation" || !strings.Contains(e.Error.Message, "自治体") {
		t.Errorf("for another authority: %d %s", status, body)
	}

	// Before the opening and after the deadline.
	now := time.Now()
	for _, tc := range []struct {
		opens, deadline time.Time
		says            string
	}{
		{now.Add(24 * time.Hour), now.Add(48 * time.Hour), "受付開始"},
		{now.Add(-48 * time.Hour), now.Add(-24 * time.Hour), "締め切りました"},
	} {
		c := &rencontres.Call{EventID: f.edition, Kind: rencontres.CallPractice, Title: rencontres.Text{"fr": "Appel"}, Opens: tc.opens, Deadline: tc.deadline}
		if err := f.st.SaveCall(ctx, c, 0); err != nil {
			t.Fatal(err)
		}
		body := proposalBody()
		delete(body, "answers")
		status, b, _ := f.call(t, rencontres.AuthorityContact, "POST", fmt.Sprintf("/api/v1/calls/%d/proposals?lang=ja", c.ID), body)
		if status != 409 || !strings.Contains(string(b), tc.says) {
			t.Errorf("call open %v–%v: %d %s", tc.opens, tc.deadline, status, b)
		}
	}
	if n := count(); n != before {
		t.Errorf("%d proposals after refusals, want %d", n, before)
	}

	// A proposal exists only for its authorities and the secretariat.
	own := fmt.Sprintf("/api/v1/proposals/%d", f.proposal)
	for role, want := range map[rencontres.Role]int{rencontres.AuthorityContact: 200, rencontres.Secretariat: 200, rencontres.Public: 404,
		rencontres.CommitteeMember: 404, rencontres.Participant: 404} {
		if status, b, _ := f.call(t, role, "GET", own, nil); status != want {
			t.Errorf("GET %s as %s: %d %s, want %d", own, role, status, b, want)
		}
	}
	if status, _, _ := f.call(t, rencontres.Public, "GET", fmt.Sprintf("/api/v1/calls/%d/proposals", f.openCall), nil); status != 404 {
		t.Errorf("the public lists proposals: %d", status)
	}
	// Aix's contact sees none of Kumamoto's proposals, even as partner.
	aix := &rencontres.User{Email: "aix.contact@example.org", Name: "Contact Aix", Lang: rencontres.French, Role: rencontres.AuthorityContact}
	if err := f.st.InviteUser(ctx, aix, "fr-13001"); err != nil {
		t.Fatal(err)
	}
	f.users["aix"] = aix
	if status, _, _ := f.call(t, "aix", "GET", own, nil); status != 404 {
		t.Errorf("another authority's contact reads the proposal: %d", status)
	}
	status, b, _ := f.call(t, rencontres.AuthorityContact, "GET", fmt.Sprintf("/api/v1/calls/%d/proposals", f.openCall), nil)
	var list struct{ Proposals []rencontres.Proposal }
	if err := json.Unmarshal(b, &list); status != 200 || err != nil || len(list.Proposals) != 1 || list.Proposals[0].ID != f.proposal {
		t.Errorf("the contact's list: %d %s", status, b)
	}
}

// The proposal form refuses, next to each field and in the reader's
// language, a proposal without a summary and a document that lies about
// its type, and saves nothing; a valid one is saved with its document and
// confirmed by email.
func TestProposalFormRefusesAndSaves(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	before, _ := f.st.Proposals(ctx, rencontres.ProposalFilter{})
	post := func(values url.Values, fileName string, data []byte) (int, string, string) {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		for k, vs := range values {
			for _, v := range vs {
				w.WriteField(k, v)
			}
		}
		fw, _ := w.CreateFormFile("file", fileName)
		fw.Write(data)
		w.Close()
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/fr/calls/%d/proposals", f.srv.URL, f.openCall), &buf)
		req.Header.Set("Content-Type", w.FormDataContentType())
		req.AddCookie(f.session(t, rencontres.AuthorityContact))
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header.Get("Location")
	}
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
	values := url.Values{"title_fr": {"Le vélo en ville"}, "sdg": {"11", "99"}, "workshop": {"2"}, "answer_budget": {"10 000 €"},
		"contact_name": {"Test"}, "contact_email": {"test@example.org"}}
	status, body, _ := post(values, "rapport.pdf", png)
	if status != 400 {
		t.Fatalf("a refused proposal: %d", status)
	}
	for _, want := range []string{`id="summary-error"`, "en français ou en japonais", `id="file-error"`, "rapport.pdf", `id="sdgs-error"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the refused form does not show %q", want)
		}
	}
	if after, _ := f.st.Proposals(ctx, rencontres.ProposalFilter{}); len(after) != len(before) {
		t.Errorf("a refused proposal was saved")
	}
	values.Set("summary_fr", "Des pistes cyclables partout.")
	values["sdg"] = []string{"11"}
	pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
	status, _, loc := post(values, "plan.pdf", pdf)
	if status != 303 || !strings.Contains(loc, "/fr/proposals/") {
		t.Fatalf("a valid proposal: %d → %q", status, loc)
	}
	after, _ := f.st.Proposals(ctx, rencontres.ProposalFilter{})
	if len(after) != len(before)+1 {
		t.Fatalf("%d proposals, want %d", len(after), len(before)+1)
	}
	p := after[len(after)-1]
	if p.Lead() != "jp-431001" || len(p.Documents) != 1 || p.Documents[0].Name != "plan.pdf" || !p.TranslationPending() {
		t.Errorf("saved as %+v", p)
	}
	mails, err := f.sent(t)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range mails {
		if len(m.To) == 1 && m.To[0].Email == "test@example.org" && strings.Contains(m.Subject, "Le vélo en ville") && strings.Contains(m.Text, "/fr/proposals/") {
			found = true
		}
	}
	if !found {
		t.Errorf("no confirmation among %d emails", len(mails))
	}
}

// A campaign linked to a call of its event gives each letter the call's
// page in the recipient's language ({{call.link}}); a call of another
// event is refused.
func TestCampaignLinksToACall(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	sec := rencontres.Secretariat
	ev := f.copil(t)
	call := &rencontres.Call{EventID: ev.ID, Kind: rencontres.CallSuggestion, Title: rencontres.Text{"fr": "Vos suggestions"},
		Opens: time.Now().Add(-time.Hour), Deadline: time.Now().Add(240 * time.Hour)}
	if err := f.st.SaveCall(ctx, call, 0); err != nil {
		t.Fatal(err)
	}
	c := map[string]any{"event_id": ev.ID, "name": "Appel aux suggestions", "letters": campaignLetters("Madame, Monsieur,\n\nProposez vos thèmes : {{call.link}}"),
		"filter": map[string]any{"organisations": []string{"jp-431001"}}}
	code, b, _ := f.call(t, sec, "POST", "/api/v1/campaigns", c)
	if code != 201 {
		t.Fatalf("create: %d %s", code, b)
	}
	camp := decodeAs[rencontres.Campaign](t, b)
	form := func(callID int64) (int, string) {
		code, _, h := f.call(t, sec, "POST", fmt.Sprintf("/fr/campaigns/%d/call", camp.ID), []byte(url.Values{"call": {fmt.Sprint(callID)}}.Encode()),
			"Content-Type", "application/x-www-form-urlencoded")
		return code, h.Get("Location")
	}
	if code, _ := form(f.openCall); code != 400 {
		t.Errorf("a call of another event: %d, want 400", code)
	}
	if code, loc := form(call.ID); code != 303 || !strings.Contains(loc, "done=call") {
		t.Fatalf("link the call: %d %s", code, loc)
	}
	code, b, _ = f.call(t, sec, "GET", fmt.Sprintf("/api/v1/campaigns/%d/preview?recipient=%s", camp.ID, f.users[rencontres.AuthorityContact].Email), nil)
	if want := fmt.Sprintf("/fr/calls/%d", call.ID); code != 200 || !strings.Contains(string(b), want) {
		t.Errorf("preview: %d, want %s in %s", code, want, b)
	}
	if code, _ := form(0); code != 303 {
		t.Errorf("unlink: %d", code)
	}
	if got, err := f.st.CampaignCall(ctx, camp.ID); err != nil || got != nil {
		t.Errorf("after unlinking: %v, %v", got, err)
	}
}

// The contact adds the Japanese to its proposal, then withdraws it; a
// withdrawn proposal's form sends back to its page, and a change to it is
// refused.
func TestProposalEditedThenWithdrawn(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	post := func(path string, v url.Values) (int, string) {
		code, _, h := f.call(t, rencontres.AuthorityContact, "POST", path, []byte(v.Encode()), "Content-Type", "application/x-www-form-urlencoded")
		return code, h.Get("Location")
	}
	page := fmt.Sprintf("/fr/proposals/%d", f.proposal)
	v := url.Values{"title_ja": {"熊本城下のまちづくり"}, "title_fr": {"Revivre au pied du château"}, "summary_ja": {"城下町の再生。"},
		"summary_fr": {"La ville basse renaît."}, "workshop": {"3"}, "sdg": {"11", "8"}, "answer_budget": {"5000万円"},
		"presenter_user": {fmt.Sprint(f.users[rencontres.AuthorityContact].ID)}, "org0": {"fr-13001"}, "org0_role": {"partner"},
		"contact_name": {"熊本市国際課"}, "contact_email": {"kokusai@kumamoto.example.org"}}
	if code, loc := post(page, v); code != 303 || !strings.Contains(loc, "done=saved") {
		t.Fatalf("edit: %d %s", code, loc)
	}
	p, err := f.st.Proposal(ctx, f.proposal)
	if err != nil || p.TranslationPending() || len(p.SDGs) != 2 || len(p.Orgs) != 2 || len(p.Presenters) != 1 {
		t.Fatalf("after the edit: %+v, %v", p, err)
	}
	if code, loc := post(page+"/withdraw", nil); code != 303 || !strings.Contains(loc, "done=withdrawn") {
		t.Fatalf("withdraw: %d %s", code, loc)
	}
	if code, _, h := f.call(t, rencontres.AuthorityContact, "GET", page+"/edit", nil); code != 303 || h.Get("Location") != page {
		t.Errorf("the form of a withdrawn proposal: %d %s", code, h.Get("Location"))
	}
	if code, _ := post(page, v); code != 409 {
		t.Errorf("a change to a withdrawn proposal: %d, want 409", code)
	}
	if p, _ := f.st.Proposal(ctx, f.proposal); p.State != rencontres.ProposalWithdrawn {
		t.Errorf("state %s", p.State)
	}
}

// Documents through the API: one that lies about its type is refused with
// its field; another authority's contact finds no proposal; a withdrawn
// proposal takes none.
func TestProposalDocumentsThroughTheAPI(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	aix := &rencontres.User{Email: "aix.docs@example.org", Name: "Contact Aix", Lang: rencontres.French, Role: rencontres.AuthorityContact}
	if err := f.st.InviteUser(ctx, aix, "fr-13001"); err != nil {
		t.Fatal(err)
	}
	f.users["aix"] = aix
	upload := func(role rencontres.Role, name string, data []byte) (int, apiFaults) {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		fw, _ := w.CreateFormFile("file", name)
		fw.Write(data)
		w.Close()
		code, b, _ := f.call(t, role, "POST", fmt.Sprintf("/api/v1/proposals/%d/documents?lang=fr", f.proposal), buf.Bytes(), "Content-Type", w.FormDataContentType())
		var e apiFaults
		json.Unmarshal(b, &e)
		return code, e
	}
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
	pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
	if code, e := upload(rencontres.AuthorityContact, "rapport.pdf", png); code != 400 || e.Error.Field != "file" || !strings.Contains(e.Error.Message, "rapport.pdf") {
		t.Errorf("a PNG named .pdf: %d %+v", code, e)
	}
	if code, _ := upload("aix", "plan.pdf", pdf); code != 404 {
		t.Errorf("another authority's contact: %d, want 404", code)
	}
	if code, _ := upload(rencontres.AuthorityContact, "plan.pdf", pdf); code != 201 {
		t.Errorf("a PDF: %d", code)
	}
	if err := f.st.WithdrawProposal(ctx, f.proposal, f.users[rencontres.AuthorityContact].ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if code, _ := upload(rencontres.AuthorityContact, "plan.pdf", pdf); code != 409 {
		t.Errorf("to a withdrawn proposal: %d, want 409", code)
	}
	if p, _ := f.st.Proposal(ctx, f.proposal); len(p.Documents) != 1 || p.Documents[0].Name != "plan.pdf" {
		t.Errorf("documents %+v", p.Documents)
	}
}
