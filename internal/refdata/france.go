package refdata

import (
	"fmt"
	"regexp"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// The shapes of French official codes. Corsica's departments are 2A and 2B
// and its communes' INSEE codes start with them; overseas departments and
// collectivities have three digits, and so do the collectivities that
// decoupage-administratif lists as regions.
var (
	regionCodeRE      = regexp.MustCompile(`^[0-9]{2,3}$`)
	departementCodeRE = regexp.MustCompile(`^([0-9]{2}|2[AB]|9[78][0-9])$`)
	communeCodeRE     = regexp.MustCompile(`^([0-9]{5}|2[AB][0-9]{3})$`)
	sirenRE           = regexp.MustCompile(`^[0-9]{9}$`)
)

// frenchKind says how one file of decoupage-administratif becomes
// organisations of one kind.
type frenchKind struct {
	file   string
	kind   rencontres.OrgKind
	prefix string // of the key, before the code
	code   *regexp.Regexp
	want   string // describes a good code, for errors
	// parent names the field holding the parent's code, keyed with
	// parentPrefix; empty when the kind has no parent.
	parent, parentPrefix string
	// population names the field holding the population, if any.
	population string
	// only, when set, keeps the entries whose type field has this value.
	only string
}

// frenchKinds lists the files in parent-first order.
var frenchKinds = []frenchKind{
	{file: regionsFile, kind: rencontres.Region, prefix: "fr-reg-", code: regionCodeRE,
		want: "an INSEE region code such as 84"},
	{file: departementsFile, kind: rencontres.Departement, prefix: "fr-dep-", code: departementCodeRE,
		want: "a department code such as 13 or 2A", parent: "region", parentPrefix: "fr-reg-"},
	{file: communesFile, kind: rencontres.Commune, prefix: "fr-", code: communeCodeRE,
		want: "an INSEE code such as 13001 or 2A004", parent: "departement", parentPrefix: "fr-dep-",
		population: "population", only: "commune-actuelle"},
	{file: epciFile, kind: rencontres.EPCI, prefix: "fr-epci-", code: sirenRE,
		want: "a nine-digit SIREN", population: "populationMunicipale"},
}

// LoadFrance reads the regions, departments, current communes and EPCIs of
// @etalab/decoupage-administratif from the node_modules folder dir, and
// returns them parents first: regions, departments, communes, then EPCIs,
// which have no parent since they may straddle departments. Associated and
// delegated communes and municipal arrondissements are left out: they are
// not authorities that sign agreements.
func LoadFrance(dir string) ([]*rencontres.Organisation, error) {
	var orgs []*rencontres.Organisation
	known := map[string]bool{}
	for _, k := range frenchKinds {
		f, err := readFile(dir, k.file)
		if err != nil {
			return nil, err
		}
		err = f.entries(func(o *object) error {
			org, err := k.read(o, known)
			if err != nil || org == nil {
				return err
			}
			known[org.Key] = true
			orgs = append(orgs, org)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return orgs, nil
}

// read returns the organisation of one entry, or nil when the entry is of
// a type that is left out. known holds the keys read so far, to check the
// parent and refuse duplicates.
func (k *frenchKind) read(o *object, known map[string]bool) (*rencontres.Organisation, error) {
	if k.only != "" {
		typ, err := o.required("type")
		if err != nil || typ != k.only {
			return nil, err
		}
	}
	code, err := o.required("code")
	if err != nil {
		return nil, err
	}
	if !k.code.MatchString(code) {
		return nil, o.fail("code", fmt.Errorf("want %s, got %q", k.want, code))
	}
	if known[k.prefix+code] {
		return nil, o.fail("code", fmt.Errorf("duplicate code %q", code))
	}
	nom, err := o.required("nom")
	if err != nil {
		return nil, err
	}
	org := &rencontres.Organisation{
		Key: k.prefix + code, Kind: k.kind, Country: rencontres.France, Code: code,
		Name: rencontres.Text{rencontres.French: nom, rencontres.English: nom},
	}
	if k.parent != "" {
		parent, err := o.required(k.parent)
		if err != nil {
			return nil, err
		}
		if org.ParentKey = k.parentPrefix + parent; !known[org.ParentKey] {
			return nil, o.fail(k.parent, fmt.Errorf("unknown %s %q", k.parent, parent))
		}
	}
	if k.population != "" {
		if org.Population, err = o.count(k.population); err != nil {
			return nil, err
		}
	}
	return org, nil
}
