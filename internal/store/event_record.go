package store

// A meeting's record: its agenda, what it decided, its documents.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// AgendaItems lists a meeting's agenda in order, with each item's
// documents.
func (s *Store) AgendaItems(ctx context.Context, eventID int64) ([]*rencontres.AgendaItem, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT a.id, a.event_id, a.title, a.notes, a.presenter, COALESCE(o.key, ''), a.minutes
		FROM agenda_items a LEFT JOIN organisations o ON o.id = a.org_id WHERE a.event_id = $1 ORDER BY a.seq, a.id`, eventID)
	if err != nil {
		return nil, err
	}
	var out []*rencontres.AgendaItem
	byID := map[int64]*rencontres.AgendaItem{}
	for rows.Next() {
		var a rencontres.AgendaItem
		if err := rows.Scan(&a.ID, &a.EventID, &a.Title, &a.Notes, &a.Presenter, &a.OrgKey, &a.Minutes); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, &a)
		byID[a.ID] = &a
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	docs, err := s.Documents(ctx, eventID)
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		if a := byID[d.AgendaItem]; a != nil {
			a.Documents = append(a.Documents, d)
		}
	}
	return out, nil
}

// SaveAgendaItem adds an item at the end of a meeting's agenda (ID 0) or
// updates one.
func (s *Store) SaveAgendaItem(ctx context.Context, a *rencontres.AgendaItem) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return s.InTx(ctx, func(s *Store) error {
		if _, err := s.Event(ctx, a.EventID); err != nil {
			return err
		}
		var org sql.NullInt64
		if a.OrgKey != "" {
			id, err := orgID(ctx, s.writer(), a.OrgKey)
			if err != nil {
				return err
			}
			org = nullID(id)
		}
		if a.ID == 0 {
			return s.writer().QueryRowContext(ctx, `INSERT INTO agenda_items (event_id, seq, title, notes, presenter, org_id, minutes)
				VALUES ($1, (SELECT COALESCE(MAX(seq), -1) + 1 FROM agenda_items WHERE event_id = $1), $2, $3, $4, $5, $6) RETURNING id`,
				a.EventID, a.Title, a.Notes, a.Presenter, org, a.Minutes).Scan(&a.ID)
		}
		res, err := s.writer().ExecContext(ctx, `UPDATE agenda_items SET title = $3, notes = $4, presenter = $5, org_id = $6, minutes = $7
			WHERE id = $1 AND event_id = $2`, a.ID, a.EventID, a.Title, a.Notes, a.Presenter, org, a.Minutes)
		return oneRow(res, err, "agenda_item")
	})
}

// MoveAgendaItem moves an item one place up (delta -1) or down (+1).
func (s *Store) MoveAgendaItem(ctx context.Context, eventID, itemID int64, delta int) error {
	return s.InTx(ctx, func(s *Store) error {
		items, err := s.AgendaItems(ctx, eventID)
		if err != nil {
			return err
		}
		i := -1
		for k, a := range items {
			if a.ID == itemID {
				i = k
			}
		}
		if i < 0 {
			return rencontres.NotFound("agenda_item")
		}
		j := i + delta
		if j < 0 || j >= len(items) {
			return nil
		}
		items[i], items[j] = items[j], items[i]
		for seq, a := range items {
			if _, err := s.writer().ExecContext(ctx, "UPDATE agenda_items SET seq = $2 WHERE id = $1", a.ID, seq); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteAgendaItem removes an item and its documents.
func (s *Store) DeleteAgendaItem(ctx context.Context, eventID, itemID int64) error {
	res, err := s.writer().ExecContext(ctx, "DELETE FROM agenda_items WHERE id = $1 AND event_id = $2", itemID, eventID)
	return oneRow(res, err, "agenda_item")
}

const decisionColumns = `d.id, d.event_id, d.text, d.owner, d.due, d.status, d.note, v.title, v.start_date`

func scanDecisions(rows *sql.Rows, err error) ([]*rencontres.Decision, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*rencontres.Decision
	for rows.Next() {
		var d rencontres.Decision
		if err := rows.Scan(&d.ID, &d.EventID, &d.Text, &d.Owner, &d.Due, &d.Status, &d.Note, &d.Meeting, &d.Day); err != nil {
			return nil, err
		}
		out = append(out, &d)
	}
	return out, rows.Err()
}

// Decisions lists what a meeting decided.
func (s *Store) Decisions(ctx context.Context, eventID int64) ([]*rencontres.Decision, error) {
	return scanDecisions(s.reader().QueryContext(ctx, "SELECT "+decisionColumns+` FROM decisions d JOIN events v ON v.id = d.event_id
		WHERE d.event_id = $1 ORDER BY d.id`, eventID))
}

// CommitteeDecisions lists what all of a committee's meetings decided, the
// open ones first, for their follow-up.
func (s *Store) CommitteeDecisions(ctx context.Context, committeeID int64) ([]*rencontres.Decision, error) {
	return scanDecisions(s.reader().QueryContext(ctx, "SELECT "+decisionColumns+` FROM decisions d JOIN events v ON v.id = d.event_id
		WHERE v.committee_id = $1 ORDER BY CASE d.status WHEN 'open' THEN 0 ELSE 1 END, COALESCE(d.due, '9999'), d.id`, committeeID))
}

// SaveDecision records a decision (ID 0) or its follow-up.
func (s *Store) SaveDecision(ctx context.Context, d *rencontres.Decision) error {
	if d.Status == "" {
		d.Status = rencontres.DecisionOpen
	}
	if err := d.Validate(); err != nil {
		return err
	}
	if d.ID == 0 {
		err := s.writer().QueryRowContext(ctx, `INSERT INTO decisions (event_id, text, owner, due, status, note)
			SELECT id, $2, $3, $4, $5, $6 FROM events WHERE id = $1 RETURNING id`,
			d.EventID, d.Text, d.Owner, d.Due, d.Status, d.Note).Scan(&d.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return rencontres.NotFound("event")
		}
		return err
	}
	res, err := s.writer().ExecContext(ctx, `UPDATE decisions SET text = $3, owner = $4, due = $5, status = $6, note = $7
		WHERE id = $1 AND event_id = $2`, d.ID, d.EventID, d.Text, d.Owner, d.Due, d.Status, d.Note)
	return oneRow(res, err, "decision")
}

const documentColumns = `id, event_id, COALESCE(agenda_item, 0), name, title, content_type, size, sha256, public, uploaded_at`

func scanDocument(row scanner) (*rencontres.Document, error) {
	var d rencontres.Document
	var at string
	if err := row.Scan(&d.ID, &d.EventID, &d.AgendaItem, &d.Name, &d.Title, &d.ContentType, &d.Size, &d.SHA256, &d.Public, &at); err != nil {
		return nil, err
	}
	d.Uploaded, _ = parseTS(at)
	return &d, nil
}

// Documents lists a meeting's documents, without their content.
func (s *Store) Documents(ctx context.Context, eventID int64) ([]*rencontres.Document, error) {
	rows, err := s.reader().QueryContext(ctx, "SELECT "+documentColumns+" FROM documents WHERE event_id = $1 ORDER BY id", eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*rencontres.Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// SaveDocument stores a document after checking its type by content and
// its size; d.ContentType, Size and SHA256 are set from the content.
func (s *Store) SaveDocument(ctx context.Context, d *rencontres.Document, data []byte, by int64) error {
	if err := d.Title.Validate("title", false); err != nil {
		return err
	}
	ctype, err := rencontres.CheckDocument(d.Name, data)
	if err != nil {
		return err
	}
	d.ContentType, d.Size, d.SHA256, d.Uploaded = ctype, int64(len(data)), sha256Hex(data), time.Now().UTC()
	return s.InTx(ctx, func(s *Store) error {
		if _, err := s.Event(ctx, d.EventID); err != nil {
			return err
		}
		if d.AgendaItem != 0 {
			var n int
			if err := s.writer().QueryRowContext(ctx, "SELECT COUNT(*) FROM agenda_items WHERE id = $1 AND event_id = $2", d.AgendaItem, d.EventID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return &rencontres.Error{Code: rencontres.EINVALID, Key: "error.unknown_agenda_item", Field: "agenda_item", Message: "not an item of this meeting's agenda"}
			}
		}
		return s.writer().QueryRowContext(ctx, `INSERT INTO documents (event_id, agenda_item, name, title, content_type, size, sha256, public, uploaded_by, uploaded_at, data)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			d.EventID, nullID(d.AgendaItem), d.Name, d.Title, d.ContentType, d.Size, d.SHA256, d.Public, nullID(by), ts(d.Uploaded), data).Scan(&d.ID)
	})
}

// Document returns a document and its content.
func (s *Store) Document(ctx context.Context, id int64) (*rencontres.Document, []byte, error) {
	var data []byte
	var d rencontres.Document
	var at string
	err := s.reader().QueryRowContext(ctx, "SELECT "+documentColumns+", data FROM documents WHERE id = $1", id).
		Scan(&d.ID, &d.EventID, &d.AgendaItem, &d.Name, &d.Title, &d.ContentType, &d.Size, &d.SHA256, &d.Public, &at, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, rencontres.NotFound("document")
	}
	d.Uploaded, _ = parseTS(at)
	return &d, data, err
}

// DeleteDocument removes a document.
func (s *Store) DeleteDocument(ctx context.Context, eventID, id int64) error {
	res, err := s.writer().ExecContext(ctx, "DELETE FROM documents WHERE id = $1 AND event_id = $2", id, eventID)
	return oneRow(res, err, "document")
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
