package server

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// Through the API: a private address and an unknown type are refused
// beside their fields in the reader's language, with nothing saved; the
// secret is answered when made and never listed; only the secretariat
// manages webhooks.
func TestWebhooksThroughTheAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		staff := rencontres.Secretariat
		before, _ := st.WebhookEndpoints(t.Context())
		code, b, _ := f.call(t, staff, "POST", "/api/v1/webhooks?lang=fr", map[string]any{"url": "https://169.254.169.254/latest",
			"event_types": []string{"registration.exploded"}})
		var e struct {
			Error struct {
				Errors []struct{ Field, Message string }
			}
		}
		json.Unmarshal(b, &e)
		got := map[string]string{}
		for _, x := range e.Error.Errors {
			got[x.Field] = x.Message
		}
		if code != 400 || !strings.Contains(got["url"], "réseau privé") || !strings.Contains(got["event_types"], "registration.exploded") {
			t.Errorf("a bad endpoint: %d %s", code, b)
		}
		if list, _ := st.WebhookEndpoints(t.Context()); len(list) != len(before) {
			t.Errorf("a refused endpoint was saved")
		}
		code, b, _ = f.call(t, staff, "POST", "/api/v1/webhooks", map[string]any{"url": "https://93.184.215.14/hooks",
			"event_types": []string{"registration.created"}})
		var made rencontres.WebhookEndpoint
		json.Unmarshal(b, &made)
		if code != 201 || !strings.HasPrefix(made.Secret, "whsec_") {
			t.Fatalf("create: %d %s", code, b)
		}
		if _, b, _ := f.call(t, staff, "GET", "/api/v1/webhooks", nil); strings.Contains(string(b), "whsec_") {
			t.Errorf("the list shows a secret: %s", b)
		}
		for _, role := range []rencontres.Role{rencontres.AuthorityContact, rencontres.CommitteeMember, rencontres.Participant} {
			if code, _, _ := f.call(t, role, "GET", "/api/v1/webhooks", nil); code != 403 {
				t.Errorf("%s lists webhooks: %d", role, code)
			}
		}
	})
}
