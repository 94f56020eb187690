package mail

import (
	"fmt"
	"net/mail"
	"strings"
)

// ParseAddress checks an address the way a person would expect: a local
// part, an @ and a domain with a dot, no spaces, 254 characters at most.
func ParseAddress(s string) (Address, error) {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != strings.TrimSpace(s) && a.Name == "" || len(a.Address) > 254 {
		return Address{}, fmt.Errorf("%q is not an email address", s)
	}
	at := strings.LastIndexByte(a.Address, '@')
	if at < 1 || !strings.Contains(a.Address[at+1:], ".") || strings.ContainsAny(a.Address, " \t") {
		return Address{}, fmt.Errorf("%q is not an email address", s)
	}
	return Address{Name: a.Name, Email: a.Address}, nil
}
