package export

import (
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// auditKeys are the columns of the audit log.
var auditKeys = []string{"at", "actor", "action", "object_type", "object_id", "ip"}

// Audit is the export of audit log entries, their dates in UTC as the
// page shows them.
func Audit(rd Reader, entries []*rencontres.AuditEntry) *Table {
	t := AuditColumns(rd)
	for _, e := range entries {
		if e.At.After(t.Modified) {
			t.Modified = e.At
		}
		t.Rows = append(t.Rows, AuditRow(e))
	}
	return t
}

// AuditColumns is the audit log's table without its rows, for Stream.
func AuditColumns(rd Reader) *Table {
	t := &Table{}
	for _, k := range auditKeys {
		c := Column{Key: k}
		if !rd.API {
			c.Title = rd.P.T("export.audit_" + k)
		}
		t.Columns = append(t.Columns, c)
	}
	if !rd.API {
		t.Yes, t.No = rd.P.T("export.yes"), rd.P.T("export.no")
	}
	return t
}

// AuditRow is the row of an entry of the audit log.
func AuditRow(e *rencontres.AuditEntry) []any {
	return []any{e.At.In(time.UTC), e.ActorEmail, e.Action, e.ObjectType, e.ObjectID, e.IP}
}
