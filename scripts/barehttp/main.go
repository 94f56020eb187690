// Command barehttp is the ceiling of the load benchmarks: a bare net/http
// server answering every request with the same bytes, fetched once from a
// page of the running product, so that it serves a page of the same size
// with nothing else to do.
package main

import (
	"flag"
	"io"
	"log"
	"net/http"
	"strconv"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18081", "address to listen on")
	from := flag.String("from", "", "URL of the page whose bytes to serve")
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
	log.Printf("serving %d bytes of %s on %s", len(body), *from, *addr)
	log.Fatal(http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})))
}
