package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// ProposalMailKind is the outbox kind of the emails that confirm a
// proposal to its contact: deferred, rendered when sent from a
// ProposalMail payload (the practice service renders them).
const ProposalMailKind = "proposal"

// ProposalMail is the payload of a proposal's email: What is "submitted",
// "changed" or "withdrawn".
type ProposalMail struct {
	Proposal int64  `json:"proposal"`
	What     string `json:"what"`
}

// ProposalChangeDelay is how long the email telling a change waits for
// further changes, which it then tells at once.
var ProposalChangeDelay = time.Minute

// MaxProposalDocuments is the most documents and images a proposal holds.
const MaxProposalDocuments = 12

const proposalColumns = `p.id, p.call_id, p.title, p.summary, p.sdgs, p.workshop, p.answers, p.contact_name, p.contact_email, p.state, p.decision,
	p.decision_workshop, p.decision_note, p.decided_at, p.released_at, COALESCE(p.session_id, 0), COALESCE(p.submitted_by, 0), p.created_at, p.updated_at`

func scanProposal(row scanner) (*rencontres.Proposal, error) {
	var p rencontres.Proposal
	var sdgs, answers, created, updated string
	var workshop, decisionWorkshop sql.NullInt64
	var decided, released sql.NullString
	err := row.Scan(&p.ID, &p.CallID, &p.Title, &p.Summary, &sdgs, &workshop, &answers, &p.ContactName, &p.ContactEmail, &p.State, &p.Decision,
		&decisionWorkshop, &p.DecisionNote, &decided, &released, &p.SessionID, &p.SubmittedBy, &created, &updated)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(sdgs), &p.SDGs); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(answers), &p.Answers); err != nil {
		return nil, err
	}
	if workshop.Valid {
		p.Workshop = int(workshop.Int64) + 1
	}
	if decisionWorkshop.Valid {
		p.DecisionWorkshop = int(decisionWorkshop.Int64) + 1
	}
	p.Decided, p.Released = tsPtr(decided), tsPtr(released)
	p.Created, _ = parseTS(created)
	p.Updated, _ = parseTS(updated)
	p.SDGs = orEmpty(p.SDGs)
	p.Orgs, p.Presenters = []rencontres.ProposalOrg{}, []rencontres.Presenter{}
	return &p, nil
}

// workshopSeq writes a workshop number (from 1) as its seq, NULL for none.
func workshopSeq(n int) sql.NullInt64 {
	return sql.NullInt64{Int64: int64(n - 1), Valid: n > 0}
}

