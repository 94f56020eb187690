package auth

import (
	"strings"
	"testing"
)

func TestTokensAreRandomAndParse(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		tok, hash := NewSessionToken()
		if seen[tok] {
			t.Fatal("a session token repeated")
		}
		seen[tok] = true
		if got, err := ParseSecret(tok); err != nil || got != tok {
			t.Fatalf("ParseSecret(%q) = %q, %v", tok, got, err)
		}
		if hash != Hash(tok) || len(hash) != 64 || strings.Contains(hash, tok) {
			t.Fatalf("hash %q of %q", hash, tok)
		}
	}
	api, hash, prefix := NewAPIToken()
	if !strings.HasPrefix(api, "rct_") || !strings.HasPrefix(api, prefix) || len(prefix) != 10 || hash != Hash(api) {
		t.Errorf("API token %q, prefix %q", api, prefix)
	}
	if got, err := ParseBearer("Bearer " + api); err != nil || got != api {
		t.Errorf("ParseBearer(Bearer %s) = %q, %v", api, got, err)
	}
	if got, err := ParseBearer("bearer  " + api); err != nil || got != api {
		t.Errorf("ParseBearer with lower-case scheme and two spaces = %q, %v", got, err)
	}
}

func TestParsersRefuse(t *testing.T) {
	valid := strings.Repeat("A", 43)
	for _, h := range []string{
		"Basic dXNlcjpwYXNz",
		"Bearer",
		"Bearer ",
		"Bearer " + valid, // no rct_ prefix
		"Bearer rct_" + valid[:42],
		"Bearer rct_" + valid + "A",
		"Bearer rct_" + valid[:42] + "=",
		"Bearer rct_" + valid[:42] + "é",
		"Token rct_" + valid,
		"Bearerrct_" + valid,
	} {
		if _, err := ParseBearer(h); err == nil {
			t.Errorf("ParseBearer(%q) accepted", h)
		}
	}
	if tok, err := ParseBearer(""); err != nil || tok != "" {
		t.Errorf("an absent header is not anonymous: %q, %v", tok, err)
	}
	for _, c := range []string{"", "abc", valid + "A", valid[:42] + "/", valid[:42] + "+", valid[:42] + " "} {
		if _, err := ParseSecret(c); err == nil {
			t.Errorf("ParseSecret(%q) accepted", c)
		}
	}
}

func TestPasswords(t *testing.T) {
	if err := CheckPasswordRules("short"); err == nil {
		t.Error("a 5-character password is accepted")
	}
	if err := CheckPasswordRules(strings.Repeat("x", MaxPasswordLen+1)); err == nil {
		t.Error("an over-long password is accepted")
	}
	// Twelve characters, counted as characters, not bytes.
	if err := CheckPasswordRules("日仏自治体交流会議の秘密だ"); err != nil {
		t.Errorf("a 13-character Japanese password is refused: %v", err)
	}
	hash, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$") || strings.Contains(hash, "correct horse") {
		t.Errorf("hash %q is not an argon2id hash", hash)
	}
	if !CheckPassword("correct horse battery", hash) {
		t.Error("the right password does not match")
	}
	for _, wrong := range []string{"correct horse batterz", "", "Correct horse battery"} {
		if CheckPassword(wrong, hash) {
			t.Errorf("%q matches", wrong)
		}
	}
	if CheckPassword("anything at all", "") {
		t.Error("an empty hash matches")
	}
	other, _ := HashPassword("correct horse battery")
	if other == hash {
		t.Error("two hashes of one password are equal: no salt")
	}
}

// The parsers never panic and never accept what a token cannot be.
func FuzzParseBearer(f *testing.F) {
	tok, _, _ := NewAPIToken()
	for _, s := range []string{"", "Bearer " + tok, "Bearer rct_", "Basic abc", "bearer " + tok + " ", "Bearer rct_" + strings.Repeat("\xff", 43)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		got, err := ParseBearer(h)
		if err != nil || got == "" {
			return
		}
		if !strings.HasPrefix(got, APITokenPrefix) || len(got) != len(APITokenPrefix)+secretLen {
			t.Fatalf("ParseBearer(%q) accepted %q", h, got)
		}
		if _, err := ParseSecret(got[len(APITokenPrefix):]); err != nil {
			t.Fatalf("ParseBearer(%q) accepted a bad secret %q", h, got)
		}
	})
}

func FuzzParseSecret(f *testing.F) {
	tok, _ := NewSessionToken()
	for _, s := range []string{"", tok, tok + "x", strings.Repeat("-", 43), strings.Repeat("é", 21)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseSecret(s)
		if err != nil {
			return
		}
		if got != s || len(got) != secretLen {
			t.Fatalf("ParseSecret(%q) = %q", s, got)
		}
		for _, c := range []byte(got) {
			if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				t.Fatalf("ParseSecret(%q) accepted byte %q", s, c)
			}
		}
	})
}
