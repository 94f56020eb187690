package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// waitFor polls a JavaScript condition until it holds.
func waitFor(t *testing.T, ctx context.Context, js, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if get(t, ctx, chromedp.Evaluate[bool](js)) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("%s: %s never held", what, js)
}

// The train's arrival is asked only of those who want the shuttle: it
// appears when « Oui » is chosen with the keyboard, focus staying on the
// shuttle's answer and the change said to screen readers, and goes when
// « Non » is; hidden, it is neither required nor sent. Without JavaScript
// every question shows, with the condition in words.
func TestConditionalQuestionInBrowser(t *testing.T) {
	fresh(t)
	e7 := seventh(t)
	for _, js := range []bool{true, false} {
		t.Run(fmt.Sprintf("javascript=%v", js), func(t *testing.T) {
			ctx := signedIn(t, &rencontres.User{Email: fmt.Sprintf("accueil.aix.%v@example.org", js), Name: "Inès FAURE", Lang: rencontres.French,
				Role: rencontres.Secretariat}, "")
			if !js {
				if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
					t.Fatal(err)
				}
			}
			url := fmt.Sprintf("%s/fr/events/%d/delegation?org=fr-54395", baseURL, e7.ID)
			do(t, ctx, chromedp.Navigate(url))
			arrivalHidden := `document.getElementById('answer_arrival').closest('.question').hidden`
			if !js {
				if get(t, ctx, chromedp.Evaluate[bool](arrivalHidden)) {
					t.Error("without JavaScript the conditional question is hidden")
				}
				if hint := get(t, ctx, chromedp.Text(chromedp.ID("answer_arrival-if"))); !strings.Contains(hint, "«\u00a0Oui\u00a0»") {
					t.Errorf("the condition in words = %q", hint)
				}
				return
			}
			checkAccessibility(t, ctx, "/fr/events/…/delegation")
			do(t, ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile), chromedp.Navigate(url))
			if over := get(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`)); over > 0 {
				t.Errorf("the delegation form scrolls sideways by %dpx at 360px wide", over)
			}
			do(t, ctx, chromedp.EmulateViewport(1200, 900), chromedp.Navigate(url))
			if !get(t, ctx, chromedp.Evaluate[bool](arrivalHidden+` && document.getElementById('answer_arrival').disabled && !document.getElementById('answer_arrival').willValidate`)) {
				t.Error("before the shuttle is answered, the arrival is shown, or still required")
			}
			// Keyboard: focus the shuttle's answer, choose « Oui ».
			do(t, ctx, chromedp.Focus(chromedp.ID("answer_shuttle")), chromedp.KeyEvent(kb.ArrowDown))
			waitFor(t, ctx, `document.getElementById('answer_shuttle').value === 'yes'`, "choosing Oui")
			waitFor(t, ctx, `!(`+arrivalHidden+`) && !document.getElementById('answer_arrival').disabled`, "the arrival appears")
			if got := get(t, ctx, chromedp.Evaluate[string](`document.activeElement.id`)); got != "answer_shuttle" {
				t.Errorf("focus moved to %q", got)
			}
			if got := get(t, ctx, chromedp.Text(chromedp.CSS("[data-question-status]"))); !strings.Contains(got, "Question ajoutée\u00a0: Jour et heure d’arrivée") {
				t.Errorf("the status region says %q", got)
			}
			// « Non »: the arrival goes again.
			do(t, ctx, chromedp.KeyEvent(kb.ArrowDown))
			waitFor(t, ctx, `document.getElementById('answer_shuttle').value === 'no' && `+arrivalHidden, "the arrival goes with Non")
			if got := get(t, ctx, chromedp.Text(chromedp.CSS("[data-question-status]"))); !strings.Contains(got, "Question retirée") {
				t.Errorf("the status region says %q", got)
			}
			// Back to « Oui », the arrival typed, the person registered.
			do(t, ctx, chromedp.KeyEvent(kb.ArrowUp))
			waitFor(t, ctx, `!(`+arrivalHidden+`)`, "the arrival appears again")
			do(t, ctx, chromedp.SendKeys(chromedp.ID("given_name"), "Pauline"), chromedp.SendKeys(chromedp.ID("family_name"), "Renard"),
				chromedp.SendKeys(chromedp.ID("email"), "p.renard@example.org"), chromedp.SendKeys(chromedp.ID("answer_arrival"), "3 octobre, 11h58"))
			click(t, ctx, `#person-form button[type="submit"]`)
			regs, err := srv.Store.Registrations(context.Background(), rencontres.RegistrationFilter{EventID: e7.ID, Query: "p.renard@example.org"})
			if err != nil || len(regs) != 1 || regs[0].Answers["shuttle"] != "yes" || regs[0].Answers["arrival"] != "3 octobre, 11h58" {
				t.Errorf("after submitting: %d registrations (%v) at %s", len(regs), err, path(t, ctx))
			}
		})
	}
}
