package server

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
	"golang.org/x/net/html"
)

// The crawl: every role, in every language, starts from the home page and
// its menu and follows every link and every GET form it is shown, on the
// demo data, until no new page is found. A page that fails (5xx), a link
// that leads nowhere (404) or HTML that does not parse fails the test with
// the chain of pages that led there. It is what would have caught the
// registration settings page answering 500 for every event (issue 11).
func TestEveryLinkedPageAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		langs := rencontres.Langs
		for _, a := range crawlAccounts(t, f) {
			t.Run(a.name, func(t *testing.T) {
				c := &crawler{t: t, base: f.srv.URL, cookie: a.cookie, seen: map[string]*visit{}, kinds: map[string]int{}}
				start := time.Now()
				var starts []string
				for _, l := range langs {
					for _, p := range a.menu {
						starts = append(starts, "/"+string(l)+p)
					}
				}
				c.run(starts)
				t.Logf("%s: %d URLs in %v", a.name, len(c.seen), time.Since(start).Round(time.Millisecond))
				for _, want := range a.mustReach {
					for _, l := range langs {
						if c.seen[f.srv.URL+"/"+string(l)+want] == nil {
							t.Errorf("the crawl never reached /%s%s", l, want)
						}
					}
				}
				for _, want := range a.mustKinds {
					for _, l := range langs {
						if c.kinds["/"+string(l)+want] == 0 {
							t.Errorf("the crawl never reached a page /%s%s", l, want)
						}
					}
				}
			})
		}
	})
}

// crawlAccount is a role as the crawl signs it in: its session, where its
// menu starts, and pages the crawl must reach through links.
type crawlAccount struct {
	name      string
	cookie    *http.Cookie
	menu      []string
	mustReach []string
	// mustKinds are kinds of page (as kind names them, without the
	// language) the crawl must open at least once in each language.
	mustKinds []string
}

