// Command regload opens registration to a burst: it sends -n registrations
// with -c at a time to an event's API, each a different person, and prints
// registrations per second and latency percentiles as a Markdown table row.
// With -bare it sends the same requests to the bare net/http ceiling.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	sticky := flag.Bool("sticky", false, "each client sends all its requests to one of the -url servers, as a load balancer with affinity does (by client address)")
	url := flag.String("url", "", "the registrations endpoint, or the bare server; several, separated by commas, share the load in turn (instances on one database)")
	token := flag.String("token", "", "API token (rct_…)")
	n := flag.Int("n", 5000, "registrations to send")
	c := flag.Int("c", 64, "requests at a time")
	session := flag.Int64("session", 0, "the session every person chooses")
	label := flag.String("label", "registrations", "the row's label")
	run := flag.String("run", fmt.Sprint(time.Now().UnixNano()), "a tag that makes this run's addresses unique")
	warmup := flag.Int("warmup", 0, "registrations sent first, at the same concurrency, and not counted: a server that has just started opens its connections and prepares its statements then")
	setup := flag.String("setup", "", "instead of loading, prepare the 9th edition at this base URL and print its event and session ids")
	rate := flag.Float64("rate", 0, "open arrivals: send the registrations at this many a second, at random instants (a Poisson process), whatever the answers, each to the -url servers in turn, at most -c waiting for their answers; latency counts from the instant a request was due, so a server that falls behind is charged for the wait")
	checkAt := flag.Bool("check", false, "instead of loading, check through the API what the bursts left at -url: the -session's seats each given once, its waiting list numbered in the order of the registrations, every registration on it once")
	metrics := flag.String("metrics", "", "the servers' Prometheus metrics (serve --metrics-addr), separated by commas: the row gains the measured burst's batches, their submissions, time to the lock and time holding it, on average")
	flag.Parse()
	if *setup != "" {
		prepare(*setup, *token)
		return
	}
	if *url == "" {
		log.Fatal("regload: -url is required")
	}
	if *checkAt {
		said, err := check(*url, *token, *session)
		if err != nil {
			log.Fatalf("regload: the check failed: %v", err)
		}
		fmt.Println("Checked after the bursts: " + said + ".")
		return
	}
	urls := strings.Split(*url, ",")
	orgs := []string{"fr-13001", "fr-54395", "fr-37261", "jp-431001", "jp-221007", "jp-372013", "fr-06029", "jp-281000"}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *c, MaxConnsPerHost: *c}}
	var ok, ko atomic.Int64
	// post sends registration i to the server and returns when answered.
	post := func(to string, i int, run string) {
		body := fmt.Sprintf(`{"organisation":%q,"given_name":"Personne","family_name":"CHARGE%d","name_ja":"負荷 太郎","email":"load-%s-%d@example.org","lang":"ja","choices":[%d]}`,
			orgs[i%len(orgs)], i, run, i, *session)
		req, _ := http.NewRequest("POST", to, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+*token)
		req.Header.Set("Idempotency-Key", fmt.Sprintf("%s-%d", run, i))
		resp, err := client.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode == 201 || resp.StatusCode == 200 {
			ok.Add(1)
		} else {
			ko.Add(1)
		}
	}
	send := func(n int, run string) (lat []time.Duration, created, other int64, elapsed time.Duration) {
		ok.Store(0)
		ko.Store(0)
		lat = make([]time.Duration, n)
		start := time.Now()
		if *rate > 0 {
			openArrivals(n, *rate, *c, func(i int) { post(urls[i%len(urls)], i, run) }, lat)
			return lat, ok.Load(), ko.Load(), time.Since(start)
		}
		var next atomic.Int64
		var wg sync.WaitGroup
		for g := range *c {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1)) - 1
					if i >= n {
						return
					}
					to := urls[i%len(urls)]
					if *sticky {
						to = urls[g%len(urls)]
					}
					t0 := time.Now()
					post(to, i, run)
					lat[i] = time.Since(t0)
				}
			}()
		}
		wg.Wait()
		return lat, ok.Load(), ko.Load(), time.Since(start)
	}
	if *warmup > 0 {
		send(*warmup, *run+"-warm")
	}
	var before batchFigures
	if *metrics != "" {
		before = scrape(*metrics)
	}
	lat, created, other, elapsed := send(*n, *run)
	slices.Sort(lat)
	pct := func(p float64) string { return lat[int(p*float64(len(lat)-1))].Round(100 * time.Microsecond).String() }
	fmt.Printf("| %s | %d | %.0f | %s | %s | %s |", *label, created, float64(*n)/elapsed.Seconds(), pct(0.5), pct(0.99), pct(1))
	if *metrics != "" {
		d := scrape(*metrics).minus(before)
		fmt.Printf(" %d | %.1f | %.2f ms | %.2f ms |", int(d.count), d.submissions/d.count, d.wait/d.count*1000, d.held/d.count*1000)
	}
	fmt.Println()
	if other > 0 {
		fmt.Fprintf(os.Stderr, "regload: %d answers were not 201\n", other)
	}
}