// Proposals lists proposals, oldest first, each with its authorities,
// presenters and documents.
func (s *Store) Proposals(ctx context.Context, f rencontres.ProposalFilter) ([]*rencontres.Proposal, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT "+proposalColumns+" FROM proposals p"+proposalsWhere+`
		ORDER BY p.created_at, p.id`, f.CallID, string(f.State), f.OrgKey)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*rencontres.Proposal{}
	byID := map[int64]*rencontres.Proposal{}
	for rows.Next() {
		p, err := scanProposal(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
		byID[p.ID] = p
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return out, s.loadProposalParts(ctx, byID)
}

// Proposal returns a proposal with its authorities, presenters and
// documents (without their data).
func (s *Store) Proposal(ctx context.Context, id int64) (*rencontres.Proposal, error) {
	p, err := scanProposal(s.reader().QueryRowContext(ctx, "SELECT "+proposalColumns+" FROM proposals p WHERE p.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rencontres.NotFound("proposal")
	}
	if err != nil {
		return nil, err
	}
	return p, s.loadProposalParts(ctx, map[int64]*rencontres.Proposal{p.ID: p})
}

// loadProposalParts reads the authorities (lead first, then co-proposers,
// then partners), presenters and documents of proposals.
func (s *Store) loadProposalParts(ctx context.Context, byID map[int64]*rencontres.Proposal) error {
	if len(byID) == 0 {
		return nil
	}
	ids, in := inList(byID)
	rows, err := s.reader().QueryContext(ctx, `SELECT po.proposal_id, o.key, o.name, po.role FROM proposal_organisations po
		JOIN organisations o ON o.id = po.org_id WHERE po.proposal_id IN `+in+`
		ORDER BY po.proposal_id, CASE po.role WHEN 'lead' THEN 0 WHEN 'coproposer' THEN 1 ELSE 2 END, o.key`, ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var o rencontres.ProposalOrg
		if err := rows.Scan(&id, &o.Key, &o.Name, &o.Role); err != nil {
			rows.Close()
			return err
		}
		byID[id].Orgs = append(byID[id].Orgs, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = s.reader().QueryContext(ctx, `SELECT pp.proposal_id, COALESCE(pp.user_id, 0), pp.person, pp.function, COALESCE(o.key, '')
		FROM proposal_presenters pp LEFT JOIN organisations o ON o.id = pp.org_id WHERE pp.proposal_id IN `+in+`
		ORDER BY pp.proposal_id, pp.seq`, ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var pr rencontres.Presenter
		if err := rows.Scan(&id, &pr.UserID, &pr.Person, &pr.Function, &pr.OrgKey); err != nil {
			rows.Close()
			return err
		}
		byID[id].Presenters = append(byID[id].Presenters, pr)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = s.reader().QueryContext(ctx, `SELECT d.proposal_id, d.id, c.event_id, d.name, d.content_type, d.size, d.sha256, d.uploaded_at
		FROM proposal_documents d JOIN proposals p ON p.id = d.proposal_id JOIN calls c ON c.id = p.call_id
		WHERE d.proposal_id IN `+in+` ORDER BY d.proposal_id, d.id`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var d rencontres.Document
		var at string
		if err := rows.Scan(&id, &d.ID, &d.EventID, &d.Name, &d.ContentType, &d.Size, &d.SHA256, &at); err != nil {
			return err
		}
		d.Uploaded, _ = parseTS(at)
		d.Title = rencontres.Text{}
		byID[id].Documents = append(byID[id].Documents, &d)
	}
	return rows.Err()
}

// callOpenFor says why a proposal cannot be made (creating) or changed at
// now, nil when it can. Dates in messages are on the event's clock.
func (s *Store) callOpenFor(ctx context.Context, c *rencontres.Call, now time.Time, creating bool) error {
	ok := c.OpenAt(now)
	if !creating {
		ok = c.AuthorsMayEdit(now)
	}
	if ok {
		return nil
	}
	loc := time.UTC
	if e, err := s.Event(ctx, c.EventID); err == nil {
		loc = e.Location()
	}
	if now.Before(c.Opens) {
		return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "proposal.err_not_open", Message: "this call does not take proposals yet",
			Args: map[string]any{"Opens": c.Opens.In(loc)}}
	}
	return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "proposal.err_closed", Message: "this call's deadline has passed",
		Args: map[string]any{"Deadline": c.Deadline.In(loc)}}
}

// SaveProposal creates (ID 0) or changes a proposal, checked against its
// call at now (see rencontres.CallService), and enqueues, in the same
// transaction, the email that confirms it to its contact. Its lead
// authority does not change; its state and decision are not changed
// here. Every fault of the input is reported at once.
func (s *Store) SaveProposal(ctx context.Context, p *rencontres.Proposal, by int64, now time.Time) error {
	return s.InTx(ctx, func(s *Store) error {
		c, err := s.Call(ctx, p.CallID)
		if err != nil {
			return err
		}
		var old *rencontres.Proposal
		if p.ID != 0 {
			if old, err = s.Proposal(ctx, p.ID); err != nil {
				return err
			}
			switch {
			case old.CallID != p.CallID:
				return rencontres.NotFound("proposal")
			case old.State == rencontres.ProposalWithdrawn:
				return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "proposal.err_withdrawn", Message: "this proposal was withdrawn"}
			}
		}
		if err := s.callOpenFor(ctx, c, now, old == nil); err != nil {
			return err
		}
		lang := rencontres.French
		if by != 0 {
			if u, err := s.User(ctx, by); err == nil {
				lang = u.Lang
				if p.ContactName == "" && p.ContactEmail == "" {
					p.ContactName, p.ContactEmail = u.Name, u.Email
				}
			}
		}
		faults := []error{p.Validate(c)}
		if old != nil && p.Lead() != old.Lead() {
			faults = append(faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "proposal.err_lead_changed", Field: "organisation",
				Message: "the proposing authority of a proposal does not change"})
		}
		orgIDs, orgFaults, err := s.proposalOrgIDs(ctx, p)
		if err != nil {
			return err
		}
		if err := rencontres.Join(append(faults, orgFaults...)...); err != nil {
			return err
		}
		if err := s.writeProposal(ctx, p, old, orgIDs, by, lang, now); err != nil || old != nil {
			return err
		}
		return s.EnqueueWebhook(ctx, rencontres.HookProposalSubmitted, map[string]any{"id": p.ID, "call_id": p.CallID,
			"title": p.Title, "organisation": p.Lead(), "sdgs": p.SDGs}, now)
	})
}

// proposalOrgIDs resolves the keys of a proposal's authorities and of its
// presenters' authorities, and checks that a presenter chosen among
// accounts is a contact of one of the proposal's authorities.
func (s *Store) proposalOrgIDs(ctx context.Context, p *rencontres.Proposal) (map[string]int64, []error, error) {
	ids := map[string]int64{}
	var faults []error
	lookup := func(key string) (int64, error) {
		if id, ok := ids[key]; ok {
			return id, nil
		}
		var id int64
		err := s.reader().QueryRowContext(ctx, "SELECT id FROM organisations WHERE key = $1", key).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, nil
		}
		ids[key] = id
		return id, err
	}
	for _, o := range p.Orgs {
		id, err := lookup(o.Key)
		if err != nil {
			return nil, nil, err
		}
		if id == 0 {
			field := "organisations"
			if o.Role == rencontres.LeadProposer {
				field = "organisation"
			}
			faults = append(faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_organisation", Field: field,
				Message: fmt.Sprintf("no authority %q", o.Key), Args: map[string]any{"Key": o.Key, "Value": o.Key}})
		}
	}
	for i := range p.Presenters {
		pr := &p.Presenters[i]
		field := fmt.Sprintf("presenters[%d]", i)
		if pr.OrgKey != "" {
			id, err := lookup(pr.OrgKey)
			if err != nil {
				return nil, nil, err
			}
			if id == 0 {
				faults = append(faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_organisation", Field: field,
					Message: fmt.Sprintf("no authority %q", pr.OrgKey), Args: map[string]any{"Key": pr.OrgKey, "Value": pr.OrgKey}})
			}
		}
		if pr.UserID == 0 {
			continue
		}
		name, key, err := s.presenterAccount(ctx, pr.UserID, p.Orgs)
		if err != nil {
			return nil, nil, err
		}
		if key == "" {
			faults = append(faults, &rencontres.Error{Code: rencontres.EINVALID, Key: "proposal.err_presenter_contact", Field: field,
				Message: "a presenter chosen from the accounts is a contact of a proposing authority"})
			continue
		}
		if pr.Person == "" {
			pr.Person = name
		}
		if pr.OrgKey == "" {
			pr.OrgKey = key
			ids[key], _ = lookup(key)
		}
	}
	return ids, faults, nil
}

// presenterAccount returns the name of account userID and the key of the
// first of orgs it is a contact of, "" when none.
func (s *Store) presenterAccount(ctx context.Context, userID int64, orgs []rencontres.ProposalOrg) (name, key string, err error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT u.name, o.key FROM users u JOIN user_organisations uo ON uo.user_id = u.id
		JOIN organisations o ON o.id = uo.org_id WHERE u.id = $1 AND NOT u.erased`, userID)
	if err != nil {
		return "", "", err
	}
	defer rows.Close()
	of := map[string]string{}
	for rows.Next() {
		var n, k string
		if err := rows.Scan(&n, &k); err != nil {
			return "", "", err
		}
		of[k] = n
	}
	if err := rows.Err(); err != nil {
		return "", "", err
	}
	for _, o := range orgs {
		if n, ok := of[o.Key]; ok {
			return n, o.Key, nil
		}
	}
	return "", "", nil
}

