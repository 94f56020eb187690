package server

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// A JSON body over the API's limit is answered 413 with a message that
// says the limit, in the client's language, rather than as a syntax error.
func TestAPIBodyOverTheLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		for _, size := range []int{300 << 10, 10 << 20} {
			body := []byte(`{"kind":"committee_meeting","title":{"fr":"` + strings.Repeat("a", size) + `"}}`)
			for lang, want := range map[string]string{"en": "larger than 256 KiB", "fr": "dépasse 256\u00a0Kio"} {
				code, b, _ := f.call(t, rencontres.Secretariat, "POST", "/api/v1/events?lang="+lang, body)
				var e struct {
					Error struct{ Code, Message string }
				}
				json.Unmarshal(b, &e)
				if code != 413 || e.Error.Code != "too_large" || !strings.Contains(e.Error.Message, want) {
					t.Errorf("%d bytes, %s: %d %s, want 413 saying %q", size, lang, code, b, want)
				}
			}
		}
		events, err := st.Events(context.Background(), rencontres.EventFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			if strings.HasPrefix(e.Title["fr"], "aaaa") {
				t.Errorf("an oversized body saved event %d", e.ID)
			}
		}
	})
}

// An Idempotency-Key answers a retry of the same request with the first
// answer, refuses it with another request (422, saying so, registering
// nobody), and belongs to the person who sent it: another person's call
// with the same key is theirs, never the first person's answer.
func TestIdempotencyKeyReuse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		ev, _ := f.openNinth(t)
		path := "/api/v1/events/" + strconv.FormatInt(ev.ID, 10)
		form := map[string]any{"opens": time.Now().Add(-time.Hour), "deadline": time.Now().Add(time.Hour), "capacity": 0, "max_choices": 1,
			"contact": "japon@example.org"}
		if code, b, _ := f.call(t, rencontres.Secretariat, "PUT", path+"/registration-form", form); code != 200 {
			t.Fatalf("open registration: %d %s", code, b)
		}
		mayor := `{"organisation":"jp-431001","given_name":"Kenji","family_name":"Mori","email":"k.mori@example.org","lang":"ja"}`
		code, b, _ := f.call(t, rencontres.AuthorityContact, "POST", path+"/registrations", []byte(mayor), "Idempotency-Key", "one-key")
		if code != 201 {
			t.Fatalf("register: %d %s", code, b)
		}
		first := decodeAs[rencontres.Registration](t, b)

		// The same request, spaced and ordered otherwise: the first answer.
		var v map[string]any
		json.Unmarshal([]byte(mayor), &v)
		var again bytes.Buffer
		enc := json.NewEncoder(&again)
		enc.SetIndent("", "   ")
		enc.Encode(v)
		code, b, h := f.call(t, rencontres.AuthorityContact, "POST", path+"/registrations", again.Bytes(), "Idempotency-Key", "one-key")
		if code != 201 || h.Get("Idempotent-Replayed") != "true" || decodeAs[rencontres.Registration](t, b).ID != first.ID {
			t.Errorf("the same request again: %d %s, want the first answer replayed", code, b)
		}

		// Another request under the same key: refused, nothing registered.
		deputy := strings.Replace(mayor, `"Kenji"`, `"Hanako"`, 1)
		for lang, want := range map[string]string{"en": "already used for a different request", "ja": "別の内容のリクエスト"} {
			code, b, _ = f.call(t, rencontres.AuthorityContact, "POST", path+"/registrations?lang="+lang, []byte(deputy), "Idempotency-Key", "one-key")
			var e struct {
				Error struct{ Code, Message, Field string }
			}
			json.Unmarshal(b, &e)
			if code != 422 || e.Error.Code != "idempotency_key_reused" || e.Error.Field != "Idempotency-Key" || !strings.Contains(e.Error.Message, want) {
				t.Errorf("another body under the key (%s): %d %s, want 422 saying %q", lang, code, b, want)
			}
		}
		all, err := st.Registrations(ctx, rencontres.RegistrationFilter{EventID: ev.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 1 {
			t.Errorf("%d registrations after a refused reuse, want 1", len(all))
		}

		// Another person, the same key: their own registration.
		guest := `{"organisation":"fr-13001","given_name":"Claire","family_name":"Martin","email":"c.martin@example.org","lang":"fr"}`
		code, b, h = f.call(t, rencontres.Secretariat, "POST", path+"/registrations", []byte(guest), "Idempotency-Key", "one-key")
		theirs := decodeAs[rencontres.Registration](t, b)
		if code != 201 || h.Get("Idempotent-Replayed") != "" || theirs.ID == first.ID || theirs.GivenName != "Claire" {
			t.Errorf("another person with the same key: %d %s, want their own registration", code, b)
		}
		// Even the very request the first person sent, with their key.
		code, b, h = f.call(t, rencontres.Secretariat, "POST", path+"/registrations", []byte(mayor), "Idempotency-Key", "one-key")
		if h.Get("Idempotent-Replayed") != "" || code == 201 && decodeAs[rencontres.Registration](t, b).ID == first.ID {
			t.Errorf("the first person's request and key from another person: %d %s, replayed the first answer", code, b)
		}
	})
}

// A change of an event's end day alone is a move: it joins the event's
// date changes, with its reason, and its start stays.
func TestEndDayChangeKeptInHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ev, _ := f.openNinth(t)
		path := "/api/v1/events/" + strconv.FormatInt(ev.ID, 10)
		code, b, _ := f.call(t, rencontres.Secretariat, "GET", path, nil)
		if code != 200 {
			t.Fatalf("GET %s: %d %s", path, code, b)
		}
		before := decodeAs[rencontres.Event](t, b)
		var body map[string]any
		json.Unmarshal(b, &body)
		body["end"] = "2026-10-16"
		body["reason"] = map[string]string{"fr": "Une journée de visites ajoutée", "ja": "視察日を1日追加"}
		if code, b, _ := f.call(t, rencontres.Secretariat, "PUT", path, body); code != 200 {
			t.Fatalf("PUT %s: %d %s", path, code, b)
		}
		got, err := st.Event(context.Background(), ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.DateChanges) != len(before.DateChanges)+1 {
			t.Fatalf("date changes %+v, want one more than %d", got.DateChanges, len(before.DateChanges))
		}
		c := got.DateChanges[len(got.DateChanges)-1]
		if c.FromStart.String() != "2026-10-12" || c.ToStart.String() != "2026-10-12" || c.FromEnd.String() != "2026-10-15" ||
			c.ToEnd.String() != "2026-10-16" || c.Reason["fr"] != "Une journée de visites ajoutée" {
			t.Errorf("the end day's change: %+v", c)
		}
		if got.Start.String() != "2026-10-12" || got.End.String() != "2026-10-16" {
			t.Errorf("the event now runs %s–%s", got.Start, got.End)
		}
	})
}