// batchFigures are sums of the batch histograms of serve --metrics-addr.
type batchFigures struct{ count, submissions, wait, held float64 }

func (a batchFigures) minus(b batchFigures) batchFigures {
	return batchFigures{a.count - b.count, a.submissions - b.submissions, a.wait - b.wait, a.held - b.held}
}

// scrape adds up the batch histograms of the servers' metrics.
func scrape(urls string) batchFigures {
	var f batchFigures
	for _, u := range strings.Split(urls, ",") {
		resp, err := http.Get(u)
		if err != nil {
			log.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			log.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			name, value, ok := strings.Cut(line, " ")
			var v float64
			if !ok || strings.HasPrefix(line, "#") {
				continue
			}
			fmt.Sscan(value, &v)
			switch name {
			case "rencontres_registration_batch_submissions_count":
				f.count += v
			case "rencontres_registration_batch_submissions_sum":
				f.submissions += v
			case "rencontres_registration_batch_lock_wait_seconds_sum":
				f.wait += v
			case "rencontres_registration_batch_lock_held_seconds_sum":
				f.held += v
			}
		}
	}
	return f
}

// openArrivals calls do(i) for i from 0 to n-1 at the instants of a
// Poisson process of the given rate (the same instants at every run), each
// in a goroutine of its own, at most limit at a time: people who register
// each send one request whenever they are ready, not after someone else's
// answer. lat[i] is the time from the instant i was due to its return, so
// a request that waited for room among the limit, or that the sender sent
// late, counts that wait.
func openArrivals(n int, rate float64, limit int, do func(int), lat []time.Duration) {
	gaps := rand.New(rand.NewPCG(1, 2))
	room := make(chan struct{}, limit)
	var wg sync.WaitGroup
	start := time.Now()
	var due time.Duration
	for i := range n {
		due += time.Duration(gaps.ExpFloat64() / rate * float64(time.Second))
		if wait := due - time.Since(start); wait > 0 {
			time.Sleep(wait)
		}
		room <- struct{}{}
		wg.Add(1)
		go func(i int, due time.Duration) {
			defer wg.Done()
			do(i)
			lat[i] = time.Since(start) - due
			<-room
		}(i, due)
	}
	wg.Wait()
}

// prepare gives the demo's 9th edition dates, a workshop of 30 seats and a
// registration form open for the next hour, and prints "EVENT SESSION".
func prepare(base, token string) {
	call := func(method, path, body string, v any) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode >= 300 {
			b, _ := io.ReadAll(resp.Body)
			log.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
		if v != nil {
			json.NewDecoder(resp.Body).Decode(v)
		}
	}
	var events struct {
		Events []struct {
			ID     int64
			Series string
			Number int
		}
	}
	call("GET", "/api/v1/events?kind=edition", "", &events)
	var id int64
	for _, e := range events.Events {
		if e.Series == "rencontres-franco-japonaises" && e.Number == 9 {
			id = e.ID
		}
	}
	ev := fmt.Sprintf("/api/v1/events/%d", id)
	call("PUT", ev, `{"kind":"edition","time_zone":"Europe/Paris","start":"2026-10-12","end":"2026-10-15","status":"planned"}`, nil)
	var ws struct{ ID int64 }
	call("POST", ev+"/sessions", `{"kind":"workshop","title":{"fr":"Atelier","ja":"分科会"},"start":"2026-10-13T10:00:00+02:00","end":"2026-10-13T12:00:00+02:00","capacity":30}`, &ws)
	now := time.Now()
	call("PUT", ev+"/registration-form", fmt.Sprintf(`{"opens":%q,"deadline":%q,"max_choices":1}`,
		now.Add(-time.Hour).Format(time.RFC3339), now.Add(time.Hour).Format(time.RFC3339)), nil)
	fmt.Println(id, ws.ID)
}
