package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/photo/phototest"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// Every documented GET endpoint, and the main writes, answer the
// secretariat's API token over the demo data with bodies that match their
// documented schemas, where no object may hold a property the document
// does not name.
func TestAPIResponsesMatchTheirSchemas(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		c := newSchemaClient(t, f)

		// The writes first, so that every list below has something in it;
		// a webhook first of all, so that the registration below is told.
		hook := c.check("POST", "/api/v1/webhooks", map[string]any{"url": "https://93.184.215.14/hooks/rencontres", "description": "CRM de CUF",
			"event_types": []string{"registration.created", "declaration.adopted"}}, 201)
		hookID := fmt.Sprint(hook["id"])
		c.check("PUT", "/api/v1/webhooks/"+hookID, map[string]any{"url": "https://93.184.215.14/hooks/rencontres", "description": "CRM de CUF",
			"event_types": []string{"registration.created", "registration.withdrawn"}, "enabled": true}, 200)
		c.check("POST", "/api/v1/webhooks/"+hookID+"/rotate", nil, 200)
		ev, _ := f.openNinth(t)
		e9 := strconv.FormatInt(ev.ID, 10)
		c.check("POST", "/api/v1/events", map[string]any{"kind": "committee_meeting", "committee_id": f.committee,
			"title": map[string]string{"fr": "4e réunion du comité de pilotage", "ja": "第4回運営委員会"}, "time_zone": "Europe/Paris",
			"start": "2026-03-17", "end": "2026-03-17", "start_time": "16:00", "end_time": "17:30", "status": "planned"}, 201)
		c.check("PUT", "/api/v1/events/"+e9+"/registration-form", map[string]any{"opens": time.Now().Add(-time.Hour),
			"deadline": time.Now().Add(time.Hour), "capacity": 0, "max_choices": 1, "contact": "japon@example.org"}, 200)
		c.check("POST", "/api/v1/events/"+e9+"/registrations", map[string]any{"organisation": "jp-431001", "given_name": "Kenji",
			"family_name": "Mori", "name_ja": "森 健二", "email": "k.mori@example.org", "lang": "ja"}, 201)
		c.check("POST", "/api/v1/campaigns", map[string]any{"event_id": f.edition, "name": "Invitation"}, 201)
		contact := c.check("POST", "/api/v1/organisations/jp-431001/contacts", map[string]any{"civility": "m", "name": "Kazufumi ONISHI",
			"name_ja": "大西 一史", "function": "市長", "service": "国際課", "address_form": "熊本市長 大西 一史 様", "phone": "096-328-2111",
			"email": "onishi@kumamoto.example.org", "lang": "ja", "main_contact": true}, 201)
		c.check("PATCH", "/api/v1/organisations/jp-431001/contacts/"+fmt.Sprint(contact["id"]), map[string]any{"postal_address": "熊本市中央区手取本町1-1"}, 200)
		c.check("POST", "/api/v1/organisations", map[string]any{"kind": "agency", "country": "FR", "name": map[string]string{"fr": "CLAIR Lyon"},
			"languages": []string{"fr", "ja"}, "cuf_japan_group": true, "notes": "Nouveau bureau", "address": "Lyon"}, 201)
		c.check("PATCH", "/api/v1/organisations/jp-431001", map[string]any{"name": map[string]string{"ja": "熊本市役所"}}, 200)
		c.check("POST", "/api/v1/organisations/jp-431001/revert", map[string]any{"field": "name.ja"}, 200)
		c.check("POST", "/api/v1/organisations/fr-13001/merge", map[string]any{"from": "inst-clair-lyon"}, 200)
		c.check("PUT", "/api/v1/organisations/jp-431001/cooperation", map[string]any{"seeks": []string{"culture"}, "offers": []string{"disaster_resilience"},
			"kinds": []string{"school_exchange"}, "languages": []string{"ja", "en"}}, 200)
		c.check("PUT", "/api/v1/organisations/jp-431001/cooperation", map[string]any{"seeks": []string{"piracy"}, "languages": []string{"xx"}}, 400)

		news := c.check("POST", "/api/v1/news", map[string]any{"title": map[string]string{"fr": "Le COPIL mixte", "ja": "日仏合同運営委員会"},
			"body": map[string]string{"fr": "Texte.", "ja": "本文。"}, "events": []int64{f.edition}, "organisations": []string{"fr-13001"}}, 201)
		post := fmt.Sprint(news["id"])
		c.check("PATCH", "/api/v1/news/"+post, map[string]any{"title": map[string]string{"fr": "Le COPIL mixte à Aix", "ja": "日仏合同運営委員会"}}, 200)
		newsPhoto := c.uploadPhoto("/api/v1/news/" + post + "/photos")
		c.check("PATCH", "/api/v1/news/"+post+"/photos/"+newsPhoto, map[string]any{"credit": "Ville d’Aix"}, 200)
		c.check("POST", "/api/v1/news/"+post+"/publish", nil, 200)
		// A call and a proposal to it, changed and withdrawn.
		call := c.check("POST", "/api/v1/calls", map[string]any{"event_id": f.edition, "kind": "theme",
			"title": map[string]string{"fr": "Thèmes des ateliers", "ja": "分科会のテーマ"}, "opens": time.Now().Add(-time.Hour), "deadline": time.Now().Add(time.Hour),
			"workshops": []int{1, 2}, "categories": []map[string]any{{"key": "relevance", "label": map[string]string{"fr": "Pertinence"}, "min": 1, "max": 5, "weight": 1}},
			"review_opens": time.Now().Add(2 * time.Hour)}, 201)
		callID := fmt.Sprint(call["id"])
		c.check("PUT", "/api/v1/calls/"+callID, map[string]any{"event_id": f.edition, "kind": "theme",
			"title": map[string]string{"fr": "Thèmes des ateliers", "ja": "分科会のテーマ", "en": "Workshop themes"},
			"opens": time.Now().Add(-time.Hour), "deadline": time.Now().Add(time.Hour), "workshops": []int{1, 2}}, 200)
		prop := c.check("POST", "/api/v1/calls/"+callID+"/proposals", map[string]any{"title": map[string]string{"fr": "La ville à vélo"},
			"summary": map[string]string{"fr": "Des pistes partout."}, "sdgs": []int{11}, "workshop": 2,
			"organisations": []map[string]string{{"key": "fr-13001", "role": "lead"}, {"key": "jp-431001", "role": "partner"}},
			"presenters":    []map[string]any{{"person": "Sophie BLANC", "function": map[string]string{"fr": "Adjointe"}}},
			"contact_name":  "Sophie BLANC", "contact_email": "s.blanc@example.org"}, 201)
		propID := fmt.Sprint(prop["id"])
		c.check("PUT", "/api/v1/proposals/"+propID, map[string]any{"title": map[string]string{"fr": "La ville à vélo", "ja": "自転車のまち"},
			"summary": map[string]string{"fr": "Des pistes partout.", "ja": "自転車道の整備。"}, "sdgs": []int{11, 13}, "workshop": 2,
			"organisations": []map[string]string{{"key": "fr-13001", "role": "lead"}}, "contact_name": "Sophie BLANC", "contact_email": "s.blanc@example.org"}, 200)
		propDoc := c.upload("/api/v1/proposals/" + propID + "/documents")
		c.check("DELETE", "/api/v1/proposals/"+propID+"/documents/"+propDoc, nil, 204)
		c.upload("/api/v1/proposals/" + propID + "/documents")
		c.check("POST", "/api/v1/proposals/"+propID+"/withdraw", nil, 200)
		meeting := c.meetingWithAgenda()
		doc := c.upload("/api/v1/events/" + meeting + "/documents")
		seventh := strconv.FormatInt(f.edition, 10)
		// The 7th edition's one-to-one meetings: settings without the
		// demo's past deadline, a request, its acceptance, a schedule.
		mt := "/api/v1/events/" + seventh + "/meetings"
		c.check("PUT", mt+"/settings", map[string]any{"ranges": []map[string]any{{"day": "2022-10-05", "from": "12:00", "to": "14:00",
			"minutes": 20, "interpreters": 2}}, "tables": []string{"1", "2", "3"}, "cap": 3, "deadline": nil}, 200)
		asked := c.check("POST", mt+"/requests", map[string]any{"from": "fr-37261", "to": "jp-431001", "message": "Tourisme"}, 201)
		c.check("POST", mt+"/requests/"+fmt.Sprint(asked["id"])+"/answer", map[string]any{"answer": "accept"}, 200)
		c.check("POST", mt+"/schedule", nil, 200)
		c.check("POST", mt+"/schedule/publish", map[string]any{"state": "final"}, 200)
		regs := c.check("GET", "/api/v1/events/"+seventh+"/registrations", nil, 200)
		chosen := ""
		for _, r := range regs["registrations"].([]any) {
			for _, ch := range r.(map[string]any)["choices"].([]any) {
				chosen = fmt.Sprint(ch.(map[string]any)["session"])
			}
		}
		delivery := c.firstID("/api/v1/webhooks/"+hookID+"/deliveries", "deliveries")
		c.check("POST", "/api/v1/webhooks/"+hookID+"/deliveries/"+delivery+"/resend", nil, 202)
		// The secretariat's account is registered for the 7th edition too,
		// so that its own view of it (/api/v1/me/events/{id}) answers.
		if _, err := st.Register(context.Background(), &rencontres.Registration{EventID: f.edition, OrgKey: "fr-13001", GivenName: "Sophie",
			FamilyName: "Leroy", Email: f.users[rencontres.Secretariat].Email, Lang: rencontres.French, Answers: map[string]string{"shuttle": "no"}},
			time.Now(), true); err != nil {
			t.Fatal(err)
		}
		demoCampaign := c.firstID("/api/v1/campaigns", "campaigns")
		recipients := c.check("GET", "/api/v1/campaigns/"+demoCampaign+"/recipients", nil, 200)
		recipient := fmt.Sprint(recipients["recipients"].([]any)[0].(map[string]any)["id"])
		values := map[string]string{"slug": "raict", "series": "rencontres-franco-japonaises", "number": "7", "key": "jp-431001",
			"committee": strconv.FormatInt(f.committee, 10), "session": chosen, "document": doc, "recipient": recipient,
			"campaign": demoCampaign, "partnership": "1", "post": post, "practice": strconv.FormatInt(f.practice, 10), "call": strconv.FormatInt(f.openCall, 10), "proposal": strconv.FormatInt(f.proposal, 10), "amendment": strconv.FormatInt(f.amendment, 10), "registration": fmt.Sprint(regs["registrations"].([]any)[0].(map[string]any)["id"]), "webhook": hookID}
		// The paths of a meeting's own things take the meeting; the rest
		// the 7th edition, whose programme and registrations are the
		// demo's.
		meetingPaths := regexp.MustCompile(`/(agenda|decisions|documents)$`)
		pathParam := regexp.MustCompile(`\{([a-z_]+)\}`)
		for _, path := range c.documentedGETs() {
			id := seventh
			if meetingPaths.MatchString(path) {
				id = meeting
			}
			if strings.HasPrefix(path, "/api/v1/declarations/") {
				id = strconv.FormatInt(f.declaration, 10)
			}
			url := pathParam.ReplaceAllStringFunc(path, func(m string) string {
				name := m[1 : len(m)-1]
				if name == "id" {
					return id
				}
				return values[name]
			})
			c.check("GET", url, nil, 200)
		}
	})
}

