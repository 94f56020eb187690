package chart

import (
	"encoding/xml"
	"strconv"
	"strings"
	"testing"
)

// node is any element of the SVG, read back with encoding/xml.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Text    string     `xml:",chardata"`
	Nodes   []node     `xml:",any"`
}

func (n *node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n *node) walk(f func(*node)) {
	f(n)
	for i := range n.Nodes {
		n.Nodes[i].walk(f)
	}
}

func parse(t *testing.T, svg string) *node {
	t.Helper()
	var root node
	if err := xml.Unmarshal([]byte(svg), &root); err != nil {
		t.Fatalf("the SVG does not parse: %v\n%s", err, svg)
	}
	return &root
}

func ip(n int) *int { return &n }

// TestBarsDrawTheData parses the SVG back and checks each bar's value,
// its length in proportion, the number written beside it and the labels.
func TestBarsDrawTheData(t *testing.T) {
	c := &Bars{ID: "people", Title: "Collectivités par édition", Desc: "Données du tableau ci-dessous", Groups: []string{"France", "日本"},
		Rows: []Row{
			{Label: "6e (2018)", Values: []Value{{N: ip(17), Text: "17"}, {N: ip(35), Text: "35"}}},
			{Label: "第8回（2024年）", Values: []Value{{N: ip(19), Text: "19"}, {N: ip(1500), Text: "1\u00a0500"}}},
			{Label: "9e <planned> & co", Values: []Value{{Text: "inconnu"}, {N: ip(0), Text: "0"}}},
		}}
	root := parse(t, string(c.SVG()))
	if got := root.attr("role"); got != "img" {
		t.Errorf("role = %q, want img", got)
	}
	if got, want := root.attr("aria-labelledby"), "people-title people-desc"; got != want {
		t.Errorf("aria-labelledby = %q, want %q", got, want)
	}
	var title, desc string
	var bars []*node
	var texts []string
	root.walk(func(n *node) {
		switch n.XMLName.Local {
		case "title":
			title = n.Text
			if n.attr("id") != "people-title" {
				t.Errorf("title id = %q", n.attr("id"))
			}
		case "desc":
			desc = n.Text
		case "rect":
			if n.attr("class") == "bar" {
				bars = append(bars, n)
			}
		case "text":
			texts = append(texts, n.Text)
		}
	})
	if title != c.Title || desc != c.Desc {
		t.Errorf("title %q, desc %q", title, desc)
	}
	// The unknown value draws no bar; the zero draws one of no length.
	wantValues := []string{"17", "35", "19", "1500", "0"}
	wantGroups := []string{"France", "日本", "France", "日本", "日本"}
	if len(bars) != len(wantValues) {
		t.Fatalf("%d bars, want %d", len(bars), len(wantValues))
	}
	longest := 0
	for i, b := range bars {
		if got := b.attr("data-value"); got != wantValues[i] {
			t.Errorf("bar %d: value %s, want %s", i, got, wantValues[i])
		}
		if got := b.attr("data-group"); got != wantGroups[i] {
			t.Errorf("bar %d: group %s, want %s", i, got, wantGroups[i])
		}
		w, _ := strconv.Atoi(b.attr("width"))
		longest = max(longest, w)
	}
	if w, _ := strconv.Atoi(bars[3].attr("width")); w != Width-valueSpace || longest != w {
		t.Errorf("the largest value's bar is %d wide, want the full %d", w, Width-valueSpace)
	}
	if w, _ := strconv.Atoi(bars[0].attr("width")); w != 4 {
		t.Errorf("17 of 1500 on 336 units is 4 units; got %d", w)
	}
	if w := bars[4].attr("width"); w != "0" {
		t.Errorf("zero's bar is %s wide", w)
	}
	all := strings.Join(texts, "|")
	for _, want := range []string{"6e (2018)", "第8回（2024年）", "9e <planned> & co", "1\u00a0500", "inconnu", "France", "日本"} {
		if !strings.Contains(all, want) {
			t.Errorf("no text %q in %q", want, all)
		}
	}
	vb := strings.Fields(root.attr("viewBox"))
	if len(vb) != 4 || vb[2] != strconv.Itoa(Width) || vb[3] != strconv.Itoa(c.Height()) {
		t.Errorf("viewBox %q", root.attr("viewBox"))
	}
}

// TestLegendWraps keeps a legend of many groups inside the chart's width.
func TestLegendWraps(t *testing.T) {
	c := &Bars{ID: "k", Groups: []string{"Commune", "Département", "Région", "Municipalité (市町村)", "Préfecture (都道府県)", "Institution"},
		Rows: []Row{{Label: "x", Values: []Value{{N: ip(1), Text: "1"}}}}}
	pos, h := c.legend()
	if h <= legendH {
		t.Errorf("legend of %d groups on one line", len(c.Groups))
	}
	for i, p := range pos {
		if end := p[0] + 16 + textWidth(c.Groups[i]); end > Width {
			t.Errorf("legend entry %q ends at %d, past %d", c.Groups[i], end, Width)
		}
	}
	parse(t, string(c.SVG()))
}
