package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// MaxDescription bounds an endpoint's description.
const MaxDescription = 200

// Check checks an endpoint as the secretariat gives it: an https address
// (http only with allowPrivate, for a receiver on the same network) whose
// host resolves to public addresses only, unless allowPrivate; at least
// one known type of event; a description of reasonable length. Every
// fault is reported, each on its field.
func Check(ctx context.Context, e *rencontres.WebhookEndpoint, allowPrivate bool) error {
	var errs []error
	e.URL, e.Description = strings.TrimSpace(e.URL), strings.TrimSpace(e.Description)
	if err := checkURL(ctx, e.URL, allowPrivate); err != nil {
		errs = append(errs, err)
	}
	if len(e.EventTypes) == 0 {
		errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.webhook_no_types", Field: "event_types", Message: "choose at least one type of event"})
	}
	for _, t := range e.EventTypes {
		if !slices.Contains(rencontres.HookTypes, t) {
			errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.webhook_unknown_type", Field: "event_types",
				Message: fmt.Sprintf("unknown type of event %q", t), Args: map[string]any{"Value": t}})
			break
		}
	}
	slices.Sort(e.EventTypes)
	e.EventTypes = slices.Compact(e.EventTypes)
	if utf8.RuneCountInString(e.Description) > MaxDescription {
		errs = append(errs, &rencontres.Error{Code: rencontres.EINVALID, Key: "error.too_long", Field: "description", Message: "too long",
			Args: map[string]any{"Max": MaxDescription}})
	}
	return rencontres.Join(errs...)
}

func urlErr(key, msg string, args map[string]any) error {
	return &rencontres.Error{Code: rencontres.EINVALID, Key: key, Field: "url", Message: msg, Args: args}
}

func checkURL(ctx context.Context, raw string, allowPrivate bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil {
		return urlErr("error.webhook_url_invalid", "give an address such as https://crm.example.org/hooks/rencontres", nil)
	}
	if u.Scheme != "https" && !allowPrivate {
		return urlErr("error.webhook_url_https", "the address must begin with https://", nil)
	}
	if len(raw) > 2000 {
		return urlErr("error.too_long", "too long", map[string]any{"Max": 2000})
	}
	if allowPrivate {
		return nil
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", u.Hostname())
	if err != nil || len(addrs) == 0 {
		return urlErr("error.webhook_url_unresolved", "the address's host cannot be found", map[string]any{"Host": u.Hostname()})
	}
	for _, a := range addrs {
		if !public(a) {
			return urlErr("error.webhook_url_private", "the address leads to a private network", map[string]any{"Host": u.Hostname(), "IP": a.String()})
		}
	}
	return nil
}

// public reports whether an address is on the public internet: not
// loopback, link-local, private, shared (100.64/10), unspecified or
// multicast.
func public(a netip.Addr) bool {
	a = a.Unmap()
	cgnat := netip.MustParsePrefix("100.64.0.0/10")
	return a.IsGlobalUnicast() && !a.IsPrivate() && !cgnat.Contains(a)
}

// errPrivate is the refusal of a connection to a private address when
// the delivery's host resolved there after it was checked.
var errPrivate = errors.New("webhook: the address leads to a private network")

// guard refuses, at connection time, an address that is not public: the
// host may have resolved elsewhere when it was checked.
func guard(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil || !public(ap.Addr()) {
		return errPrivate
	}
	return nil
}
