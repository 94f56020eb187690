// Command mapload prepares a database for the map's load benchmark
// (scripts/bench.sh with PAGES=1): the demo data (series, editions, news),
// then -n partnerships between French communes and Japanese
// municipalities that have a position, drawn at random with a fixed seed,
// as BenchmarkMap in internal/server does. Import the reference directory
// first (rencontres import).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
)

func main() {
	data := flag.String("data", "data", "the data folder (SQLite)")
	db := flag.String("db", "", "a PostgreSQL URL instead of SQLite")
	n := flag.Int("n", 5000, "partnerships to add")
	flag.Parse()
	ctx := context.Background()
	st, err := store.Open(ctx, *db, *data)
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	if _, err := demo.Load(ctx, st); err != nil {
		log.Fatal(err)
	}
	fr, jp := placed(ctx, st, rencontres.France, rencontres.Commune), placed(ctx, st, rencontres.Japan, rencontres.Municipality)
	if len(fr) == 0 || len(jp) == 0 {
		log.Fatal("mapload: no placed commune or municipality: import the reference directory first")
	}
	rnd := rand.New(rand.NewPCG(14, 2026))
	made, failed := 0, 0
	for made < *n {
		p := &rencontres.Partnership{A: fr[rnd.IntN(len(fr))], B: jp[rnd.IntN(len(jp))],
			Kind: rencontres.PartnershipKinds[rnd.IntN(4)], Year: 1958 + rnd.IntN(68)}
		if err := st.CreatePartnership(ctx, p); err == nil {
			made++
		} else if failed++; failed > 100 {
			log.Fatal(err)
		}
	}
	fmt.Printf("mapload: %d partnerships between %d communes and %d municipalities with a position\n", made, len(fr), len(jp))
}

// placed lists the authorities of a kind and country that have a position.
func placed(ctx context.Context, st *store.Store, c rencontres.Country, k rencontres.OrgKind) []string {
	var keys []string
	for offset := 0; ; {
		list, _, err := st.Organisations(ctx, rencontres.OrgFilter{Country: c, Kind: k, Limit: 1000, Offset: offset})
		if err != nil {
			log.Fatal(err)
		}
		if len(list) == 0 {
			return keys
		}
		for _, o := range list {
			if o.Lat != nil {
				keys = append(keys, o.Key)
			}
		}
		offset += len(list)
	}
}
