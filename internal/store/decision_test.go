package store_test

import (
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

// composeForTest makes a rendered message of a decision letter, as
// internal/review does with the mail package.
func composeForTest(l *rencontres.DecisionLetter) (*rencontres.QueuedMail, error) {
	payload, _ := json.Marshal(map[string]string{"subject": l.Subject, "text": l.Body})
	return &rencontres.QueuedMail{Kind: "proposal-decision", ToEmail: l.ToEmail, ToName: l.ToName, Lang: l.Lang, Payload: payload}, nil
}

var testLetters = map[rencontres.ProposalDecision]rencontres.Text{
	rencontres.Accepted: {"fr": "Votre pratique « {{title}} » est retenue\nMadame, Monsieur,\n\n{{authority}} présentera « {{title}} » à l’{{workshop}}.\n\n{{comments}}",
		"ja": "「{{title}}」採択のお知らせ\n{{authority}}御中\n\n{{workshop}}で発表をお願いいたします。\n\n{{comments}}"},
	rencontres.AcceptedOther: {"fr": "Votre pratique est retenue pour un autre atelier\n{{title}} : {{workshop}}.\n{{comments}}"},
	rencontres.Declined:      {"fr": "Votre proposition\nNous regrettons : {{title}}.\n{{comments}}", "ja": "ご提案について\n{{title}}\n{{comments}}"},
	rencontres.WaitingListed: {"fr": "Liste d’attente\n{{title}}"},
}

// TestReleaseDecisions: decisions are pending until released together; the
// release refuses while a proposal is undecided or a decision has no
// letter, and changes nothing then; it queues one letter per recipient in
// their language, puts the accepted proposals in the programme with their
// presenters as speakers, and happens once.
func TestReleaseDecisions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newReviewFixture(t, s)
		// Kumamoto's main contact writes in Japanese.
		kumamotoContact := &rencontres.User{Email: "koho@example.org", Name: "Haruto KATO", Lang: rencontres.Japanese, Role: rencontres.AuthorityContact}
		if err := s.SaveContact(ctx, "jp-431001", kumamotoContact, true); err != nil {
			t.Fatal(err)
		}
		accepted := f.proposal(t, s, "Tramway de Kumamoto", 0, "jp-431001", nil, "Kenta MIZUNO", "Yui ABE")
		other := f.proposal(t, s, "Jardins de Paris", 0, "fr-75056", nil, "Léa PETIT")
		declined := f.proposal(t, s, "Fête de Nancy", 1, "fr-54395", nil)
		waiting := f.proposal(t, s, "Eau de Bordeaux", 2, "fr-33063", nil)
		if err := s.SetReviewers(ctx, accepted, []int64{f.leroy.ID}, f.secretariat.ID, f.now); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveReview(ctx, &rencontres.Review{ProposalID: accepted, UserID: f.leroy.ID, Scores: map[string]int{"relevance": 5, "innovation": 8},
			CommentAuthors: "Une réussite exemplaire.", CommentCommittee: "Pas un mot aux auteurs."}, f.now); err != nil {
			t.Fatal(err)
		}

		err := s.SetDecision(ctx, &rencontres.ProposalVerdict{ProposalID: other, Decision: rencontres.AcceptedOther, Workshop: 9}, f.secretariat.ID, f.now)
		wantError(t, "unknown workshop", err, rencontres.EINVALID, "workshop", "error.unknown_workshop")
		err = s.SetDecision(ctx, &rencontres.ProposalVerdict{ProposalID: other, Decision: "maybe"}, f.secretariat.ID, f.now)
		wantError(t, "unknown decision", err, rencontres.EINVALID, "decision", "error.bad_decision")
		for _, d := range []rencontres.ProposalVerdict{
			{ProposalID: accepted, Decision: rencontres.Accepted, Note: rencontres.Text{"fr": "Vingt minutes de présentation.", "ja": "発表は20分です。"}},
			{ProposalID: other, Decision: rencontres.AcceptedOther, Workshop: 3}, // environnement
			{ProposalID: declined, Decision: rencontres.Declined},
		} {
			if err := s.SetDecision(ctx, &d, f.secretariat.ID, f.now); err != nil {
				t.Fatal(err)
			}
		}
		none := func(*rencontres.DecisionLetter) (*rencontres.QueuedMail, error) {
			t.Fatal("a letter composed for a refused release")
			return nil, nil
		}
		_, err = s.ReleaseDecisions(ctx, f.call, f.secretariat.ID, f.now, nil, none)
		wantError(t, "one undecided", err, rencontres.EINVALID, "decisions", "error.undecided_proposals")
		if err := s.SetDecision(ctx, &rencontres.ProposalVerdict{ProposalID: waiting, Decision: rencontres.WaitingListed}, f.secretariat.ID, f.now); err != nil {
			t.Fatal(err)
		}
		_, err = s.ReleaseDecisions(ctx, f.call, f.secretariat.ID, f.now, nil, none)
		if got := faults(t, err); got["letters.accepted"] == nil || got["letters.declined"] == nil || len(got) != 4 {
			t.Errorf("a release without letters: %v", got)
		}
		if c, _ := s.ReviewCall(ctx, f.call); c.Released != nil {
			t.Fatal("a refused release marked the call released")
		}

		bad := map[rencontres.ProposalDecision]rencontres.Text{rencontres.Accepted: {"fr": "Objet\nBonjour {{maire}}"}}
		wantError(t, "unknown field", s.SetLetters(ctx, f.call, bad), rencontres.EINVALID, "letters.accepted.fr", "error.decision_letter_field")
		if err := s.SetLetters(ctx, f.call, testLetters); err != nil {
			t.Fatal(err)
		}
		// The environment workshop has no session in the programme: the
		// secretariat chooses one or makes one; the economy workshop has
		// the demo's.
		if _, err := s.DB().Exec("DELETE FROM programme_sessions WHERE edition_id = $1 AND title LIKE '%Atelier environnement%'", f.edition); err != nil {
			t.Fatal(err)
		}
		parisZone, _ := time.LoadLocation("Europe/Paris")
		at := func(day, hour int) time.Time { return time.Date(2022, 10, day, hour, 0, 0, 0, parisZone) }
		_, err = s.ReleaseDecisions(ctx, f.call, f.secretariat.ID, f.now, nil, none)
		wantError(t, "a workshop without a session", err, rencontres.EINVALID, "placements.3", "error.workshop_session_needed")
		_, err = s.ReleaseDecisions(ctx, f.call, f.secretariat.ID, f.now, []rencontres.Placement{{Workshop: 1, SessionID: 999999}, {Workshop: 9, SessionID: 1}}, none)
		if got := faults(t, err); got["placements.1.session_id"] == nil || got["placements.9"] == nil || len(got) != 2 {
			t.Errorf("placements naming an unknown session and workshop: %v", got)
		}
		_, err = s.ReleaseDecisions(ctx, f.call, f.secretariat.ID, f.now, []rencontres.Placement{{Workshop: 3, SessionID: 1, New: &rencontres.NewSession{}}}, none)
		wantError(t, "a session and a new one", err, rencontres.EINVALID, "placements.3", "error.placement_one")
		_, err = s.ReleaseDecisions(ctx, f.call, f.secretariat.ID, f.now, []rencontres.Placement{{Workshop: 3, New: &rencontres.NewSession{Start: at(6, 16), End: at(6, 14)}}}, none)
		wantError(t, "a new session ending before it starts", err, rencontres.EINVALID, "placements.3.end", "error.end_before_start")
		_, err = s.ReleaseDecisions(ctx, f.call, f.secretariat.ID, f.now, []rencontres.Placement{{Workshop: 3, New: &rencontres.NewSession{Start: at(9, 14), End: at(9, 16)}}}, none)
		wantError(t, "a new session after the event", err, rencontres.EINVALID, "placements.3.start", "error.outside_event")

		// Léa Petit, who presents the gardens, guides a visit on the 5th
		// in the afternoon: the environment workshop cannot be then.
		visit := &rencontres.Session{EditionID: f.edition, Kind: rencontres.Visit, Title: rencontres.Text{"fr": "Visite des jardins partagés", "ja": "共同菜園の見学"},
			Start: at(5, 15), End: at(5, 17), Speakers: []rencontres.Speaker{{Person: "Léa Petit", Role: "speaker"}}}
		if err := s.SaveSession(ctx, visit); err != nil {
			t.Fatal(err)
		}
		before, _ := s.Sessions(ctx, f.edition)
		_, err = s.ReleaseDecisions(ctx, f.call, f.secretariat.ID, f.now, []rencontres.Placement{{Workshop: 3, New: &rencontres.NewSession{Start: at(5, 14), End: at(5, 16)}}}, none)
		busy := faults(t, err)["proposals."+strconv.FormatInt(other, 10)]
		if busy == nil || busy.Key != "error.presenter_busy" || busy.Code != rencontres.ECONFLICT || busy.Args["Person"] != "Léa PETIT" ||
			busy.Args["Other"].(rencontres.Text)["fr"] != "Visite des jardins partagés" || busy.Args["ID"] != other {
			t.Errorf("a presenter speaking elsewhere then: %v", err)
		}
		after, _ := s.Sessions(ctx, f.edition)
		var mails int
		s.DB().QueryRow("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'proposal-decision'").Scan(&mails)
		if c, _ := s.ReviewCall(ctx, f.call); c.Released != nil || len(after) != len(before) || mails != 0 {
			t.Fatalf("a refused release left something: released %v, %d sessions then %d, %d letters", c.Released, len(before), len(after), mails)
		}
		hook := hookEndpoint(t, s, rencontres.HookProposalDecided)
		queued, err := s.ReleaseDecisions(ctx, f.call, f.secretariat.ID, f.now, []rencontres.Placement{{Workshop: 3, New: &rencontres.NewSession{Start: at(6, 14), End: at(6, 16)}}}, composeForTest)
		if err != nil {
			t.Fatal(err)
		}
		if got := hookTypes(t, s, hook); len(got) != 4 || got[0] != rencontres.HookProposalDecided {
			t.Errorf("webhooks told %v, want the four decisions", got)
		}
		// The four proposals' contacts, Kumamoto's main contact, and the
		// demo's main contact of Bordeaux.
		if len(queued) != 6 {
			for _, m := range queued {
				t.Log(m.ToEmail, m.Lang)
			}
			t.Fatalf("%d letters queued, want 6", len(queued))
		}
		var koho, paris string
		for _, m := range queued {
			var body map[string]string
			var status string
			json.Unmarshal(m.Payload, &body)
			if err := s.DB().QueryRow("SELECT status FROM mail_outbox WHERE id = $1", m.ID).Scan(&status); err != nil || status != "queued" {
				t.Errorf("letter to %s: %q in the outbox (%v)", m.ToEmail, status, err)
			}
			switch m.ToEmail {
			case "koho@example.org":
				koho = body["subject"] + "|" + body["text"]
				if m.Lang != rencontres.Japanese {
					t.Errorf("Kumamoto's main contact written in %s", m.Lang)
				}
			case "contact.jp-431001@example.org":
				// Not an account: written in the language of the
				// authority's country.
				if m.Lang != rencontres.Japanese {
					t.Errorf("Kumamoto's contact written in %s", m.Lang)
				}
			case "contact.fr-75056@example.org":
				paris = body["subject"] + "|" + body["text"]
			}
		}
		for _, want := range []string{"「Tramway de Kumamoto（日本語）」採択のお知らせ", "熊本市御中", "経済分科会で", "発表は20分です。", "Une réussite exemplaire."} {
			if !strings.Contains(koho, want) {
				t.Errorf("the Japanese letter lacks %q:\n%s", want, koho)
			}
		}
		if strings.Contains(koho, "Pas un mot") || paris != "Votre pratique est retenue pour un autre atelier|Jardins de Paris : Atelier environnement." {
			t.Errorf("letters:\n%s\n%s", koho, paris)
		}

		// The accepted proposals are in their workshops' sessions, their
		// presenters the sessions' speakers.
		p1, _ := s.ReviewProposal(ctx, accepted)
		p2, _ := s.ReviewProposal(ctx, other)
		p3, _ := s.ReviewProposal(ctx, declined)
		if p1.SessionID == 0 || p2.SessionID == 0 || p1.SessionID == p2.SessionID || p3.SessionID != 0 || p1.Released == nil || p3.Released == nil {
			t.Fatalf("sessions %d, %d, %d; released %v", p1.SessionID, p2.SessionID, p3.SessionID, p1.Released)
		}
		sessions, err := s.Sessions(ctx, f.edition)
		if err != nil {
			t.Fatal(err)
		}
		speakers := map[int64][]string{}
		titles := map[int64]string{}
		for _, ses := range sessions {
			titles[ses.ID] = ses.Title["fr"]
			for _, sp := range ses.Speakers {
				speakers[ses.ID] = append(speakers[ses.ID], sp.Person+"/"+sp.OrgKey)
			}
		}
		if got := strings.Join(speakers[p1.SessionID], ", "); !strings.HasSuffix(got, "Kenta MIZUNO/jp-431001, Yui ABE/jp-431001") ||
			!strings.HasPrefix(titles[p1.SessionID], "Atelier économie\u00a0: ") {
			t.Errorf("session %q: speakers %s", titles[p1.SessionID], got)
		}
		if got := strings.Join(speakers[p2.SessionID], ", "); got != "Léa PETIT/fr-75056" || titles[p2.SessionID] != "Atelier environnement" {
			t.Errorf("session %q: speakers %s", titles[p2.SessionID], got)
		}
		for _, ses := range sessions {
			if ses.ID == p2.SessionID && (!ses.Start.Equal(at(6, 14)) || !ses.End.Equal(at(6, 16)) || ses.Kind != rencontres.WorkshopKind) {
				t.Errorf("the new session: %v to %v, %s", ses.Start, ses.End, ses.Kind)
			}
		}

		// The accepted ones enter the library, found by their title; the
		// declined and the waiting-listed do not.
		inLibrary := func(q string) bool {
			t.Helper()
			list, _, err := s.Practices(ctx, rencontres.PracticeFilter{Query: q})
			if err != nil {
				t.Fatal(err)
			}
			for _, pr := range list {
				if pr.ID == accepted || pr.ID == other || pr.ID == declined || pr.ID == waiting {
					return true
				}
			}
			return false
		}
		if !inLibrary("tramway kumamoto") || !inLibrary("jardins paris") {
			t.Error("an accepted practice is not in the library once released")
		}
		if inLibrary("fete nancy") || inLibrary("eau bordeaux") {
			t.Error("a declined or waiting-listed proposal is in the library")
		}

		// Once released, nothing changes.
		_, err = s.ReleaseDecisions(ctx, f.call, f.secretariat.ID, f.now, nil, composeForTest)
		wantError(t, "a second release", err, rencontres.ECONFLICT, "call", "error.decisions_released")
		err = s.SetDecision(ctx, &rencontres.ProposalVerdict{ProposalID: declined, Decision: rencontres.Accepted}, f.secretariat.ID, f.now)
		wantError(t, "a decision after the release", err, rencontres.ECONFLICT, "call", "error.decisions_released")
	})
}
