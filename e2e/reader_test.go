package e2e

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// menuBox is where the main menu's items and the header stand on screen.
type menuBox struct {
	Tops []float64 `json:"tops"`
	// Bar are the vertical middles of the top bar's parts: the site's
	// name, the languages, the text size and one's account.
	Bar          []float64 `json:"bar"`
	Header       float64   `json:"header"`
	Viewport     float64   `json:"viewport"`
	ScrollsAside int       `json:"scrollsAside"`
	// Network is where the links of « Le réseau » stand, once open: shown
	// (not zero-sized) and inside the screen's width.
	Network []networkLink `json:"network"`
}

type networkLink struct {
	Href   string  `json:"href"`
	Left   float64 `json:"left"`
	Right  float64 `json:"right"`
	Height float64 `json:"height"`
}

const measureMenu = `(() => ({
	tops: [...document.querySelectorAll('nav.main > ul > li')].map(li => Math.round(li.getBoundingClientRect().top)),
	bar: [...document.querySelectorAll('header.site .bar > *')].map(e => { const r = e.getBoundingClientRect(); return Math.round(r.top + r.height / 2); }),
	header: document.querySelector('header.site').getBoundingClientRect().height,
	viewport: window.innerHeight,
	scrollsAside: document.documentElement.scrollWidth - document.documentElement.clientWidth,
	network: [...document.querySelectorAll('nav.main li.network li a')].map(a => { const r = a.getBoundingClientRect();
		return {href: a.getAttribute('href'), left: r.left, right: r.right, height: r.height}; }),
}))()`

// openNetwork opens « Le réseau » by keyboard: focus on its summary, then
// Enter, as someone without a mouse would.
var openNetwork = []chromedp.Action[chromedp.Void]{chromedp.Focus(chromedp.CSS(`nav.main li.network summary`)), chromedp.KeyEvent("\r"),
	chromedp.WaitVisible(chromedp.CSS(`nav.main li.network li a`))}

// checkNetwork checks that the network's three links are shown, on screen.
func checkNetwork(t *testing.T, page string, m menuBox, width float64) {
	t.Helper()
	if len(m.Network) != 3 {
		t.Fatalf("%s: « Le réseau » has %d links, want news, statistics and the map", page, len(m.Network))
	}
	for _, l := range m.Network {
		if l.Height == 0 || l.Left < 0 || l.Right > width {
			t.Errorf("%s at %.0fpx: the link %s, once the menu is open, stands at %.0f–%.0f (height %.0f)", page, width, l.Href, l.Left, l.Right, l.Height)
		}
	}
}