// schemaClient calls the API with a token and validates each answer.
type schemaClient struct {
	t     *testing.T
	f     *fixture
	token string
	v     validator.Validator
	doc   map[string]any
}

func newSchemaClient(t *testing.T, f *fixture) *schemaClient {
	t.Helper()
	tok, hash, prefix := auth.NewAPIToken()
	if _, err := f.st.CreateAPIToken(context.Background(), f.users[rencontres.Secretariat].ID, "schemas", hash, prefix); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(f.srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	strict, _ := json.Marshal(closeObjects(doc, doc["components"].(map[string]any)["schemas"].(map[string]any)))
	d, err := libopenapi.NewDocument(strict)
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(d)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return &schemaClient{t: t, f: f, token: tok, v: v, doc: doc}
}

// closeObjects returns a copy of a schema (or of the whole document) in
// which every object names all its properties: additionalProperties is
// false wherever the document leaves it out, and allOf is merged into one
// object first, since each part of an allOf would refuse the others'
// properties.
func closeObjects(node any, components map[string]any) any {
	switch n := node.(type) {
	case []any:
		out := make([]any, len(n))
		for i, v := range n {
			out[i] = closeObjects(v, components)
		}
		return out
	case map[string]any:
		if parts, ok := n["allOf"].([]any); ok {
			merged := map[string]any{"type": "object", "properties": map[string]any{}}
			var required []any
			for _, p := range parts {
				part := p.(map[string]any)
				if ref, ok := part["$ref"].(string); ok {
					part = components[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any)
				}
				for k, v := range part["properties"].(map[string]any) {
					merged["properties"].(map[string]any)[k] = v
				}
				if r, ok := part["required"].([]any); ok {
					required = append(required, r...)
				}
			}
			if len(required) > 0 {
				merged["required"] = required
			}
			n = merged
		}
		out := make(map[string]any, len(n)+1)
		for k, v := range n {
			out[k] = closeObjects(v, components)
		}
		if _, has := n["additionalProperties"]; !has && isObject(n) {
			out["additionalProperties"] = false
		}
		return out
	}
	return node
}

func isObject(schema map[string]any) bool {
	_, props := schema["properties"]
	return props || schema["type"] == "object"
}

// documentedGETs lists the document's GET paths under /api/v1.
func (c *schemaClient) documentedGETs() []string {
	var out []string
	for path, item := range c.doc["paths"].(map[string]any) {
		if _, ok := item.(map[string]any)["get"]; ok && strings.HasPrefix(path, "/api/v1/") {
			out = append(out, path)
		}
	}
	slices.Sort(out)
	if len(out) < 25 {
		c.t.Fatalf("only %d GET paths documented", len(out))
	}
	return out
}

// check calls the API and validates the answer against the document;
// a JSON answer is returned decoded.
func (c *schemaClient) check(method, path string, body any, status int) map[string]any {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.f.srv.URL+path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.do(req, status)
}

func (c *schemaClient) do(req *http.Request, status int) map[string]any {
	c.t.Helper()
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := noFollow.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	where := req.Method + " " + req.URL.RequestURI()
	if resp.StatusCode != status {
		c.t.Errorf("%s: %d, want %d: %.300s", where, resp.StatusCode, status, b)
		return nil
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	// The validator finds the operation by the request's path alone.
	vreq, _ := http.NewRequest(req.Method, req.URL.Path+"?"+req.URL.RawQuery, nil)
	if ok, errs := c.v.ValidateHttpResponse(vreq, resp); !ok {
		for _, e := range errs {
			c.t.Errorf("%s: %s %s", where, e.Message, e.Reason)
			for _, fe := range e.SchemaValidationErrors {
				c.t.Errorf("    %s at %s", fe.Reason, fe.FieldPath)
			}
		}
	}
	var out map[string]any
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		json.Unmarshal(b, &out)
	}
	return out
}

// meetingWithAgenda finds the demo's committee meeting that has an agenda
// and decisions.
func (c *schemaClient) meetingWithAgenda() string {
	c.t.Helper()
	list := c.check("GET", "/api/v1/events?kind=committee_meeting", nil, 200)
	for _, e := range list["events"].([]any) {
		id := fmt.Sprint(e.(map[string]any)["id"])
		if items := c.check("GET", "/api/v1/events/"+id+"/agenda", nil, 200); len(items["items"].([]any)) > 0 {
			return id
		}
	}
	c.t.Fatal("no meeting with an agenda in the demo data")
	return ""
}

func (c *schemaClient) firstID(path, list string) string {
	c.t.Helper()
	body := c.check("GET", path, nil, 200)
	items, _ := body[list].([]any)
	if len(items) == 0 {
		c.t.Fatalf("%s: no %s", path, list)
	}
	return fmt.Sprint(items[len(items)-1].(map[string]any)["id"])
}

// uploadPhoto sends a photo to a news post and returns its id.
func (c *schemaClient) uploadPhoto(path string) string {
	c.t.Helper()
	body, ct := photoForm(c.t, "copil.jpg", "image/jpeg", phototest.JPEGWithGPS(800, 600, 1), "alt_fr", "Le comité", "alt_ja", "委員会")
	req, _ := http.NewRequest("POST", c.f.srv.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	return fmt.Sprint(c.do(req, 201)["id"])
}

// upload sends a small PDF as a meeting's document and returns its id.
func (c *schemaClient) upload(path string) string {
	c.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	fw, _ := w.CreateFormFile("file", "ordre-du-jour.pdf")
	fw.Write([]byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"))
	w.WriteField("public", "true")
	w.WriteField("title_fr", "Ordre du jour")
	w.Close()
	req, _ := http.NewRequest("POST", c.f.srv.URL+path, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return fmt.Sprint(c.do(req, 201)["id"])
}
