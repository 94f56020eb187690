package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// PracticeCall is a call for good practices of a past edition, named
// "series/number", with its proposals, decided and released. When the
// demo already holds a call for practices on that edition (Calls), its
// proposals are added to that call and Title, Intro, Opens and Deadline
// are left out.
type PracticeCall struct {
	Edition   string          `json:"edition"`
	Title     rencontres.Text `json:"title,omitempty"`
	Intro     rencontres.Text `json:"intro,omitempty"`
	Opens     time.Time       `json:"opens,omitzero"`
	Deadline  time.Time       `json:"deadline,omitzero"`
	Released  time.Time       `json:"released"`
	Proposals []*Practice     `json:"proposals"`
}

// Practice is a proposal of a demo call: its authorities by key and role,
// the edition's workshop (1 the first), the programme session where it was
// presented by its key, and the committee's decision.
type Practice struct {
	Title         rencontres.Text             `json:"title"`
	Summary       rencontres.Text             `json:"summary"`
	SDGs          []int                       `json:"sdgs"`
	Workshop      int                         `json:"workshop"`
	Session       string                      `json:"session,omitempty"`
	Organisations []rencontres.ProposalOrg    `json:"organisations"`
	Decision      rencontres.ProposalDecision `json:"decision"`
	ContactName   string                      `json:"contact_name"`
	ContactEmail  string                      `json:"contact_email"`
	// Presenters present it; with a session, they are its speakers.
	Presenters []rencontres.Presenter `json:"presenters"`
}

// loadPractices stores the demo's calls and their proposals as decided and
// released, and indexes the accepted ones for the library.
func loadPractices(ctx context.Context, st *store.Store, calls []*PracticeCall, editions map[string]int64, sessions map[string]map[string]int64) error {
	for _, c := range calls {
		ed, ok := editions[c.Edition]
		if !ok {
			return fmt.Errorf("no edition %q", c.Edition)
		}
		released := c.Released
		call := &rencontres.Call{EventID: ed, Kind: rencontres.CallPractice, Title: c.Title, Intro: c.Intro,
			Opens: c.Opens, Deadline: c.Deadline, Released: &released}
		existing, err := st.Calls(ctx, ed)
		if err != nil {
			return err
		}
		for _, e := range existing {
			if e.Kind == rencontres.CallPractice {
				call = e
			}
		}
		if call.ID == 0 && c.Title.IsZero() {
			return fmt.Errorf("%s: no call to add the practices to, and none described", c.Edition)
		}
		var ps []*store.SeededPractice
		for _, p := range c.Proposals {
			sp := &store.SeededPractice{Workshop: p.Workshop, Proposal: rencontres.Proposal{Title: p.Title, Summary: p.Summary,
				SDGs: p.SDGs, Orgs: p.Organisations, Decision: p.Decision, Released: &released,
				ContactName: p.ContactName, ContactEmail: p.ContactEmail, Presenters: p.Presenters, Created: call.Opens.Add(24 * time.Hour)}}
			if p.Session != "" {
				id, ok := sessions[c.Edition][p.Session]
				if !ok {
					return fmt.Errorf("%q: no session %q in %s", p.Title[rencontres.French], p.Session, c.Edition)
				}
				sp.Session = id
			}
			ps = append(ps, sp)
		}
		if err := st.SeedPractices(ctx, call, ps); err != nil {
			return err
		}
	}
	return nil
}