// writeProposal writes a checked proposal, its authorities and presenters,
// and enqueues its email.
func (s *Store) writeProposal(ctx context.Context, p, old *rencontres.Proposal, orgIDs map[string]int64, by int64, lang rencontres.Lang, now time.Time) error {
	sdgs, _ := json.Marshal(p.SDGs)
	if p.Answers == nil {
		p.Answers = map[string]string{}
	}
	answers, _ := json.Marshal(p.Answers)
	now = now.UTC()
	p.Updated = now
	what := "submitted"
	if old == nil {
		p.State, p.Created, p.SubmittedBy = rencontres.ProposalSubmitted, now, by
		err := s.writer().QueryRowContext(ctx, `INSERT INTO proposals (call_id, title, summary, sdgs, workshop, answers, contact_name, contact_email,
			state, submitted_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'submitted', $9, $10, $10) RETURNING id`,
			p.CallID, p.Title, p.Summary, string(sdgs), workshopSeq(p.Workshop), string(answers), p.ContactName, p.ContactEmail, nullID(by), ts(now)).Scan(&p.ID)
		if err != nil {
			return err
		}
	} else {
		what = "changed"
		res, err := s.writer().ExecContext(ctx, `UPDATE proposals SET title = $2, summary = $3, sdgs = $4, workshop = $5, answers = $6, contact_name = $7,
			contact_email = $8, updated_at = $9 WHERE id = $1`,
			p.ID, p.Title, p.Summary, string(sdgs), workshopSeq(p.Workshop), string(answers), p.ContactName, p.ContactEmail, ts(now))
		if err := oneRow(res, err, "proposal"); err != nil {
			return err
		}
		p.State, p.Created, p.SubmittedBy = old.State, old.Created, old.SubmittedBy
		p.Decision, p.DecisionWorkshop, p.DecisionNote, p.Decided, p.Released, p.SessionID = old.Decision, old.DecisionWorkshop, old.DecisionNote,
			old.Decided, old.Released, old.SessionID
		p.Documents = old.Documents
		for _, table := range []string{"proposal_organisations", "proposal_presenters"} {
			if _, err := s.writer().ExecContext(ctx, "DELETE FROM "+table+" WHERE proposal_id = $1", p.ID); err != nil {
				return err
			}
		}
	}
	for i := range p.Orgs {
		o := &p.Orgs[i]
		if _, err := s.writer().ExecContext(ctx, "INSERT INTO proposal_organisations (proposal_id, org_id, role) VALUES ($1, $2, $3)",
			p.ID, orgIDs[o.Key], o.Role); err != nil {
			return err
		}
		if err := s.reader().QueryRowContext(ctx, "SELECT name FROM organisations WHERE id = $1", orgIDs[o.Key]).Scan(&o.Name); err != nil {
			return err
		}
	}
	for i, pr := range p.Presenters {
		if _, err := s.writer().ExecContext(ctx, `INSERT INTO proposal_presenters (proposal_id, seq, user_id, person, function, org_id)
			VALUES ($1, $2, $3, $4, $5, $6)`, p.ID, i, nullID(pr.UserID), pr.Person, orEmptyText(pr.Function), nullID(orgIDs[pr.OrgKey])); err != nil {
			return err
		}
	}
	// A released practice changed is changed in the library too.
	if err := reindexPractice(ctx, s.writer(), p.ID); err != nil {
		return err
	}
	return s.enqueueProposalMail(ctx, p, what, lang, now)
}

