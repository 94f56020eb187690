package main

import (
	"context"
	"errors"
	"io"
)

// importRefdata is replaced when the reference-data importer lands.
func importRefdata(ctx context.Context, args []string, stdout io.Writer) error {
	return errors.New("not available yet")
}
