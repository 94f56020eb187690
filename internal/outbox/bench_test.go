package outbox_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// BenchmarkSMTP sends b.N queued messages through a real SMTP server on
// this machine, one worker, no rate limit: messages per second through the
// whole path (claim, render, SMTP conversation, record), on each database.
//
//	go test -run '^$' -bench SMTP -benchtime 2000x ./internal/outbox
func BenchmarkSMTP(b *testing.B) {
	for name, open := range map[string]func(testing.TB) *store.Store{"sqlite": storetest.SQLite, "postgres": storetest.Postgres} {
		b.Run(name, func(b *testing.B) {
			st := open(b)
			w, sink, c := setup(b, st)
			w.Rate = 0
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