func orEmptyText(t rencontres.Text) rencontres.Text {
	if t == nil {
		return rencontres.Text{}
	}
	return t
}

// enqueueProposalMail queues the email telling a proposal's contact what
// happened to it; changes made in a row are told once.
func (s *Store) enqueueProposalMail(ctx context.Context, p *rencontres.Proposal, what string, lang rencontres.Lang, now time.Time) error {
	payload, _ := json.Marshal(ProposalMail{Proposal: p.ID, What: what})
	m := &rencontres.QueuedMail{Kind: ProposalMailKind, ToEmail: p.ContactEmail, ToName: p.ContactName, Lang: lang, Payload: payload, Deferred: true}
	switch what {
	case "changed":
		m.MergeKey, m.NotBefore = fmt.Sprintf("proposal:%d", p.ID), now.Add(ProposalChangeDelay)
	default:
		m.UniqueKey = fmt.Sprintf("proposal-%s:%d", what, p.ID)
	}
	return s.EnqueueMail(ctx, now, m)
}

// WithdrawProposal withdraws a proposal before its call's deadline and
// tells its contact.
func (s *Store) WithdrawProposal(ctx context.Context, id int64, by int64, now time.Time) error {
	return s.InTx(ctx, func(s *Store) error {
		p, err := s.Proposal(ctx, id)
		if err != nil {
			return err
		}
		if p.State == rencontres.ProposalWithdrawn {
			return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "proposal.err_withdrawn", Message: "this proposal was withdrawn"}
		}
		c, err := s.Call(ctx, p.CallID)
		if err != nil {
			return err
		}
		if !now.Before(c.Deadline) {
			return s.callOpenFor(ctx, c, now, true)
		}
		res, err := s.writer().ExecContext(ctx, "UPDATE proposals SET state = 'withdrawn', updated_at = $2 WHERE id = $1", id, ts(now))
		if err := oneRow(res, err, "proposal"); err != nil {
			return err
		}
		lang := rencontres.French
		if u, err := s.User(ctx, by); err == nil {
			lang = u.Lang
		}
		p.State = rencontres.ProposalWithdrawn
		if err := reindexPractice(ctx, s.writer(), id); err != nil {
			return err
		}
		return s.enqueueProposalMail(ctx, p, "withdrawn", lang, now)
	})
}

