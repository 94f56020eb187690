package outbox_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/outbox"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// BenchmarkSMTP sends b.N queued messages through a real SMTP server on
// this machine, one worker, no rate limit: messages per second through the
// whole path (claim, render, SMTP conversation, record), on each database,
// over the default 8 connections and over 16 (--smtp-connections 16).
//
//	go test -run '^$' -bench SMTP -benchtime 10000x ./internal/outbox
func BenchmarkSMTP(b *testing.B) {
	for name, open := range map[string]func(testing.TB) *store.Store{"sqlite": storetest.SQLite, "postgres": storetest.Postgres} {
		for _, conns := range []int{mail.DefaultConns, 16} {
			b.Run(fmt.Sprintf("%s/conns=%d", name, conns), func(b *testing.B) {
				st := open(b)
				_, sink, c := setup(b, st)
				smtp, err := mail.NewSMTP(mail.SMTPConfig{Host: "127.0.0.1", Port: sink.Port, TLS: "none", From: mail.DefaultFrom, Timeout: 5 * time.Second, Conns: conns})
				if err != nil {
					b.Fatal(err)
				}
				w := outbox.New(st, smtp, slog.New(slog.NewTextHandler(io.Discard, nil)))
				w.Now, w.Rate, w.Parallel = c.now, 0, conns
				ctx := context.Background()
				msgs := make([]*rencontres.QueuedMail, b.N)
				for i := range msgs {
					msgs[i] = message(b, fmt.Sprintf("p%05d@example.org", i), "Invitation aux 9e Rencontres franco-japonaises")
				}
				if err := st.EnqueueMail(ctx, c.now(), msgs...); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				if _, err := w.SendDue(ctx); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if got := len(sink.Received()); got != b.N {
					b.Fatalf("%d received, want %d", got, b.N)
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
			})
		}
	}
}
