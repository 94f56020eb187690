package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The release of a call's decisions: the letters queued, and the accepted
// practices put in the programme's sessions the secretariat chose, their
// presenters the sessions' speakers when they speak nowhere else then.

// ReleaseDecisions releases a call's decisions together (see
// rencontres.Releaser): nothing is released, written, placed or sent
// unless all of it is.
func (s *Store) ReleaseDecisions(ctx context.Context, callID, by int64, now time.Time, placements []rencontres.Placement,
	compose func(l *rencontres.DecisionLetter) (*rencontres.QueuedMail, error)) ([]*rencontres.QueuedMail, error) {
	if err := rencontres.CheckPlacements(placements); err != nil {
		return nil, err
	}
	var queued []*rencontres.QueuedMail
	err := s.InTx(ctx, func(s *Store) error {
		c, edition, err := s.reviewCall(ctx, callID)
		if err != nil {
			return err
		}
		if edition != 0 {
			// The programme's writers wait for one another, so that two
			// clashing speakers cannot both pass the check.
			var locked int64
			if err := s.writer().QueryRowContext(ctx, s.dialect.lockEdition, edition).Scan(&locked); err != nil {
				return err
			}
		}
		res, err := s.writer().ExecContext(ctx, "UPDATE calls SET released_at = $2, updated_at = $2 WHERE id = $1 AND released_at IS NULL", callID, ts(now))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errReleased
		}
		props, err := s.CallProposals(ctx, callID)
		if err != nil {
			return err
		}
		var errs []error
		undecided := 0
		told := map[rencontres.ProposalDecision]bool{}
		for _, p := range props {
			if p.Decision == rencontres.Undecided {
				undecided++
				continue
			}
			if c.Letters[p.Decision].IsZero() && !told[p.Decision] {
				errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.letter_missing", Field: "letters." + string(p.Decision),
					Message: fmt.Sprintf("no letter is written for the decision %q", p.Decision)})
				told[p.Decision] = true
			}
		}
		if undecided > 0 {
			errs = append([]error{&rencontres.Error{Code: rencontres.EINVALID, Key: "error.undecided_proposals", Field: "decisions",
				Message: fmt.Sprintf("%d proposals have no decision yet", undecided), Args: map[string]any{"Count": undecided}}}, errs...)
		}
		workshops, err := s.workshopTitles(ctx, edition)
		if err != nil {
			return err
		}
		pl := &placer{edition: edition, workshops: workshops, chosen: map[int]rencontres.Placement{}, made: map[int]int64{}}
		for _, x := range placements {
			field := "placements." + strconv.Itoa(x.Workshop)
			if workshops[x.Workshop-1] == nil {
				errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_workshop", Field: field,
					Message: fmt.Sprintf("workshop %d is not a workshop of this edition", x.Workshop)})
				continue
			}
			if x.SessionID != 0 {
				var n int
				if err := s.reader().QueryRowContext(ctx, "SELECT COUNT(*) FROM programme_sessions WHERE edition_id = $1 AND id = $2", edition, x.SessionID).Scan(&n); err != nil {
					return err
				}
				if n == 0 {
					errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_session", Field: field + ".session_id",
						Message: fmt.Sprintf("session %d is not a session of this edition's programme", x.SessionID)})
					continue
				}
			}
			pl.chosen[x.Workshop-1] = x
		}
		if err := rencontres.Join(errs...); err != nil {
			return err
		}
		// Every accepted practice is placed before any letter is written,
		// so that every fault of the placing is told at once.
		for _, p := range props {
			if !p.Decision.IsAccepted() {
				continue
			}
			session, err := s.contribution(ctx, pl, p)
			if errors.Is(err, errPlaceTold) {
				continue
			}
			if err != nil {
				var e *rencontres.Error
				if !errors.As(err, &e) {
					return err
				}
				errs = append(errs, err)
				continue
			}
			p.SessionID = session
		}
		if err := rencontres.Join(errs...); err != nil {
			return err
		}
		for _, p := range props {
			letters, err := s.decisionLetters(ctx, c, p, workshops)
			if err != nil {
				return err
			}
			for _, l := range letters {
				m, err := compose(l)
				if err != nil {
					return err
				}
				m.UniqueKey = "decision:" + strconv.FormatInt(p.ID, 10) + ":" + strings.ToLower(l.ToEmail)
				if err := s.EnqueueMail(ctx, now, m); err != nil {
					return err
				}
				queued = append(queued, m)
			}
			if _, err := s.writer().ExecContext(ctx, "UPDATE proposals SET released_at = $2, session_id = $3, updated_at = $2 WHERE id = $1",
				p.ID, ts(now), nullID(p.SessionID)); err != nil {
				return err
			}
			// An accepted practice enters the public library now.
			if err := reindexPractice(ctx, s.writer(), p.ID); err != nil {
				return err
			}
			if err := s.EnqueueWebhook(ctx, rencontres.HookProposalDecided, map[string]any{"id": p.ID, "call_id": p.CallID,
				"title": p.Title, "decision": p.Decision, "session_id": p.SessionID}, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return queued, nil
}

// WorkshopSessions returns the programme's session of each workshop of
// the call's edition, by workshop number from 1 (see workshopSession).
func (s *Store) WorkshopSessions(ctx context.Context, callID int64) (map[int]int64, error) {
	_, edition, err := s.reviewCall(ctx, callID)
	if err != nil {
		return nil, err
	}
	workshops, err := s.workshopTitles(ctx, edition)
	if err != nil {
		return nil, err
	}
	out := map[int]int64{}
	for seq, t := range workshops {
		if out[seq+1], err = s.workshopSession(ctx, edition, t); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// errPlaceTold is a workshop's session already refused for another of
// its practices: the fault is told once.
var errPlaceTold = errors.New("store: the workshop's placement is already refused")

// placer is what a release knows of where its practices go: the
// workshops' titles and the placements chosen (by workshop seq), and the
// sessions found or made so far.
type placer struct {
	edition   int64
	workshops map[int]rencontres.Text
	chosen    map[int]rencontres.Placement
	made      map[int]int64
}

// workshopPlace is the session of a workshop's accepted practices: the
// one chosen at the release, or a new one made as chosen (once), or else
// the workshop's session in the programme.
func (s *Store) workshopPlace(ctx context.Context, pl *placer, seq int) (int64, error) {
	switch id := pl.made[seq]; {
	case id < 0:
		return 0, errPlaceTold
	case id > 0:
		return id, nil
	}
	pl.made[seq] = -1 // until it is found or made
	field := "placements." + strconv.Itoa(seq+1)
	x, ok := pl.chosen[seq]
	var session int64
	var err error
	switch {
	case ok && x.SessionID != 0:
		session = x.SessionID
	case ok:
		ses := &rencontres.Session{EditionID: pl.edition, Kind: rencontres.WorkshopKind, Title: pl.workshops[seq],
			Start: x.New.Start, End: x.New.End, RoomID: x.New.RoomID}
		if err := s.SaveSession(ctx, ses); err != nil {
			// The new session's faults are told beside the workshop's
			// placement.
			var e *rencontres.Error
			if errors.As(err, &e) {
				var all []error
				for _, f := range e.All() {
					g := *f
					g.Fields = nil
					g.Field = field + "." + cmp.Or(f.Field, "start")
					all = append(all, &g)
				}
				return 0, rencontres.Join(all...)
			}
			return 0, err
		}
		session = ses.ID
	default:
		if session, err = s.workshopSession(ctx, pl.edition, pl.workshops[seq]); err != nil {
			return 0, err
		}
		if session == 0 {
			return 0, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.workshop_session_needed", Field: field,
				Message: fmt.Sprintf("workshop %d has no session in the programme: choose one or make one", seq+1),
				Args:    map[string]any{"Workshop": pl.workshops[seq]}}
		}
	}
	pl.made[seq] = session
	return session, nil
}

// contribution puts an accepted proposal in the programme: in the session
// its decision chose, or else in its workshop's (see workshopPlace); its
// presenters become the session's speakers, unless one of them speaks in
// another session at the same time, which refuses the release. It returns
// the session.
func (s *Store) contribution(ctx context.Context, pl *placer, p *rencontres.Proposal) (int64, error) {
	session := p.SessionID
	if session == 0 {
		seq, ok, err := s.proposalWorkshop(ctx, p)
		if err != nil {
			return 0, err
		}
		if !ok || pl.workshops[seq] == nil {
			return 0, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.session_needed", Field: "proposals." + strconv.FormatInt(p.ID, 10),
				Message: fmt.Sprintf("proposal %d names no workshop of the edition: choose its session", p.ID), Args: map[string]any{"ID": p.ID}}
		}
		if session, err = s.workshopPlace(ctx, pl, seq); err != nil {
			return 0, err
		}
	}
	var start, end string
	if err := s.writer().QueryRowContext(ctx, "SELECT starts_at, ends_at FROM programme_sessions WHERE id = $1", session).Scan(&start, &end); err != nil {
		return 0, err
	}
	var next int
	if err := s.writer().QueryRowContext(ctx, "SELECT COALESCE(MAX(seq) + 1, 0) FROM session_speakers WHERE session_id = $1", session).Scan(&next); err != nil {
		return 0, err
	}
	for _, pr := range p.Presenters {
		key := rencontres.FoldSearch(pr.Person)
		var n int
		if err := s.writer().QueryRowContext(ctx, "SELECT COUNT(*) FROM session_speakers WHERE session_id = $1 AND person_key = $2", session, key).Scan(&n); err != nil {
			return 0, err
		}
		if n > 0 {
			continue
		}
		// The programme's rule (see SaveSession): nobody speaks in two
		// sessions at once.
		var other rencontres.Text
		err := s.writer().QueryRowContext(ctx, `SELECT ps.title FROM session_speakers sp JOIN programme_sessions ps ON ps.id = sp.session_id
			WHERE ps.edition_id = $1 AND sp.person_key = $2 AND ps.id <> $3 AND ps.starts_at < $4 AND ps.ends_at > $5 ORDER BY ps.starts_at LIMIT 1`,
			pl.edition, key, session, end, start).Scan(&other)
		if err == nil {
			return 0, &rencontres.Error{Code: rencontres.ECONFLICT, Key: "error.presenter_busy", Field: "proposals." + strconv.FormatInt(p.ID, 10),
				Message: fmt.Sprintf("%s, who presents %q, speaks then in %q", pr.Person, p.Title.In(rencontres.English), other.In(rencontres.English)),
				Args:    map[string]any{"ID": p.ID, "Person": pr.Person, "Title": p.Title, "Other": other}}
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
		orgKey := pr.OrgKey
		if orgKey == "" {
			orgKey = p.Lead()
		}
		var org sql.NullInt64
		if orgKey != "" {
			id, err := orgID(ctx, s.writer(), orgKey)
			if err != nil {
				return 0, err
			}
			org = sql.NullInt64{Int64: id, Valid: true}
		}
		if _, err := s.writer().ExecContext(ctx, `INSERT INTO session_speakers (session_id, seq, person, person_key, role, org_id)
			VALUES ($1, $2, $3, $4, 'speaker', $5)`, session, next, pr.Person, key, org); err != nil {
			return 0, err
		}
		next++
	}
	return session, nil
}

// workshopSession finds the programme's session of a workshop: the first
// session of kind workshop whose French or Japanese title begins with the
// workshop's; 0 when there is none.
func (s *Store) workshopSession(ctx context.Context, edition int64, workshop rencontres.Text) (int64, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT id, title FROM programme_sessions WHERE edition_id = $1 AND kind = $2 ORDER BY starts_at, id",
		edition, rencontres.WorkshopKind)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var title rencontres.Text
		if err := rows.Scan(&id, &title); err != nil {
			return 0, err
		}
		for _, l := range []rencontres.Lang{rencontres.French, rencontres.Japanese} {
			if workshop[l] != "" && strings.HasPrefix(title[l], workshop[l]) {
				return id, nil
			}
		}
	}
	return 0, rows.Err()
}
