package server

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// A question asked only after an answer (the 7th edition's train arrival,
// asked when the shuttle is wanted): the page gives the script what it
// needs and says the condition in words; the server still decides, whatever
// the browser sent.
func TestConditionalQuestion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		page := fmt.Sprintf("/fr/events/%d/delegation", f.edition)
		code, b, _ := f.call(t, rencontres.Secretariat, "GET", page+"?org=fr-54395", nil)
		body := string(b)
		for _, want := range []string{`data-show-if="answer_shuttle" data-equals="yes"`, "data-shown=\"Question ajoutée\u00a0: Jour et heure d’arrivée",
			`<p class="sr-only" role="status" data-question-status></p>`,
			"id=\"answer_arrival-if\">À remplir seulement si la réponse à «\u00a0Souhaitez-vous la navette depuis la gare d’Aix-en-Provence TGV\u00a0?\u00a0» est «\u00a0Oui\u00a0».</p>",
			`<input id="answer_arrival" name="answer_arrival" type="text" value="" aria-describedby="answer_arrival-if" required>`,
			`<select id="answer_shuttle" name="answer_shuttle" required>`} {
			if !strings.Contains(body, want) {
				t.Errorf("the delegation page (%d) lacks %s", code, want)
			}
		}

		post := func(token string, answers url.Values) (int, string) {
			values := url.Values{"token": {token}, "organisation": {"fr-54395"}, "given_name": {"Pauline"}, "family_name": {"Renard"},
				"email": {"p.renard." + token + "@example.org"}, "lang": {"fr"}, "elected": {"no"}}
			for k, v := range answers {
				values[k] = v
			}
			code, b, _ := f.call(t, rencontres.Secretariat, "POST", page, []byte(values.Encode()), "Content-Type", "application/x-www-form-urlencoded")
			return code, string(b)
		}
		answers := func(email string) map[string]string {
			regs, err := st.Registrations(context.Background(), rencontres.RegistrationFilter{EventID: f.edition, Query: email})
			if err != nil || len(regs) != 1 {
				t.Fatalf("registrations of %s: %d (%v)", email, len(regs), err)
			}
			return regs[0].Answers
		}
		// The shuttle without the train: the question shown is required.
		code, body = post("t1", url.Values{"answer_shuttle": {"yes"}})
		if code != 400 || !strings.Contains(body, `id="answer_arrival-error" role="alert">Cette question est obligatoire.`) ||
			!strings.Contains(body, `aria-describedby="answer_arrival-if answer_arrival-error" required aria-invalid="true"`) ||
			!strings.Contains(body, `<option value="yes" selected>`) {
			t.Errorf("shuttle without arrival: %d", code)
		}
		// No shuttle: the hidden question is not required, and an answer
		// sent to it anyway (no script, a field filled then hidden) is
		// dropped.
		if code, _ := post("t2", url.Values{"answer_shuttle": {"no"}}); code != 303 {
			t.Errorf("no shuttle: %d, want 303", code)
		}
		if got := answers("p.renard.t2@example.org"); len(got) != 1 || got["shuttle"] != "no" {
			t.Errorf("answers without the shuttle = %v", got)
		}
		if code, _ := post("t3", url.Values{"answer_shuttle": {"no"}, "answer_arrival": {"3 octobre, 11h58"}}); code != 303 {
			t.Errorf("no shuttle, an arrival sent anyway: %d, want 303", code)
		}
		if got := answers("p.renard.t3@example.org"); got["arrival"] != "" {
			t.Errorf("a hidden question's answer was kept: %v", got)
		}
		if code, _ := post("t4", url.Values{"answer_shuttle": {"yes"}, "answer_arrival": {"3 octobre, 11h58"}}); code != 303 {
			t.Errorf("shuttle and arrival: %d, want 303", code)
		}
		if got := answers("p.renard.t4@example.org"); got["arrival"] != "3 octobre, 11h58" {
			t.Errorf("answers with the shuttle = %v", got)
		}
	})
}