// The secretariat's menu, the longest there is, fits on one line on a
// 1280-pixel screen, and on a phone the whole header takes at most a
// quarter of the screen's height without the page scrolling sideways, in
// French and in Japanese.
func TestSignedInMenu(t *testing.T) {
	fresh(t)
	ctx := signedIn(t, &rencontres.User{Email: "menu@example.org", Name: "Menu TEST", Lang: rencontres.French, Role: rencontres.Secretariat}, "")
	for _, lang := range []string{"fr", "ja", "en"} {
		page := "/" + lang + "/manage/events"
		do(t, ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(baseURL+page))
		m := get(t, ctx, chromedp.Evaluate[menuBox](measureMenu))
		if len(m.Tops) < 7 || len(m.Bar) < 4 {
			t.Fatalf("%s: the secretariat's menu has %d sections and the bar %d parts", page, len(m.Tops), len(m.Bar))
		}
		for _, top := range m.Tops {
			if top != m.Tops[0] {
				t.Errorf("%s at 1280px: the menu's items stand at %v, not on one line", page, m.Tops)
				break
			}
		}
		for _, middle := range m.Bar {
			if middle < m.Bar[0]-4 || middle > m.Bar[0]+4 {
				t.Errorf("%s at 1280px: the top bar's parts stand at %v, not on one line", page, m.Bar)
				break
			}
		}
		// « Le réseau » opens by keyboard, its links on screen, the line
		// kept.
		do(t, ctx, openNetwork...)
		m = get(t, ctx, chromedp.Evaluate[menuBox](measureMenu))
		checkNetwork(t, page, m, 1280)
		for _, top := range m.Tops {
			if top != m.Tops[0] {
				t.Errorf("%s at 1280px, « Le réseau » open: the menu's items stand at %v", page, m.Tops)
				break
			}
		}
		shoot(t, ctx, lang+"-1280")
		do(t, ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile), chromedp.Navigate(baseURL+page))
		m = get(t, ctx, chromedp.Evaluate[menuBox](measureMenu))
		if m.Header > m.Viewport/4 {
			t.Errorf("%s at 360px: the header takes %.0fpx of %.0fpx, more than a quarter", page, m.Header, m.Viewport)
		}
		if m.ScrollsAside > 0 {
			t.Errorf("%s at 360px: the page scrolls sideways by %dpx", page, m.ScrollsAside)
		}
		// Open on a phone, its links follow in the menu's line, which
		// scrolls within itself; the page still does not.
		do(t, ctx, openNetwork...)
		m = get(t, ctx, chromedp.Evaluate[menuBox](measureMenu))
		if m.ScrollsAside > 0 {
			t.Errorf("%s at 360px, « Le réseau » open: the page scrolls sideways by %dpx", page, m.ScrollsAside)
		}
		if len(m.Network) != 3 || m.Network[0].Height == 0 {
			t.Errorf("%s at 360px: « Le réseau » opened shows %+v", page, m.Network)
		}
		shoot(t, ctx, lang+"-360")
		checkAccessibility(t, ctx, page+" (360px)")
	}
}

// shoot saves a screenshot when RENCONTRES_E2E_SHOTS names a folder, for a
// person to look at what the measurements say.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("RENCONTRES_E2E_SHOTS")
	if dir == "" {
		return
	}
	png := get(t, ctx, chromedp.CaptureScreenshot())
	if err := os.WriteFile(fmt.Sprintf("%s/%s.png", dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// axe-core finds no serious or critical WCAG 2.1 A/AA violation on the
// pages that name authorities and people, the forms changed for Japanese
// names, the timetable, the accessibility statement and a Japanese 404.
func TestReaderPagesAccessible(t *testing.T) {
	if axeJS == "" {
		t.Skip("axe-core not installed: run make refdata")
	}
	fresh(t)
	bg := context.Background()
	seventh, err := srv.Store.Edition(bg, "rencontres-franco-japonaises", 7)
	if err != nil {
		t.Fatal(err)
	}
	regs, err := srv.Store.Registrations(bg, rencontres.RegistrationFilter{EventID: seventh.ID, OrgKey: "jp-431001"})
	if err != nil || len(regs) == 0 {
		t.Fatalf("Kumamoto's delegation: %v", err)
	}
	// A tab for each few pages: each has a minute, and a scan takes seconds.
	groups := [][]string{{"/fr/accessibility", "/ja/accessibility", "/en/accessibility", "/ja/unknown"}, {"/fr/admin/people", "/ja/admin/people"}}
	for _, lang := range []string{"fr", "ja"} {
		groups = append(groups, []string{
			fmt.Sprintf("/%s/committees/%d", lang, seventh.Committees[1].ID),
			fmt.Sprintf("/%s/events/%d", lang, seventh.Committees[0].Meetings[0].ID),
			fmt.Sprintf("/%s/events/%d/registrations", lang, seventh.ID),
		}, []string{
			fmt.Sprintf("/%s/events/%d/checkin?code=%s", lang, seventh.ID, regs[0].Code),
			fmt.Sprintf("/%s/events/%d/delegation?org=jp-431001", lang, seventh.ID),
			fmt.Sprintf("/%s/events/%d/timetable", lang, seventh.ID),
		})
	}
	for i, pages := range groups {
		ctx := signedIn(t, &rencontres.User{Email: fmt.Sprintf("reader%d@example.org", i), Name: "Reader TEST", Lang: rencontres.French,
			Role: rencontres.Secretariat}, "")
		for _, p := range pages {
			do(t, ctx, chromedp.Navigate(baseURL+p))
			checkAccessibility(t, ctx, p)
		}
	}
}
