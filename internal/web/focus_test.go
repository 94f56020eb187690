package web

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// cssRules reads a stylesheet into its rules' declarations by selector, as
// written: enough for a test to follow custom properties.
func cssRules(css string) map[string]map[string]string {
	css = regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(css, "")
	rules := map[string]map[string]string{}
	for _, m := range regexp.MustCompile(`(?s)([^{}]+)\{([^{}]*)\}`).FindAllStringSubmatch(css, -1) {
		for _, sel := range strings.Split(m[1], ",") {
			sel = strings.Join(strings.Fields(sel), " ")
			if rules[sel] == nil {
				rules[sel] = map[string]string{}
			}
			for _, decl := range strings.Split(m[2], ";") {
				if name, value, ok := strings.Cut(decl, ":"); ok {
					rules[sel][strings.TrimSpace(name)] = strings.TrimSpace(value)
				}
			}
		}
	}
	return rules
}

// luminance is the relative luminance of a #rrggbb colour (WCAG 2.1).
func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	if len(hex) != 7 || hex[0] != '#' {
		t.Fatalf("colour %q: want #rrggbb", hex)
	}
	var l float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		n, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			t.Fatalf("colour %q: %v", hex, err)
		}
		c := float64(n) / 255
		if c <= 0.03928 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += w * c
	}
	return l
}

func contrast(t *testing.T, a, b string) float64 {
	la, lb := luminance(t, a), luminance(t, b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// The keyboard focus outline stands out at 3:1 at least (WCAG 1.4.11)
// against the page's white and against the blues of the header, read from
// the stylesheet the site serves: the outline's colour as the focused
// element inherits it in the page body and in the header.
func TestFocusOutlineContrast(t *testing.T) {
	css, err := staticFS.ReadFile("static/site.css")
	if err != nil {
		t.Fatal(err)
	}
	rules := cssRules(string(css))
	root := rules[":root"]
	// resolve follows var(--name) to the value the scope (or :root) gives.
	resolve := func(scope map[string]string, v string) string {
		for strings.HasPrefix(v, "var(") {
			name := strings.TrimSuffix(strings.TrimPrefix(v, "var("), ")")
			if s, ok := scope[name]; ok {
				v = s
			} else {
				v = root[name]
			}
		}
		return v
	}
	outline := rules["a:focus-visible"]["outline"]
	if outline == "" || rules["button:focus-visible"]["outline"] != outline || rules["input:focus-visible"]["outline"] != outline {
		t.Fatalf("links, buttons and inputs do not share one focus outline: %q", outline)
	}
	f := strings.Fields(outline)
	colour := f[len(f)-1]
	header := rules["header.site"]
	for _, tc := range []struct{ where, outline, background string }{
		{"page body", resolve(root, colour), resolve(root, root["--paper"])},
		{"soft panels", resolve(root, colour), resolve(root, root["--soft"])},
		{"header", resolve(header, colour), resolve(header, header["background"])},
		{"main menu", resolve(header, colour), resolve(header, rules["nav.main"]["background"])},
	} {
		if c := contrast(t, tc.outline, tc.background); c < 3 {
			t.Errorf("%s: focus outline %s on %s has a contrast of %.2f:1, want 3:1 at least", tc.where, tc.outline, tc.background, c)
		}
	}
	if got := resolve(root, root["--paper"]); got != "#ffffff" {
		t.Errorf("the page's background is %s; the test assumes white", got)
	}
}
