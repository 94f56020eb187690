package outbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/mail"
	"github.com/rencontres/rencontres/internal/mail/mailtest"
	"github.com/rencontres/rencontres/internal/outbox"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// BenchmarkSMTP sends b.N queued messages through a real SMTP server on
// this machine, one worker, no rate limit: messages per second through the
// whole path (claim, render, SMTP conversation, record), on each database,
// over the default 8 connections and over 16 (--smtp-connections 16).
// BenchmarkSMTP/ceiling is the same messages through the same sender and
// server with no database: what the outbox's own work is measured against.
//
//	go test -run '^$' -bench SMTP -benchtime 10000x ./internal/outbox
func BenchmarkSMTP(b *testing.B) {
	for _, conns := range []int{mail.DefaultConns, 16} {
		b.Run(fmt.Sprintf("ceiling/conns=%d", conns), func(b *testing.B) { smtpCeiling(b, conns) })
	}
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
				i0, t0 := idleTicks()
				b.ResetTimer()
				if _, err := w.SendDue(ctx); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				i1, t1 := idleTicks()
				b.ReportMetric(100*(1-(i1-i0)/(t1-t0)), "busy%")
				if got := len(sink.Received()); got != b.N {
					b.Fatalf("%d received, want %d", got, b.N)
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
			})
		}
	}
}

// smtpCeiling sends b.N messages like the outbox's over conns connections,
// decoded from the same JSON as a queued message's, with no database.
func smtpCeiling(b *testing.B, conns int) {
	sink, err := mailtest.Start()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { sink.Close() })
	smtp, err := mail.NewSMTP(mail.SMTPConfig{Host: "127.0.0.1", Port: sink.Port, TLS: "none", From: mail.DefaultFrom, Timeout: 5 * time.Second, Conns: conns})
	if err != nil {
		b.Fatal(err)
	}
	payloads := make([][]byte, b.N)
	for i := range payloads {
		payloads[i] = message(b, fmt.Sprintf("p%05d@example.org", i), "Invitation aux 9e Rencontres franco-japonaises").Payload
	}
	ctx := context.Background()
	next := make(chan []byte)
	var wg sync.WaitGroup
	b.ResetTimer()
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range next {
				var m mail.Message
				if err := json.Unmarshal(p, &m); err != nil {
					b.Error(err)
					continue
				}
				if err := smtp.Send(ctx, &m); err != nil {
					b.Error(err)
				}
			}
		}()
	}
	for _, p := range payloads {
		next <- p
	}
	close(next)
	wg.Wait()
	b.StopTimer()
	if got := len(sink.Received()); got != b.N {
		b.Fatalf("%d received, want %d", got, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// idleTicks reads the machine's idle and total CPU ticks, for a benchmark
// to say how busy the two cores were: a rate below the ceiling on busy
// cores is work to cut, on idle ones waiting to cut.
func idleTicks() (idle, total float64) {
	b, _ := os.ReadFile("/proc/stat")
	f := strings.Fields(strings.SplitN(string(b), "\n", 2)[0])[1:]
	for i, v := range f {
		n, _ := strconv.ParseFloat(v, 64)
		total += n
		if i == 3 || i == 4 { // idle, iowait
			idle += n
		}
	}
	return idle, total
}
