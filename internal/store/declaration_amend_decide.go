package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// AmendmentMailKind is the outbox kind of the emails that tell an
// amendment's author (and its supporters) the committee's decision:
// deferred, rendered when sent from an AmendmentMail payload in the
// recipient's language (declaration.Mailer renders them).
const AmendmentMailKind = "declaration-amendment"

// AmendmentMail is the payload of a decision's email: What is "accepted",
// "rejected" or "merged".
type AmendmentMail struct {
	Amendment int64  `json:"amendment"`
	What      string `json:"what"`
	// Supporter is true when the recipient supported it rather than
	// wrote it.
	Supporter bool `json:"supporter,omitempty"`
}

// AcceptAmendment applies an amendment to the text in one transaction: a
// change replaces the segment's text, add_after adds a segment after it, a
// deletion deletes it; a new version names the amendment and raises the
// declaration's rev. It is refused when the segment has changed since the
// amendment was written (it must be re-based) or when the amendment lacks
// French or Japanese (the translators must supply it first).
func (s *Store) AcceptAmendment(ctx context.Context, id int64, by int64, now time.Time) error {
	now = now.UTC()
	return s.InTx(ctx, func(s *Store) error {
		a, d, err := s.proposedAmendment(ctx, id)
		if err != nil {
			return err
		}
		g, err := s.liveSegment(ctx, d.id, a)
		if err != nil {
			return err
		}
		if !a.Bilingual() {
			var missing []string
			for _, l := range rencontres.DeclarationLangs {
				if !a.Text.Has(l) {
					missing = append(missing, string(l))
				}
			}
			return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "amendment.error_translation_missing", Field: "text",
				Message: "the amendment must be in French and in Japanese before it is accepted: its translation is missing",
				Args:    map[string]any{"Langs": strings.Join(missing, ", ")}}
		}
		if err := s.applyAmendment(ctx, a, g, by, now); err != nil {
			return err
		}
		return s.decide(ctx, a, rencontres.AmendmentAccepted, nil, 0, by, now)
	})
}

// liveSegment reads the segment of an amendment to decide, refused when it
// was deleted or has changed since the amendment was written.
func (s *Store) liveSegment(ctx context.Context, declID int64, a *rencontres.Amendment) (*rencontres.Segment, error) {
	g, err := s.amendSegment(ctx, declID, a.SegmentID)
	if rencontres.ErrorCode(err) == rencontres.ENOTFOUND || (err == nil && g.Deleted) {
		return nil, segmentGone()
	}
	if err != nil {
		return nil, err
	}
	if g.Version != a.BaseVersion {
		return nil, rebaseError(g, a.BaseVersion)
	}
	return g, nil
}

// RejectAmendment rejects an amendment with its reason (in one language
// at least).
func (s *Store) RejectAmendment(ctx context.Context, id int64, reason rencontres.Text, by int64, now time.Time) error {
	reason, err := checkAmendmentText(reason, "reason")
	if err != nil {
		return err
	}
	if reason.IsZero() {
		return &rencontres.Error{Code: rencontres.EINVALID, Key: "amendment.error_reason_required", Field: "reason", Message: "the reason is required"}
	}
	now = now.UTC()
	return s.InTx(ctx, func(s *Store) error {
		a, _, err := s.proposedAmendment(ctx, id)
		if err != nil {
			return err
		}
		return s.decide(ctx, a, rencontres.AmendmentRejected, reason, 0, by, now)
	})
}

