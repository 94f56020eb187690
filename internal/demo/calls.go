package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// Call is a call for proposals of the demo, on an edition named
// "series/number", with the proposals authorities made to it.
type Call struct {
	rencontres.Call
	Edition   string      `json:"edition"`
	Proposals []*Proposal `json:"proposals"`
}

// Proposal is a demo proposal, made by a demo contact (By, an email) for
// its authority at Submitted, within the call's dates.
type Proposal struct {
	rencontres.Proposal
	By        string    `json:"by"`
	Submitted time.Time `json:"submitted"`
}

// loadCalls stores the demo's calls and proposals. The proposals were
// made in the past: their confirmations are cancelled, not sent.
func loadCalls(ctx context.Context, st *store.Store, calls []*Call, editions map[string]int64) error {
	for _, c := range calls {
		id, ok := editions[c.Edition]
		if !ok {
			return fmt.Errorf("call %q: no edition %q", c.Title[rencontres.French], c.Edition)
		}
		c.Call.EventID = id
		if err := st.SaveCall(ctx, &c.Call, 0); err != nil {
			return fmt.Errorf("call %q: %w", c.Title[rencontres.French], err)
		}
		for _, p := range c.Proposals {
			u, err := st.UserByEmail(ctx, p.By)
			if err != nil {
				return fmt.Errorf("proposal %q: %s: %w", p.Title[rencontres.French], p.By, err)
			}
			p.Proposal.CallID = c.Call.ID
			if err := st.SaveProposal(ctx, &p.Proposal, u.ID, p.Submitted); err != nil {
				return fmt.Errorf("proposal %q: %w", p.Title.In(rencontres.French), err)
			}
			if err := st.CancelProposalMail(ctx, p.Proposal.ID); err != nil {
				return err
			}
		}
	}
	return nil
}
