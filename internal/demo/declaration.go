package demo

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// The demo's final declaration (issue 16): a fictitious Déclaration
// d’Aix-en-Provence for the 7th edition, on its three workshops' themes
// (économie, société, environnement), drafted in French and Japanese,
// amended during September 2022 (one amendment accepted, one rejected,
// two merged into one, one withdrawn, two proposed at the end of the
// period that the committee did not take up), frozen for endorsement,
// endorsed by the contacts of the registered authorities and adopted on
// the edition's last day. The emails its decisions and steps would send
// (to the authors, to the registered authorities' contacts) are
// cancelled: they belong to 2022.
//
// Only the 7th edition has registered authorities, which alone amend, and
// it is the one declaration the demo holds: so its amendments show every
// state, "proposed" included, as a committee pressed by the plenary's
// date leaves it: the freeze names the amendments it does not take up
// (Store.FreezeDeclaration's leave), and they stay proposed, never
// decided, shown "not decided before the text was frozen". A second
// declaration in draft on another edition would need registrations there,
// and the tests move this one to the 8th (freeSeventh).

//go:embed declaration.json
var declarationJSON []byte

// DemoDeclaration is the content of declaration.json.
type DemoDeclaration struct {
	Edition      string                `json:"edition"` // series/number
	Title        rencontres.Text       `json:"title"`
	Started      time.Time             `json:"started"`
	AmendOpens   time.Time             `json:"amend_opens"`
	AmendCloses  time.Time             `json:"amend_closes"`
	Segments     []*rencontres.Segment `json:"segments"`
	Amendments   []*DemoAmendment      `json:"amendments"`
	Merges       []*DemoMerge          `json:"merges"`
	Frozen       time.Time             `json:"frozen"`
	EndorseUntil time.Time             `json:"endorse_until"`
	Endorsed     time.Time             `json:"endorsed"`
	Adopted      time.Time             `json:"adopted"`
}

// DemoAmendment is an amendment of the demo, proposed by a contact (By,
// an email) to the segment at index Segment, then decided: "accept",
// "reject" (with Reason), "withdraw", merged with others of the same
// Merge key, or none: left undecided at the freeze.
type DemoAmendment struct {
	Key           string                   `json:"key"`
	Segment       int                      `json:"segment"`
	Kind          rencontres.AmendmentKind `json:"kind"`
	NewKind       rencontres.SegmentKind   `json:"new_kind"`
	By            string                   `json:"by"`
	Lang          rencontres.Lang          `json:"lang"`
	At            time.Time                `json:"at"`
	Text          rencontres.Text          `json:"text"`
	Translation   rencontres.Text          `json:"translation"`
	Justification rencontres.Text          `json:"justification"`
	Supporters    []string                 `json:"supporters"`
	Decision      string                   `json:"decision"`
	Decided       time.Time                `json:"decided"`
	Reason        rencontres.Text          `json:"reason"`
	Merge         string                   `json:"merge"`
}

// DemoMerge is the amendment the committee wrote from those of one Merge
// key.
type DemoMerge struct {
	Key           string          `json:"key"`
	Decided       time.Time       `json:"decided"`
	Text          rencontres.Text `json:"text"`
	Justification rencontres.Text `json:"justification"`
}