// crawlAccounts signs in one account per role, each bound to demo data
// that gives it something to see: the committee member sits on a 7th
// edition's committee, the contact is Aix-en-Provence's, whose people are
// registered at the 7th edition, and the participant is one of them.
func crawlAccounts(t *testing.T, f *fixture) []crawlAccount {
	t.Helper()
	ctx := context.Background()
	contact := &rencontres.User{Email: "crawl.contact@example.org", Name: "Contact Aix", Lang: rencontres.French, Role: rencontres.AuthorityContact}
	if err := f.st.InviteUser(ctx, contact, "fr-13001"); err != nil {
		t.Fatal(err)
	}
	participant := &rencontres.User{Email: "n.bensaid@example.org", Name: "Nadia Bensaïd", Lang: rencontres.French, Role: rencontres.Participant}
	if err := f.st.InviteUser(ctx, participant, ""); err != nil {
		t.Fatal(err)
	}
	// The committee member reviews one of the demo call's proposals.
	if err := f.st.SetReviewers(ctx, f.proposal, []int64{f.users[rencontres.CommitteeMember].ID}, f.users[rencontres.Secretariat].ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	sessionOf := func(u *rencontres.User) *http.Cookie {
		tok, hash := auth.NewSessionToken()
		now := time.Now()
		if err := f.st.CreateSession(ctx, hash, u.ID, now, now.Add(time.Hour), "127.0.0.1", "crawl"); err != nil {
			t.Fatal(err)
		}
		return &http.Cookie{Name: auth.CookieName, Value: tok}
	}
	ed := fmt.Sprint(f.edition)
	return []crawlAccount{
		{name: "secretariat", cookie: sessionOf(f.users[rencontres.Secretariat]),
			menu: []string{"/", "/account", "/manage/events", "/manage/campaigns", "/admin/people", "/admin/audit"},
			mustReach: []string{"/events/" + ed + "/registration", "/events/" + ed + "/registrations", "/events/" + ed + "/timetable",
				"/events/" + ed + "/checkin", "/events/" + ed + "/attendance", "/committees/" + fmt.Sprint(f.committee),
				"/admin/people", "/manage/organisations/new",
				"/partnerships", "/map", "/manage/partnerships/survey", "/manage/partnerships/new", "/manage/import",
				"/news", "/manage/news", "/manage/news/new", "/statistics", "/series/rencontres-franco-japonaises/9/statistics",
				"/events/" + ed + "/calls", "/manage/webhooks"},
			mustKinds: []string{"/events/{n}/sessions/{n}/attendance", "/events/{n}/badges.pdf?layout", "/events/{n}/signin-sheet.pdf", "/campaigns/{n}", "/manage/organisations/{key}",
				"/manage/partnerships/{n}/edit", "/manage/organisations/{key}/partnerships", "/manage/organisations/{key}/edit", "/manage/organisations/{key}/merge",
				"/manage/news/{n}/edit", "/news/{n}", "/manage/calls/{n}/review", "/manage/calls/{n}/release", "/manage/proposals/{n}/decision",
				"/events/{n}/calls/new", "/calls/{n}", "/calls/{n}/edit", "/calls/{n}/proposals", "/proposals/{n}", "/manage/organisations/{key}/proposals",
				"/declarations/{n}", "/declarations/{n}/history", "/declarations/{n}/history/{n}", "/declarations/{n}/segments/{n}",
				"/declarations/{n}/amendments", "/declarations/{n}/amendments?state", "/amendments/{n}", "/declarations/{n}/amendments/merge",
				"/declarations/{n}/amendments/merge?segment", "/declarations/{n}/amendments/new?segment", "/declarations/{n}/adoption",
				"/manage/organisations/{key}/cooperation", "/manage/organisations/{key}/suggestions", "/manage/webhooks/{n}",
				"/events/{n}/meetings/manage", "/events/{n}/meetings/tables", "/events/{n}/meetings/tables.pdf", "/events/{n}/meetings/interpreters"}},
		{name: "committee_member", cookie: sessionOf(f.users[rencontres.CommitteeMember]),
			menu: []string{"/", "/account"}, mustReach: []string{"/committees/" + fmt.Sprint(f.committee), "/reviews"},
			mustKinds: []string{"/reviews/{n}", "/declarations/{n}", "/declarations/{n}/history", "/declarations/{n}/segments/{n}"}},
		{name: "authority_contact", cookie: sessionOf(contact),
			menu: []string{"/", "/account"}, mustReach: []string{"/manage/organisations/fr-13001", "/manage/organisations/fr-13001/partnerships",
				"/manage/organisations/fr-13001/proposals", "/manage/organisations/fr-13001/cooperation", "/manage/organisations/fr-13001/suggestions"},
			mustKinds: []string{"/calls/{n}", "/calls/{n}/propose", "/proposals/{n}", "/events/{n}/meetings"}},
		{name: "participant", cookie: sessionOf(participant), menu: []string{"/", "/account"},
			// Their own page of the 7th edition, linked from their account.
			mustReach: []string{"/me/events/" + ed}},
		{name: "public", menu: []string{"/", "/login"}, mustReach: []string{"/events/" + ed + "/programme", "/organisations/fr-13001", "/partnerships", "/map", "/news", "/news.atom", "/statistics",
			"/practices", "/practices.atom", "/practices?edition=rencontres-franco-japonaises%2F7"},
			mustKinds: []string{"/organisations?after", "/events/{n}/sessions/{n}/calendar.ics", "/events/{n}/programme/print", "/series/raict/{n}", "/news/{n}", "/practices/{n}",
				"/series/rencontres-franco-japonaises/{n}/statistics", "/series/raict/{n}/statistics", "/calls/{n}",
				"/series/rencontres-franco-japonaises/{n}/declaration", "/series/rencontres-franco-japonaises/{n}/declaration.pdf"}},
	}
}

// visit is one URL the crawl found, and how: the page that linked it.
type visit struct {
	url    string
	from   *visit
	status int
}

// chain says how the crawl came to a page, from the page back to where it
// started.
func (v *visit) chain() string {
	var b strings.Builder
	for w := v; w != nil; w = w.from {
		if w != v {
			b.WriteString("\n\t  ← linked from ")
		}
		b.WriteString(w.url)
		if w.status != 0 {
			fmt.Fprintf(&b, " (%d)", w.status)
		}
	}
	return b.String()
}

type crawler struct {
	t      *testing.T
	base   string
	cookie *http.Cookie
	mu     sync.Mutex
	seen   map[string]*visit
	kinds  map[string]int
}

// maxPerKind caps how many URLs of one kind (one pattern, per language)
// the crawl opens: a few organisation pages of a directory of thousands
// say as much as all of them. The demo's events, sessions, committees,
// campaigns and organisations are few, and each is opened.
const maxPerKind = 6

// everyOne are the kinds of page opened for every object the demo has.
var everyOne = regexp.MustCompile(`^/[a-z]{2}/(events/\{n\}(/[a-z]+)?|events/\{n\}/sessions/\{n\}/[a-z.]+|committees/\{n\}|campaigns/\{n\}|organisations/\{key\}|manage/organisations/\{key\}|series/[a-z-]+/\{n\}|documents/\{n\})$`)

// kind is the pattern of a URL: numbers and organisation keys replaced by
// placeholders, and the query's names without their values.
func kind(u *url.URL) string {
	segs := strings.Split(u.Path, "/")
	for i, s := range segs {
		switch {
		case s != "" && strings.Trim(s, "0123456789") == "":
			segs[i] = "{n}"
		case i > 0 && segs[i-1] == "organisations":
			segs[i] = "{key}"
		case i > 0 && (segs[i-1] == "link" || segs[i-1] == "invitation"):
			segs[i] = "{token}"
		}
	}
	k := strings.Join(segs, "/")
	if q := u.Query(); len(q) > 0 {
		names := make([]string, 0, len(q))
		for n := range q {
			names = append(names, n)
		}
		sort.Strings(names)
		k += "?" + strings.Join(names, "&")
	}
	return k
}

// add records a URL found on page from and reports whether it is new and
// within its kind's cap.
func (c *crawler) add(raw string, from *visit) *visit {
	u, err := url.Parse(raw)
	if err != nil {
		c.t.Errorf("unparsable link %q\n\t  on %s", raw, from.chain())
		return nil
	}
	if from != nil {
		base, _ := url.Parse(from.url)
		u = base.ResolveReference(u)
	} else {
		base, _ := url.Parse(c.base)
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" || u.Host != strings.TrimPrefix(c.base, "http://") {
		return nil // off-site, mailto:, tel:
	}
	u.Fragment, u.RawFragment = "", ""
	u.RawQuery = u.Query().Encode()
	key := u.String()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen[key] != nil {
		return nil
	}
	k := kind(u)
	if !everyOne.MatchString(k) && c.kinds[k] >= maxPerKind {
		return nil
	}
	c.kinds[k]++
	v := &visit{url: key, from: from}
	c.seen[key] = v
	return v
}

// run crawls breadth first, a level at a time, opening a level's pages
// four at a time.
func (c *crawler) run(starts []string) {
	var level []*visit
	for _, s := range starts {
		if v := c.add(s, nil); v != nil {
			level = append(level, v)
		}
	}
	for len(level) > 0 {
		if len(c.seen) > 5000 {
			c.t.Fatalf("the crawl found more than 5000 URLs: a kind of page escapes its cap")
		}
		var next []*visit
		var mu sync.Mutex
		work := make(chan *visit)
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for v := range work {
					found := c.open(v)
					mu.Lock()
					next = append(next, found...)
					mu.Unlock()
				}
			})
		}
		for _, v := range level {
			work <- v
		}
		close(work)
		wg.Wait()
		sort.Slice(next, func(i, j int) bool { return next[i].url < next[j].url })
		level = next
	}
}

