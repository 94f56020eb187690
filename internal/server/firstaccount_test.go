package server

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// Before anyone has an account, signing in leads nowhere: the empty
// product's first page says, in each language, which command creates the
// first secretariat account; once one exists it offers to sign in.
func TestEmptyProductSaysHowToCreateTheFirstAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		p, err := build(st, Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(p.handler)
		t.Cleanup(srv.Close)
		for lang, want := range map[string]string{"fr": "Aucun compte du secrétariat", "ja": "事務局のアカウントはまだありません", "en": "No secretariat account exists yet"} {
			code, body := fetch(t, srv, nil, "/"+lang+"/")
			if code != 200 || !strings.Contains(body, want) || !strings.Contains(body, "rencontres admin create --email") {
				t.Errorf("%s: the first page (%d) of a product without accounts does not say how to create one", lang, code)
			}
		}
		// A server of its own, whose micro-cache has not kept the page.
		after, _ := emptyProduct(t, st)
		if _, body := fetch(t, after, nil, "/fr/"); strings.Contains(body, "rencontres admin create") || !strings.Contains(body, "/fr/login") {
			t.Error("once a secretariat account exists, the first page still tells how to create one instead of offering to sign in")
		}
	})
}
