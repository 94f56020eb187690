package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rencontres/rencontres/internal/auth"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"golang.org/x/term"
)

// adminLinkLifetime is how long the one-time link of a new secretariat
// account stays valid: long enough to be forwarded to its owner.
const adminLinkLifetime = 24 * time.Hour

// stdin is where passwords are read from; tests replace it.
var stdin io.Reader = os.Stdin

// admin runs `rencontres admin create`.
func admin(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return usageError{"admin: want `rencontres admin create --email …`"}
	}
	fs := flag.NewFlagSet("admin create", flag.ContinueOnError)
	var f dbFlags
	f.register(fs)
	email := fs.String("email", "", "address of the new secretariat account (required)")
	name := fs.String("name", "", "name, given name then FAMILY NAME")
	lang := fs.String("lang", "fr", "language of the account: fr, ja or en")
	fromStdin := fs.Bool("password-stdin", false, fmt.Sprintf("read the password, %d characters at least, from standard input instead of printing a one-time link", auth.MinPasswordLen))
	base := fs.String("base-url", envOr("RENCONTRES_BASE_URL", "http://127.0.0.1:8080"), "public address of the site, for the link (RENCONTRES_BASE_URL)")
	if err := parse(fs, args[1:], stdout); err != nil {
		return err
	}
	if *email == "" {
		return usageError{"admin create: --email is required"}
	}
	u := &rencontres.User{Email: *email, Name: *name, Lang: rencontres.Lang(*lang), Role: rencontres.Secretariat}
	if err := u.Validate(); err != nil {
		return err
	}
	// A password is asked on a terminal (never echoed) or read from
	// standard input; otherwise the account gets a one-time link.
	var hash string
	interactive := !*fromStdin && isTerminal(stdin)
	if interactive || *fromStdin {
		pw, err := readPassword(stdin, stderr, interactive)
		if err != nil {
			return err
		}
		if hash, err = auth.HashPassword(pw); err != nil {
			return err
		}
	}
	st, err := openMigrated(ctx, f)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.CreateUser(ctx, u, hash); err != nil {
		return err
	}
	if err := st.Audit(ctx, &rencontres.AuditEntry{Action: "person.create", ObjectType: "user", ObjectID: u.Email,
		Detail: map[string]any{"role": string(u.Role), "via": "command line"}}); err != nil {
		return err
	}
	if hash != "" {
		fmt.Fprintf(stdout, "Secretariat account %s created; sign in at %s/%s/login\n", u.Email, strings.TrimSuffix(*base, "/"), u.Lang)
		return nil
	}
	tok, linkHash := auth.NewLinkToken()
	now := time.Now()
	if err := st.CreateMagicLink(ctx, linkHash, u.ID, u.Email, now, now.Add(adminLinkLifetime)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Secretariat account %s created. One-time sign-in link, valid 24 hours (then set a password on the account page):\n%s/%s/login/link/%s\n",
		u.Email, strings.TrimSuffix(*base, "/"), u.Lang, tok)
	return nil
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// readPassword reads a password: twice without echo on a terminal, one
// line otherwise.
func readPassword(r io.Reader, prompt io.Writer, interactive bool) (string, error) {
	if !interactive {
		line, err := bufio.NewReader(r).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	fd := int(r.(*os.File).Fd())
	fmt.Fprintf(prompt, "Password (%d characters at least): ", auth.MinPasswordLen)
	a, err := term.ReadPassword(fd)
	fmt.Fprintln(prompt)
	if err != nil {
		return "", err
	}
	fmt.Fprint(prompt, "Same password again: ")
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(prompt)
	if err != nil {
		return "", err
	}
	if string(a) != string(b) {
		return "", errors.New("the two passwords differ")
	}
	return string(a), nil
}

// token runs `rencontres token create`: a personal API token for scripts,
// printed once.
func token(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return usageError{"token: want `rencontres token create --email …`"}
	}
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	var f dbFlags
	f.register(fs)
	email := fs.String("email", "", "address of the token's owner (required)")
	name := fs.String("name", "command line", "a name to tell the token apart")
	if err := parse(fs, args[1:], stdout); err != nil {
		return err
	}
	if *email == "" {
		return usageError{"token create: --email is required"}
	}
	st, err := openMigrated(ctx, f)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByEmail(ctx, *email)
	if err != nil {
		return fmt.Errorf("no account uses %s", *email)
	}
	if u.Disabled {
		return fmt.Errorf("the account %s is disabled", u.Email)
	}
	tok, hash, prefix := auth.NewAPIToken()
	t, err := st.CreateAPIToken(ctx, u.ID, *name, hash, prefix)
	if err != nil {
		return err
	}
	if err := st.Audit(ctx, &rencontres.AuditEntry{ActorID: u.ID, ActorEmail: u.Email, Action: "token.create", ObjectType: "token",
		ObjectID: fmt.Sprint(t.ID), Detail: map[string]any{"name": *name, "via": "command line"}}); err != nil {
		return err
	}
	fmt.Fprintln(stdout, tok)
	return nil
}

func openMigrated(ctx context.Context, f dbFlags) (*store.Store, error) {
	st, err := store.Open(ctx, f.db, f.data)
	if err != nil {
		return nil, err
	}
	if _, err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}