// MergeAmendments writes one amendment from several proposed to one
// segment (one alone re-bases it on the segment's current text): the
// committee's (no authority), in French and Japanese, accepted and applied
// at once; the others are merged into it. It returns the new amendment's
// id.
func (s *Store) MergeAmendments(ctx context.Context, ids []int64, merged *rencontres.Amendment, by int64, now time.Time) (int64, error) {
	now = now.UTC()
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return 0, &rencontres.Error{Code: rencontres.EINVALID, Key: "amendment.error_merge_none", Field: "amendments",
			Message: "choose the amendments to merge"}
	}
	if merged.Lang != rencontres.Japanese {
		merged.Lang = rencontres.French
	}
	var errs []error
	if !slices.Contains(rencontres.AmendmentKinds, merged.Kind) {
		errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "amendment.error_kind", Field: "kind",
			Message: fmt.Sprintf("unknown kind of amendment %q", merged.Kind), Args: map[string]any{"Kind": string(merged.Kind)}})
	}
	var err error
	if merged.Text, err = checkAmendmentText(merged.Text, "text"); err != nil {
		errs = append(errs, err)
	} else if merged.Kind == rencontres.AmendDelete {
		merged.Text = rencontres.Text{}
	} else {
		for _, l := range rencontres.DeclarationLangs {
			if !merged.Text.Has(l) {
				errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "amendment.error_text_required", Field: "text_" + string(l),
					Message: "the proposed text is required", Args: map[string]any{"Lang": string(l)}})
			}
		}
	}
	if merged.Justification, err = checkAmendmentText(merged.Justification, "justification"); err != nil {
		errs = append(errs, err)
	}
	if merged.Kind == rencontres.AmendAddAfter {
		if merged.NewKind == "" {
			merged.NewKind = rencontres.SegmentParagraph
		} else if !slices.Contains(rencontres.SegmentKinds, merged.NewKind) {
			errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "amendment.error_new_kind", Field: "new_kind",
				Message: fmt.Sprintf("unknown kind of segment %q", merged.NewKind), Args: map[string]any{"Kind": string(merged.NewKind)}})
		}
	} else {
		merged.NewKind = ""
	}
	if err := rencontres.Join(errs...); err != nil {
		return 0, err
	}
	err = s.InTx(ctx, func(s *Store) error {
		var olds []*rencontres.Amendment
		var d *amendDecl
		for _, id := range ids {
			a, ad, err := s.proposedAmendment(ctx, id)
			if err != nil {
				return err
			}
			if len(olds) > 0 && (a.SegmentID != olds[0].SegmentID || a.DeclarationID != olds[0].DeclarationID) {
				return &rencontres.Error{Code: rencontres.EINVALID, Key: "amendment.error_merge_segments", Field: "amendments",
					Message: "only amendments of one segment are merged"}
			}
			olds, d = append(olds, a), ad
		}
		g, err := s.amendSegment(ctx, d.id, olds[0].SegmentID)
		if rencontres.ErrorCode(err) == rencontres.ENOTFOUND || (err == nil && g.Deleted) {
			return segmentGone()
		}
		if err != nil {
			return err
		}
		if merged.BaseVersion != 0 && merged.BaseVersion != g.Version {
			return rebaseError(g, merged.BaseVersion)
		}
		merged.ID, merged.DeclarationID, merged.SegmentID, merged.BaseVersion = 0, d.id, g.ID, g.Version
		merged.OrgKey, merged.OrgName, merged.AuthorID, merged.Supporters = "", nil, by, []string{}
		merged.State, merged.Reason, merged.MergedInto, merged.CreatedAt, merged.UpdatedAt = rencontres.AmendmentProposed, rencontres.Text{}, 0, now, now
		if err := s.writer().QueryRowContext(ctx, `INSERT INTO declaration_amendments (declaration_id, segment_id, base_version, kind, new_kind,
			author_id, lang, text, justification, state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'proposed', $10, $10)
			RETURNING id`, d.id, g.ID, g.Version, merged.Kind, merged.NewKind, nullID(by), merged.Lang, merged.Text, merged.Justification, ts(now)).
			Scan(&merged.ID); err != nil {
			return err
		}
		if err := s.applyAmendment(ctx, merged, g, by, now); err != nil {
			return err
		}
		if err := s.decide(ctx, merged, rencontres.AmendmentAccepted, nil, 0, by, now); err != nil {
			return err
		}
		for _, a := range olds {
			if err := s.decide(ctx, a, rencontres.AmendmentMerged, nil, merged.ID, by, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return merged.ID, nil
}

// decide records the committee's decision on an amendment and queues the
// emails that tell its author and supporters.
func (s *Store) decide(ctx context.Context, a *rencontres.Amendment, state rencontres.AmendmentState, reason rencontres.Text, mergedInto, by int64, now time.Time) error {
	if reason == nil {
		reason = rencontres.Text{}
	}
	res, err := s.writer().ExecContext(ctx, `UPDATE declaration_amendments SET state = $2, reason = $3, merged_into = $4, decided_by = $5, decided_at = $6,
		updated_at = $6 WHERE id = $1 AND state = 'proposed'`, a.ID, state, reason, nullID(mergedInto), nullID(by), ts(now))
	if err := oneRow(res, err, "amendment"); err != nil {
		return err
	}
	a.State, a.Reason, a.MergedInto, a.DecidedBy, a.DecidedAt = state, reason, mergedInto, by, &now
	return s.enqueueAmendmentMails(ctx, a, string(state), now)
}

// enqueueAmendmentMails queues the email of a decision to the author of an
// authority's amendment and to the contacts who supported it for theirs,
// each in the language of their account. A committee's own amendment
// (merged from others) tells nobody: its authors are told by the merge.
func (s *Store) enqueueAmendmentMails(ctx context.Context, a *rencontres.Amendment, what string, now time.Time) error {
	if a.OrgKey == "" {
		return nil
	}
	type who struct {
		id        int64
		supporter bool
	}
	var to []who
	if a.AuthorID != 0 {
		to = append(to, who{id: a.AuthorID})
	}
	rows, err := s.reader().QueryContext(ctx, "SELECT user_id FROM declaration_supports WHERE amendment_id = $1 AND user_id IS NOT NULL ORDER BY created_at", a.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		if !slices.ContainsFunc(to, func(w who) bool { return w.id == id }) {
			to = append(to, who{id: id, supporter: true})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, w := range to {
		var email, name, nameJA, lang string
		var off bool
		err := s.reader().QueryRowContext(ctx, "SELECT email, name, name_ja, lang, disabled OR erased FROM users WHERE id = $1", w.id).
			Scan(&email, &name, &nameJA, &lang, &off)
		if err == sql.ErrNoRows || (err == nil && off) {
			continue
		}
		if err != nil {
			return err
		}
		l, ok := rencontres.ParseLang(lang)
		if !ok {
			l = rencontres.French
		}
		if l == rencontres.Japanese && nameJA != "" {
			name = nameJA
		}
		payload, _ := json.Marshal(AmendmentMail{Amendment: a.ID, What: what, Supporter: w.supporter})
		if err := s.EnqueueMail(ctx, now, &rencontres.QueuedMail{Kind: AmendmentMailKind, ToEmail: email, ToName: name, Lang: l, Payload: payload,
			Deferred: true, UniqueKey: fmt.Sprintf("amendment-%s:%d:%d", what, a.ID, w.id)}); err != nil {
			return err
		}
	}
	return nil
}