// loadDeclaration stores the demo's declaration, its amendments and its
// adoption.
func loadDeclaration(ctx context.Context, st *store.Store, editions map[string]int64) error {
	var dd DemoDeclaration
	dec := json.NewDecoder(strings.NewReader(string(declarationJSON)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&dd); err != nil {
		return fmt.Errorf("declaration.json: %w", err)
	}
	edition, ok := editions[dd.Edition]
	if !ok {
		return fmt.Errorf("declaration: no edition %q", dd.Edition)
	}
	d := &rencontres.Declaration{EditionID: edition, Title: dd.Title, Segments: dd.Segments}
	if err := st.StartDeclaration(ctx, d, 0, dd.Started); err != nil {
		return fmt.Errorf("declaration: %w", err)
	}
	if err := st.SetAmendmentPeriod(ctx, d.ID, &dd.AmendOpens, &dd.AmendCloses, dd.Started); err != nil {
		return fmt.Errorf("declaration period: %w", err)
	}
	read, err := st.Declaration(ctx, d.ID)
	if err != nil {
		return err
	}
	user := func(email string) (*rencontres.User, error) {
		u, err := st.UserByEmail(ctx, email)
		if err != nil {
			return nil, fmt.Errorf("declaration: %s: %w", email, err)
		}
		if len(u.OrgKeys) == 0 {
			return nil, fmt.Errorf("declaration: %s is no authority's contact", email)
		}
		return u, nil
	}
	merges := map[string][]int64{}
	var undecided []int64
	for _, da := range dd.Amendments {
		if da.Segment < 0 || da.Segment >= len(read.Segments) {
			return fmt.Errorf("amendment %s: no segment %d", da.Key, da.Segment)
		}
		sg := read.Segments[da.Segment]
		u, err := user(da.By)
		if err != nil {
			return err
		}
		a := &rencontres.Amendment{DeclarationID: d.ID, SegmentID: sg.ID, BaseVersion: sg.Version, Kind: da.Kind, NewKind: da.NewKind,
			OrgKey: u.OrgKeys[0], Lang: da.Lang, Text: da.Text, Justification: da.Justification}
		if err := st.ProposeAmendment(ctx, a, u.ID, da.At); err != nil {
			return fmt.Errorf("amendment %s: %w", da.Key, err)
		}
		for l, text := range da.Translation {
			if err := st.TranslateAmendment(ctx, a.ID, l, text, 0, da.At.Add(24*time.Hour)); err != nil {
				return fmt.Errorf("amendment %s: translation: %w", da.Key, err)
			}
		}
		for i, email := range da.Supporters {
			s, err := user(email)
			if err != nil {
				return err
			}
			if err := st.SupportAmendment(ctx, a.ID, s.OrgKeys[0], s.ID, da.At.Add(time.Duration(i+2)*time.Hour)); err != nil {
				return fmt.Errorf("amendment %s: support: %w", da.Key, err)
			}
		}
		switch da.Decision {
		case "accept":
			err = st.AcceptAmendment(ctx, a.ID, 0, da.Decided)
		case "reject":
			err = st.RejectAmendment(ctx, a.ID, da.Reason, 0, da.Decided)
		case "withdraw":
			err = st.WithdrawAmendment(ctx, a.ID, u.ID, da.Decided)
		case "":
			if da.Merge == "" {
				undecided = append(undecided, a.ID)
			}
		default:
			err = fmt.Errorf("unknown decision")
		}
		if err != nil {
			return fmt.Errorf("amendment %s: %s: %w", da.Key, da.Decision, err)
		}
		if da.Merge != "" {
			merges[da.Merge] = append(merges[da.Merge], a.ID)
		}
	}
	for _, m := range dd.Merges {
		ids := merges[m.Key]
		if len(ids) < 2 {
			return fmt.Errorf("merge %s: %d amendments", m.Key, len(ids))
		}
		if _, err := st.MergeAmendments(ctx, ids, &rencontres.Amendment{Kind: rencontres.AmendChange, Lang: rencontres.French, Text: m.Text, Justification: m.Justification}, 0, m.Decided); err != nil {
			return fmt.Errorf("merge %s: %w", m.Key, err)
		}
	}
	if err := st.FreezeDeclaration(ctx, d.ID, rencontres.AdoptionEndorsement, &dd.EndorseUntil, undecided, dd.Frozen); err != nil {
		return fmt.Errorf("declaration freeze: %w", err)
	}
	registered, err := st.RegisteredOrgs(ctx, edition)
	if err != nil {
		return err
	}
	for i, k := range registered {
		contacts, err := st.OrgContacts(ctx, k)
		if err != nil {
			return err
		}
		if len(contacts) == 0 {
			continue // an authority without an account signs nothing
		}
		if err := st.EndorseDeclaration(ctx, d.ID, k, contacts[0].ID, dd.Endorsed.Add(time.Duration(i)*time.Minute)); err != nil {
			return fmt.Errorf("endorsement of %s: %w", k, err)
		}
	}
	if err := st.AdoptDeclaration(ctx, d.ID, 0, dd.Adopted); err != nil {
		return fmt.Errorf("declaration adoption: %w", err)
	}
	return st.CancelDeclarationMail(ctx, d.ID)
}
