package store

import "github.com/rencontres/rencontres/internal/rencontres"

// errNotBuilt is what the placeholders of issue 16's parts answer until
// each is built (declaration_*_todo.go); this file goes with the last.
var errNotBuilt = rencontres.Errorf(rencontres.EINTERNAL, "error.internal", "this part of the declaration is not built yet")
