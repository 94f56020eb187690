// Command barehttp is the ceiling of the load benchmarks: a bare net/http
// server answering every request with the same bytes, fetched once from a
// page of the running product, so that it serves a page of the same size
// with nothing else to do.
//
// With -db it is the database's ceiling too: each request first writes one
// row (one INSERT, its own transaction) into a scratch table of that
// database, on a pool like the product's (32 connections on PostgreSQL, one
// writer with the product's pragmas on SQLite), and the table is dropped at
// exit.
package main

import (
	"context"
	"database/sql"
	"flag"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18081", "address to listen on")
	from := flag.String("from", "", "URL of the page whose bytes to serve")
	dbURL := flag.String("db", "", "postgres://… or sqlite:PATH: write one row there per request")
	flag.Parse()
	resp, err := http.Get(*from)
	if err != nil {
		log.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		log.Fatal(err)
	}
	ctype := resp.Header.Get("Content-Type")
	var db *sql.DB
	if *dbURL != "" {
		db = open(*dbURL)
		defer db.Exec("DROP TABLE IF EXISTS regbench_scratch")
	}
	log.Printf("serving %d bytes of %s on %s", len(body), *from, *addr)
	srv := &http.Server{Addr: *addr, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if db != nil {
			b, _ := io.ReadAll(r.Body)
			if _, err := db.ExecContext(r.Context(), "INSERT INTO regbench_scratch (body, created_at) VALUES ($1, $2)", string(b),
				time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})}
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
		<-stop
		srv.Shutdown(context.Background())
	}()
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		log.Fatal(err)
	}
}

// open opens the database as the product does and makes the scratch table.
func open(dbURL string) *sql.DB {
	var db *sql.DB
	var err error
	id := "BIGSERIAL"
	if path, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
		db, err = sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate")
		db.SetMaxOpenConns(1)
		id = "INTEGER"
	} else {
		db, err = sql.Open("pgx", dbURL)
		db.SetMaxOpenConns(32)
		db.SetMaxIdleConns(32)
	}
	if err != nil {
		log.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE IF NOT EXISTS regbench_scratch (id " + id + " PRIMARY KEY, body TEXT NOT NULL, created_at TEXT NOT NULL)"); err != nil {
		log.Fatal(err)
	}
	return db
}