// AddProposalDocument adds a document or an image to a proposal after
// checking its type by its content and its size (rencontres.CheckDocument);
// d.ContentType, Size and SHA256 are set from the content. Whether the
// proposal may still change is the caller's to check.
func (s *Store) AddProposalDocument(ctx context.Context, d *rencontres.ProposalDocument, data []byte, by int64) error {
	ctype, err := rencontres.CheckDocument(d.Name, data)
	if err != nil {
		return err
	}
	d.Name = strings.TrimSpace(d.Name)
	if i := strings.LastIndexAny(d.Name, `/\`); i >= 0 {
		d.Name = d.Name[i+1:]
	}
	d.ContentType, d.Size, d.SHA256, d.Uploaded = ctype, int64(len(data)), sha256Hex(data), time.Now().UTC().Truncate(time.Second)
	return s.InTx(ctx, func(s *Store) error {
		var state string
		var n int
		err := s.writer().QueryRowContext(ctx, `SELECT p.state, (SELECT COUNT(*) FROM proposal_documents d WHERE d.proposal_id = p.id)
			FROM proposals p WHERE p.id = $1`, d.ProposalID).Scan(&state, &n)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return rencontres.NotFound("proposal")
		case err != nil:
			return err
		case state == string(rencontres.ProposalWithdrawn):
			return &rencontres.Error{Code: rencontres.ECONFLICT, Key: "proposal.err_withdrawn", Message: "this proposal was withdrawn"}
		case n >= MaxProposalDocuments:
			return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.too_many", Field: "file", Message: "too many documents",
				Args: map[string]any{"Max": MaxProposalDocuments}}
		}
		return s.writer().QueryRowContext(ctx, `INSERT INTO proposal_documents (proposal_id, name, content_type, size, sha256, uploaded_by, uploaded_at, data)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			d.ProposalID, d.Name, d.ContentType, d.Size, d.SHA256, nullID(by), ts(d.Uploaded), data).Scan(&d.ID)
	})
}

// ProposalDocumentData returns a proposal's document and its content.
func (s *Store) ProposalDocumentData(ctx context.Context, id int64) (*rencontres.ProposalDocument, []byte, error) {
	var d rencontres.ProposalDocument
	var at string
	var data []byte
	err := s.reader().QueryRowContext(ctx, `SELECT id, proposal_id, name, content_type, size, sha256, uploaded_at, data
		FROM proposal_documents WHERE id = $1`, id).Scan(&d.ID, &d.ProposalID, &d.Name, &d.ContentType, &d.Size, &d.SHA256, &at, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, rencontres.NotFound("document")
	}
	if err != nil {
		return nil, nil, err
	}
	d.Uploaded, _ = parseTS(at)
	return &d, data, nil
}

// DeleteProposalDocument removes a proposal's document.
func (s *Store) DeleteProposalDocument(ctx context.Context, proposalID, id int64) error {
	res, err := s.writer().ExecContext(ctx, "DELETE FROM proposal_documents WHERE id = $1 AND proposal_id = $2", id, proposalID)
	return oneRow(res, err, "document")
}

// CancelProposalMail cancels the emails about a proposal still waiting in
// the outbox: the demo's proposals, made in the past, tell no one.
func (s *Store) CancelProposalMail(ctx context.Context, id int64) error {
	payload := func(what string) string {
		b, _ := json.Marshal(ProposalMail{Proposal: id, What: what})
		return string(b)
	}
	_, err := s.writer().ExecContext(ctx, `UPDATE mail_outbox SET status = 'cancelled' WHERE kind = $1 AND status = 'queued' AND payload IN ($2, $3, $4)`,
		ProposalMailKind, payload("submitted"), payload("changed"), payload("withdrawn"))
	return err
}