// open fetches one URL, checks the answer, and returns the new URLs its
// links and GET forms lead to.
func (c *crawler) open(v *visit) []*visit {
	t := c.t
	req, _ := http.NewRequest("GET", v.url, nil)
	if c.cookie != nil {
		req.AddCookie(c.cookie)
	}
	resp, err := noFollow.Do(req)
	if err != nil {
		t.Errorf("GET %v: %v", v.chain(), err)
		return nil
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Errorf("reading %s: %v", v.chain(), err)
		return nil
	}
	v.status = resp.StatusCode
	switch {
	case resp.StatusCode >= 500:
		t.Errorf("server error: %s", v.chain())
		return nil
	case resp.StatusCode == http.StatusNotFound && v.from != nil:
		t.Errorf("a link leads nowhere: %s", v.chain())
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		if nv := c.add(resp.Header.Get("Location"), v); nv != nil {
			return []*visit{nv}
		}
		return nil
	}
	ct := resp.Header.Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "text/html"):
		links, problems := checkPage(body)
		for _, p := range problems {
			t.Errorf("%s: %s", p, v.chain())
		}
		var out []*visit
		for _, l := range links {
			if nv := c.add(l, v); nv != nil {
				out = append(out, nv)
			}
		}
		return out
	case strings.HasPrefix(ct, "application/json"), strings.HasPrefix(ct, "application/geo+json"):
		if !json.Valid(body) {
			t.Errorf("invalid JSON: %s", v.chain())
		}
	case strings.HasPrefix(ct, "application/pdf"):
		if !bytes.HasPrefix(body, []byte("%PDF-")) {
			t.Errorf("not a PDF: %s", v.chain())
		}
	case strings.HasPrefix(ct, "application/atom+xml"):
		var feed struct {
			XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		}
		if err := xml.Unmarshal(body, &feed); err != nil {
			t.Errorf("not an Atom feed (%v): %s", err, v.chain())
		}
	case strings.HasPrefix(ct, "text/calendar"):
		if !bytes.HasPrefix(body, []byte("BEGIN:VCALENDAR")) {
			t.Errorf("not an iCalendar file: %s", v.chain())
		}
	case strings.HasPrefix(ct, "text/csv"), strings.HasPrefix(ct, "text/css"), strings.HasPrefix(ct, "text/javascript"),
		strings.HasPrefix(ct, "application/vnd.openxmlformats"), strings.HasPrefix(ct, "image/"):
	default:
		if resp.StatusCode < 400 {
			t.Errorf("unexpected content type %q: %s", ct, v.chain())
		}
	}
	return nil
}

