package export_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/export"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/xuri/excelize/v2"
)

// A table streamed row by row writes the CSV the same table held whole
// writes, and a workbook whose cells read back typed; an error of the
// rows stops the stream and is returned.
func TestStreamWritesWhatATableWrites(t *testing.T) {
	rd := export.Reader{P: cat.Printer(rencontres.French)}
	at := time.Date(2026, 5, 1, 9, 30, 0, 0, time.UTC)
	var entries []*rencontres.AuditEntry
	for i := range 3 {
		entries = append(entries, &rencontres.AuditEntry{At: at.Add(time.Duration(i) * time.Minute), ActorEmail: "secretariat@example.org",
			Action: "person.invite", ObjectType: "user", ObjectID: "熊本市", IP: "192.0.2.1"})
	}
	rows := func(yield func([]any) error) error {
		for _, e := range entries {
			if err := yield(export.AuditRow(e)); err != nil {
				return err
			}
		}
		return nil
	}
	var whole, streamed bytes.Buffer
	if err := export.Audit(rd, entries).WriteCSV(&whole); err != nil {
		t.Fatal(err)
	}
	if err := export.AuditColumns(rd).Stream(&streamed, "csv", rows); err != nil {
		t.Fatal(err)
	}
	if got, want := streamed.String(), whole.String(); got != want {
		t.Errorf("streamed CSV:\n%s\nwant:\n%s", got, want)
	}
	var book bytes.Buffer
	if err := export.AuditColumns(rd).Stream(&book, "xlsx", rows); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&book)
	if err != nil {
		t.Fatal(err)
	}
	all, err := x.GetRows("Sheet1")
	if err != nil || len(all) != 4 || all[3][4] != "熊本市" {
		t.Fatalf("workbook rows %v, %v", all, err)
	}
	if v, _ := x.GetCellValue("Sheet1", "A2"); v != "2026-05-01 09:30:00" {
		t.Errorf("an instant reads %q", v)
	}
	stop := errors.New("stop")
	if err := export.AuditColumns(rd).Stream(&bytes.Buffer{}, "csv", func(func([]any) error) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("an error of the rows: %v", err)
	}
}
