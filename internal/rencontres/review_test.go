package rencontres

import (
	"errors"
	"math"
	"testing"
	"time"
)

// A letter's placeholders are filled, its first line is the subject, and
// a field the product does not know is refused by name.
func TestDecisionLetters(t *testing.T) {
	subject, body := FillLetter("Votre pratique « {{title}} » est retenue\r\n\r\n{{authority}} présentera à l’{{workshop}}.\n{{comments}}",
		map[string]string{"title": "Tramway", "authority": "Kumamoto", "workshop": "Atelier économie", "comments": "Bravo."})
	if subject != "Votre pratique « Tramway » est retenue" || body != "Kumamoto présentera à l’Atelier économie.\nBravo." {
		t.Errorf("filled: %q / %q", subject, body)
	}
	err := CheckLetters(map[ProposalDecision]Text{Accepted: {"fr": "Objet\nBonjour {{maire}}", "ja": "件名だけ"}, "maybe": {"fr": "x\ny"}})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("%v", err)
	}
	got := map[string]string{}
	for _, f := range e.All() {
		got[f.Field] = f.Key
	}
	if got["letters.accepted.fr"] != "error.decision_letter_field" || got["letters.accepted.ja"] != "error.letter_subject_body" || got["letters.maybe"] != "error.bad_decision" {
		t.Errorf("faults %v", got)
	}
	if err := CheckLetters(map[ProposalDecision]Text{Declined: {"ja": "ご提案について\n{{title}}"}}); err != nil {
		t.Errorf("a letter with only fields in its body: %v", err)
	}
}

// Scores weigh as their categories say, each brought to its scale; the
// phases follow the call's dates.
func TestScoreAndPhase(t *testing.T) {
	c := &Call{Categories: []ScoreCategory{{Key: "a", Min: 1, Max: 5, Weight: 2}, {Key: "b", Min: 0, Max: 10, Weight: 1}}}
	if got := c.Score(map[string]int{"a": 4, "b": 10}); math.Abs(got-(2*75+100)/3.0) > 1e-9 {
		t.Errorf("score %v", got)
	}
	if mean, spread := MeanAndSpread([]float64{40, 60}); mean != 50 || spread != 10 {
		t.Errorf("mean %v spread %v", mean, spread)
	}
	if err := c.CheckReview(&Review{Scores: map[string]int{"a": 0, "b": 11}}); err == nil || len(err.(*Error).All()) != 2 {
		t.Errorf("two scores out of scale: %v", err)
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	opens, closes := now.Add(-time.Hour), now.Add(time.Hour)
	for _, x := range []struct {
		at   time.Time
		want ReviewPhase
	}{{now.Add(-2 * time.Hour), ReviewNotYet}, {now, ReviewOpen}, {closes, ReviewClosed}} {
		c.ReviewOpens, c.ReviewCloses = &opens, &closes
		if got := c.ReviewPhase(x.at); got != x.want {
			t.Errorf("at %v: %s, want %s", x.at, got, x.want)
		}
	}
	c.Released = &now
	if c.ReviewPhase(now) != ReviewReleased {
		t.Error("a released call")
	}
}