// balanced are the elements our templates always close: their start and
// end tags must nest, or a page's structure is broken even where a browser
// repairs it silently.
var balanced = map[string]bool{"html": true, "head": true, "body": true, "main": true, "header": true, "footer": true, "nav": true,
	"section": true, "article": true, "div": true, "form": true, "fieldset": true, "table": true, "thead": true, "tbody": true,
	"ul": true, "ol": true, "dl": true, "select": true, "textarea": true, "a": true, "button": true, "label": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "script": true, "title": true}

// once are the elements every page has exactly one of.
var once = []string{"html", "head", "body", "main", "h1", "title"}

// checkPage checks a page's HTML and returns where its links and GET forms
// lead, and what is wrong with it.
func checkPage(body []byte) (links, problems []string) {
	if bytes.Contains(body, []byte("<no value>")) {
		problems = append(problems, "a template printed <no value>")
	}
	if bytes.Contains(body, []byte("%!")) {
		problems = append(problems, "a formatting error (%!) in the page")
	}
	count := map[string]int{}
	var stack []string
	// A chart's SVG has a <title> of its own: only the document's counts.
	inSVG := 0
	z := html.NewTokenizer(bytes.NewReader(body))
tokens:
	for {
		switch z.Next() {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				problems = append(problems, "the HTML does not tokenize: "+z.Err().Error())
			}
			break tokens
		case html.StartTagToken:
			name, _ := z.TagName()
			n := string(name)
			switch {
			case n == "svg":
				inSVG++
			case inSVG > 0:
				n = "svg:" + n
			}
			count[n]++
			if balanced[n] {
				stack = append(stack, n)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			n := string(name)
			switch {
			case n == "svg":
				inSVG--
			case inSVG > 0:
				n = "svg:" + n
			}
			if !balanced[n] {
				continue
			}
			if len(stack) == 0 || stack[len(stack)-1] != n {
				problems = append(problems, fmt.Sprintf("</%s> closes <%s>", n, strings.Join(stack[max(0, len(stack)-1):], "")))
				break tokens
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 && len(problems) == 0 {
		problems = append(problems, "unclosed elements: "+strings.Join(stack, " > "))
	}
	for _, n := range once {
		if count[n] != 1 {
			problems = append(problems, fmt.Sprintf("%d <%s> elements, want 1", count[n], n))
		}
	}
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return nil, append(problems, "the HTML does not parse: "+err.Error())
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "a":
				if h, ok := attr(n, "href"); ok {
					links = append(links, h)
				}
			case "link":
				if h, ok := attr(n, "href"); ok {
					links = append(links, h)
				}
			case "script":
				if h, ok := attr(n, "src"); ok {
					links = append(links, h)
				}
			case "form":
				if m, _ := attr(n, "method"); m == "" || strings.EqualFold(m, "get") {
					links = append(links, formURL(n))
				}
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(doc)
	return links, problems
}

func attr(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

// formURL is where a GET form goes when submitted as it is shown: its
// inputs with their values, checked boxes, each select's chosen option.
func formURL(form *html.Node) string {
	vals := url.Values{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			name, named := attr(n, "name")
			_, disabled := attr(n, "disabled")
			if named && !disabled {
				switch n.Data {
				case "input":
					typ, _ := attr(n, "type")
					val, _ := attr(n, "value")
					_, checked := attr(n, "checked")
					switch strings.ToLower(typ) {
					case "checkbox", "radio":
						if checked {
							vals.Add(name, cmp.Or(val, "on"))
						}
					case "submit", "button", "reset", "image", "file":
					default:
						vals.Add(name, val)
					}
				case "textarea":
					var b strings.Builder
					for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
						b.WriteString(ch.Data)
					}
					vals.Add(name, b.String())
				case "select":
					var first, chosen []string
					var options func(n *html.Node)
					options = func(n *html.Node) {
						if n.Type == html.ElementNode && n.Data == "option" {
							v, ok := attr(n, "value")
							if !ok && n.FirstChild != nil {
								v = strings.TrimSpace(n.FirstChild.Data)
							}
							if first == nil {
								first = []string{v}
							}
							if _, sel := attr(n, "selected"); sel {
								chosen = append(chosen, v)
							}
						}
						for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
							options(ch)
						}
					}
					options(n)
					if chosen == nil {
						chosen = first
					}
					for _, v := range chosen {
						vals.Add(name, v)
					}
					return
				}
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(form)
	action, _ := attr(form, "action")
	u, err := url.Parse(action)
	if err != nil {
		return action
	}
	u.RawQuery = vals.Encode()
	return u.String()
}
