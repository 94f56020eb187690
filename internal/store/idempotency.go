package store

import (
	"context"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Idempotent runs fn once per scope and key: a retried call gets the
// first call's status and body back, without running fn again. The key is
// taken in the same transaction as fn's writes, so that two calls racing
// with one key make one registration; a failed call takes nothing.
func (s *Store) Idempotent(ctx context.Context, scope, key string, fn func(s *Store) (int, []byte, error)) (status int, body []byte, replayed bool, err error) {
	return s.IdempotentRequest(ctx, scope, key, "", fn)
}

// ErrKeyReused refuses an idempotency key sent again with another request.
var ErrKeyReused = &rencontres.Error{Code: rencontres.EREUSED, Key: "error.idempotency_key_reused", Field: "Idempotency-Key",
	Message: "this Idempotency-Key was already used for a different request"}

// IdempotentRequest is Idempotent for a call whose request is summed up
// in request (a hash of what was sent): the key sent again with another
// request is refused with ErrKeyReused, rather than answered with the
// first call's result as if it were the same. An empty request, then or
// now, is not compared.
func (s *Store) IdempotentRequest(ctx context.Context, scope, key, request string, fn func(s *Store) (int, []byte, error)) (status int, body []byte, replayed bool, err error) {
	if key == "" {
		err = s.InTx(ctx, func(s *Store) error {
			status, body, err = fn(s)
			return err
		})
		return status, body, false, err
	}
	if len(key) > 200 {
		return 0, nil, false, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.bad_idempotency_key", Field: "Idempotency-Key", Message: "the key is longer than 200 characters"}
	}
	err = s.InTx(ctx, func(s *Store) error {
		res, err := s.writer().ExecContext(ctx, `INSERT INTO idempotency_keys (scope, key, status, body, created_at, request) VALUES ($1, $2, 0, '', $3, $4)
			ON CONFLICT (scope, key) DO NOTHING`, scope, key, ts(time.Now()), request)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			replayed = true
			var b, first string
			if err := s.writer().QueryRowContext(ctx, "SELECT status, body, request FROM idempotency_keys WHERE scope = $1 AND key = $2", scope, key).Scan(&status, &b, &first); err != nil {
				return err
			}
			if request != "" && first != "" && request != first {
				return ErrKeyReused
			}
			body = []byte(b)
			return nil
		}
		if status, body, err = fn(s); err != nil {
			return err
		}
		_, err = s.writer().ExecContext(ctx, "UPDATE idempotency_keys SET status = $3, body = $4 WHERE scope = $1 AND key = $2", scope, key, status, string(body))
		return err
	})
	return status, body, replayed, err
}
