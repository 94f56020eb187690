package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

// FillRegistrations adds n confirmed registrations to an event, spread
// over the first 40 authorities of the directory, in one transaction of
// multi-row inserts (registering them one by one would take minutes at
// 100,000): the lists and exports that grow are measured and tested on
// them. When sessionID is not 0 each chooses that session (one nobody
// chose yet): nine in ten
// with a seat, the others waiting in their order. Every third answers an
// extra question "arrival". It fails tb on an error.
func FillRegistrations(tb testing.TB, s *store.Store, eventID int64, n int, sessionID int64) {
	tb.Helper()
	ctx := context.Background()
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	if _, err := tx.ExecContext(ctx, `INSERT INTO delegations (event_id, org_id, created_at)
		SELECT $1, id, $2 FROM organisations WHERE id IN (SELECT id FROM organisations ORDER BY id LIMIT 40)
		ON CONFLICT (event_id, org_id) DO NOTHING`, eventID, now); err != nil {
		tb.Fatal(err)
	}
	var delegations []int64
	rows, err := tx.QueryContext(ctx, "SELECT id FROM delegations WHERE event_id = $1 ORDER BY id", eventID)
	if err != nil {
		tb.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		delegations = append(delegations, id)
	}
	rows.Close()
	if len(delegations) == 0 {
		tb.Fatal("no authority to register")
	}
	var start int
	tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM registrations").Scan(&start)
	seated := n * 9 / 10
	const batch = 400
	for from := 0; from < n; from += batch {
		var marks []string
		var args []any
		for i := from; i < min(from+batch, n); i++ {
			k := start + i
			answers := "{}"
			if i%3 == 0 {
				answers = `{"arrival":"train"}`
			}
			family, email := fmt.Sprintf("Nom%06d", k), fmt.Sprintf("p%06d@example.org", k)
			search := rencontres.FoldSearch("Personne " + family + " 名前 なまえ " + email) // as the store keeps it
			row := []any{search, eventID, delegations[i%len(delegations)], "Personne", family, "名前", "なまえ",
				"Chargé de mission", i%2 == 0, email, "fr", answers, fmt.Sprintf("CODE%06d", k), now}
			var m []string
			for _, v := range row {
				args = append(args, v)
				m = append(m, fmt.Sprintf("$%d", len(args)))
			}
			marks = append(marks, "("+strings.Join(m, ", ")+", 'confirmed', '', 0, '', '', FALSE, "+m[len(m)-1]+")")
		}
		ids, err := tx.QueryContext(ctx, `INSERT INTO registrations (search, event_id, delegation_id, given_name, family_name, name_ja, kana,
			function, elected, email, lang, answers, code, created_at, status, civility, position, dietary, accessibility, interpretation, updated_at)
			VALUES `+strings.Join(marks, ", ")+" RETURNING id, code", args...)
		if err != nil {
			tb.Fatal(err)
		}
		var choices []string
		var cargs []any
		for ids.Next() {
			var id int64
			var code string
			if err := ids.Scan(&id, &code); err != nil {
				tb.Fatal(err)
			}
			var i int
			fmt.Sscanf(code, "CODE%d", &i)
			family := rencontres.FoldSearch(fmt.Sprintf("Nom%06d", i)) // as the store keys names
			i -= start
			status, pos := "confirmed", 0
			if i >= seated {
				status, pos = "waitlisted", i-seated+1
			}
			cargs = append(cargs, id, status, 1_000_000+i, pos, family)
			l := len(cargs)
			choices = append(choices, fmt.Sprintf("($%d, %d, 1, $%d, $%d, $%d, $%d, 'personne')", l-4, sessionID, l-3, l-2, l-1, l))
		}
		ids.Close()
		if sessionID != 0 && len(choices) > 0 {
			if _, err := tx.ExecContext(ctx, "INSERT INTO registration_choices (registration_id, session_id, rank, status, seq, position, family_key, given_key) VALUES "+
				strings.Join(choices, ", "), cargs...); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}
