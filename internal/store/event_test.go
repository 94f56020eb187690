package store_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

func wantError(t *testing.T, what string, err error, code, field, key string) {
	t.Helper()
	var e *rencontres.Error
	if !errors.As(err, &e) || e.Code != code || e.Field != field || e.Key != key {
		t.Errorf("%s: %v (%+v), want %s %s on %q", what, err, e, code, key, field)
	}
}

func TestEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, s); err != nil {
			t.Fatal(err)
		}
		e7, _ := s.Edition(ctx, "rencontres-franco-japonaises", 7)
		raict11, _ := s.Edition(ctx, "raict", 11)
		french := e7.Committees[0]
		d := func(v string) rencontres.Date { x, _ := rencontres.ParseDate(v); return x }

		// A meeting held within the RAICT, 22 September 2020, 16:00–17:30.
		m := &rencontres.Event{Kind: rencontres.CommitteeMeeting, CommitteeID: french.ID, WithinID: raict11.ID,
			Title: rencontres.Text{"fr": "4e réunion du comité de pilotage français", "ja": "第4回フランス側運営委員会"},
			Venue: rencontres.Text{"fr": "Cité des sciences et de l'industrie"}, Address: "30 avenue Corentin-Cariou, 75019 Paris",
			TimeZone: "Europe/Paris", Start: d("2020-09-22"), End: d("2020-09-22"), StartTime: "16:00", EndTime: "17:30", Status: rencontres.Planned}
		if err := s.SaveEvent(ctx, m, nil); err != nil {
			t.Fatal(err)
		}
		got, err := s.Event(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.EditionID != e7.ID || got.Within == nil || got.Within.Number != 11 || got.Address != m.Address ||
			got.StartsAt().UTC().Format("15:04") != "14:00" || got.EndsAt().UTC().Format("15:04") != "15:30" {
			t.Errorf("meeting read back = %+v", got)
		}

		// Refusals, each on its field.
		bad := func(change func(e *rencontres.Event)) error {
			e := *m
			e.ID = 0
			change(&e)
			return s.SaveEvent(ctx, &e, nil)
		}
		wantError(t, "outside its host's days", bad(func(e *rencontres.Event) { e.Start, e.End = d("2020-09-23"), d("2020-09-23") }),
			rencontres.EINVALID, "start", "error.outside_host")
		wantError(t, "end before start", bad(func(e *rencontres.Event) { e.EndTime = "15:00" }), rencontres.EINVALID, "end_time", "error.end_before_start")
		wantError(t, "a zone that does not exist", bad(func(e *rencontres.Event) { e.TimeZone = "Europe/Lutece" }), rencontres.EINVALID, "time_zone", "error.bad_time_zone")
		wantError(t, "a time that is not one", bad(func(e *rencontres.Event) { e.StartTime = "25:00" }), rencontres.EINVALID, "start_time", "error.bad_time")
		wantError(t, "one time only", bad(func(e *rencontres.Event) { e.EndTime = "" }), rencontres.EINVALID, "end_time", "error.times_pair")
		wantError(t, "an unknown committee", bad(func(e *rencontres.Event) { e.CommitteeID = 99999 }), rencontres.EINVALID, "committee_id", "error.unknown_committee")
		wantError(t, "an edition of no series", bad(func(e *rencontres.Event) { e.Kind = rencontres.EditionEvent }), rencontres.EINVALID, "series", "error.unknown_series")

		// Moving the meeting records the move, with its reason, and a
		// planned meeting moved later is postponed.
		m.WithinID = 0
		m.Start, m.End = d("2020-10-06"), d("2020-10-06")
		if err := s.SaveEvent(ctx, m, &rencontres.DateChange{Kind: rencontres.Postponement, Reason: rencontres.Text{"fr": "Salle indisponible"}}); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Event(ctx, m.ID)
		if len(got.DateChanges) != 1 || got.DateChanges[0].FromStart != d("2020-09-22") || got.DateChanges[0].ToStart != d("2020-10-06") ||
			got.DateChanges[0].Reason["fr"] != "Salle indisponible" || got.Status != rencontres.Postponed {
			t.Errorf("after the move: %+v", got)
		}
		// Cancelling keeps the event, marked so.
		got.Status = rencontres.Cancelled
		if err := s.SaveEvent(ctx, got, nil); err != nil {
			t.Fatal(err)
		}
		if again, _ := s.Event(ctx, m.ID); again.Status != rencontres.Cancelled || len(again.DateChanges) != 1 {
			t.Errorf("after cancelling: %+v", again)
		}

		// Editing an edition as an event keeps its edition's history.
		ev7, err := s.Event(ctx, e7.ID)
		if err != nil || ev7.Kind != rencontres.EditionEvent || len(ev7.DateChanges) != 2 || ev7.Series != "rencontres-franco-japonaises" {
			t.Fatalf("7th edition as an event = %+v, %v", ev7, err)
		}
		ev7.Address = "14 boulevard Carnot, 13100 Aix-en-Provence"
		if err := s.SaveEvent(ctx, ev7, nil); err != nil {
			t.Fatal(err)
		}
		if e, _ := s.Edition(ctx, "rencontres-franco-japonaises", 7); len(e.DateChanges) != 2 || e.Start != d("2022-10-03") {
			t.Errorf("7th edition after editing its event: %+v", e)
		}

		// The next edition is created as an event; its number is taken.
		tenth := &rencontres.Event{Kind: rencontres.EditionEvent, Series: "rencontres-franco-japonaises", TimeZone: "Asia/Tokyo",
			Start: d("2028-10-16"), End: d("2028-10-19"), Status: rencontres.Planned, Address: "Kobe"}
		if err := s.SaveEvent(ctx, tenth, nil); err != nil {
			t.Fatal(err)
		}
		if e, err := s.Edition(ctx, "rencontres-franco-japonaises", 10); err != nil || e.ID != tenth.ID || e.Year != 2028 {
			t.Errorf("10th edition = %+v, %v", e, err)
		}
		again := *tenth
		again.ID = 0
		wantError(t, "the same number twice", s.SaveEvent(ctx, &again, nil), rencontres.ECONFLICT, "number", "error.edition_exists")

		// Committees keep their ids when their edition is saved again, and
		// so keep their seats, meetings and accounts.
		e7.Committees = nil
		if err := s.SaveEdition(ctx, e7); err != nil {
			t.Fatal(err)
		}
		ref, err := s.Committee(ctx, french.ID)
		if err != nil || len(ref.Committee.Members) != len(french.Members) || len(ref.Committee.Meetings) != 2 {
			t.Fatalf("French committee after saving its edition: %+v, %v", ref, err)
		}
		seat := &rencontres.CommitteeSeat{Person: "Hélène ROUSSEAU", Role: "vice_chair", OrgKey: "fr-13055",
			MandateStart: d("2021-01-01"), MandateEnd: d("2022-12-31"), Function: rencontres.Text{"fr": "Adjointe au maire de Marseille"}}
		if err := s.AddSeat(ctx, french.ID, seat); err != nil {
			t.Fatal(err)
		}
		wantError(t, "a mandate ending before it starts", s.AddSeat(ctx, french.ID, &rencontres.CommitteeSeat{Person: "X Y", Role: "member",
			MandateStart: d("2022-01-01"), MandateEnd: d("2021-01-01")}), rencontres.EINVALID, "mandate_end", "error.end_before_start")
		wantError(t, "a role that does not exist", s.AddSeat(ctx, french.ID, &rencontres.CommitteeSeat{Person: "X Y", Role: "treasurer"}),
			rencontres.EINVALID, "role", "error.bad_role")
		ref, _ = s.Committee(ctx, french.ID)
		last := ref.Committee.Members[len(ref.Committee.Members)-1]
		if last.Person != seat.Person || last.MandateEnd != d("2022-12-31") || last.OrgKey != "fr-13055" {
			t.Errorf("new seat read back = %+v", last)
		}
		if err := s.DeleteSeat(ctx, french.ID, seat.ID); err != nil {
			t.Fatal(err)
		}

		// The agenda keeps its order; items move up and down.
		for _, title := range []string{"Accueil", "Programme", "Questions diverses"} {
			if err := s.SaveAgendaItem(ctx, &rencontres.AgendaItem{EventID: m.ID, Title: rencontres.Text{"fr": title}}); err != nil {
				t.Fatal(err)
			}
		}
		items, _ := s.AgendaItems(ctx, m.ID)
		if err := s.MoveAgendaItem(ctx, m.ID, items[2].ID, -1); err != nil {
			t.Fatal(err)
		}
		items, _ = s.AgendaItems(ctx, m.ID)
		var order []string
		for _, a := range items {
			order = append(order, a.Title["fr"])
		}
		if got := strings.Join(order, ", "); got != "Accueil, Questions diverses, Programme" {
			t.Errorf("agenda after moving up = %s", got)
		}
		wantError(t, "an item with no title", s.SaveAgendaItem(ctx, &rencontres.AgendaItem{EventID: m.ID}), rencontres.EINVALID, "title", "error.required")

		// Decisions are followed up across the committee's meetings.
		dec := &rencontres.Decision{EventID: m.ID, Text: rencontres.Text{"fr": "Envoyer le programme"}, Owner: "Sophie MARCHAND", Due: d("2020-10-20")}
		if err := s.SaveDecision(ctx, dec); err != nil {
			t.Fatal(err)
		}
		dec.Status, dec.Note = rencontres.DecisionDone, "Envoyé le 15 octobre"
		if err := s.SaveDecision(ctx, dec); err != nil {
			t.Fatal(err)
		}
		all, _ := s.CommitteeDecisions(ctx, french.ID)
		if len(all) != 3 || all[0].Status != rencontres.DecisionOpen || all[len(all)-1].Status != rencontres.DecisionDone {
			t.Errorf("committee decisions = %+v", all)
		}
	})
}

var (
	pdf = []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
	png = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
	exe = []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00\x00\x00\x00\x00\x00\x00@\x00\x00\x00\x00\x00\x00\x00")
)

// Documents are typed by their content: a PNG named .pdf, a program named
// .pdf, an empty or an oversized file are refused and nothing is stored.
func TestDocuments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, s); err != nil {
			t.Fatal(err)
		}
		e7, _ := s.Edition(ctx, "rencontres-franco-japonaises", 7)
		meeting := e7.Committees[0].Meetings[0]
		items, _ := s.AgendaItems(ctx, meeting.ID)
		doc := &rencontres.Document{EventID: meeting.ID, AgendaItem: items[1].ID, Name: "Ordre du jour prévisionnel.pdf"}
		if err := s.SaveDocument(ctx, doc, pdf, 0); err != nil {
			t.Fatal(err)
		}
		if doc.ContentType != "application/pdf" || doc.Size != int64(len(pdf)) || len(doc.SHA256) != 64 {
			t.Errorf("stored document = %+v", doc)
		}
		got, data, err := s.Document(ctx, doc.ID)
		if err != nil || !bytes.Equal(data, pdf) || got.Name != doc.Name || got.AgendaItem != items[1].ID {
			t.Errorf("document read back = %+v, %d bytes, %v", got, len(data), err)
		}
		for _, tc := range []struct {
			name string
			data []byte
			key  string
		}{
			{"programme.pdf", png, "error.file_extension_lies"},
			{"bulletin.pdf", exe, "error.bad_file_type"},
			{"vide.pdf", nil, "error.empty_file"},
			{"énorme.pdf", append(bytes.Clone(pdf), make([]byte, rencontres.MaxDocumentSize)...), "error.file_too_large"},
		} {
			wantError(t, tc.name, s.SaveDocument(ctx, &rencontres.Document{EventID: meeting.ID, Name: tc.name}, tc.data, 0), rencontres.EINVALID, "file", tc.key)
		}
		if err := s.SaveDocument(ctx, &rencontres.Document{EventID: meeting.ID, Name: "photo.png"}, png, 0); err != nil {
			t.Errorf("a PNG named .png: %v", err)
		}
		wantError(t, "an item of another meeting", s.SaveDocument(ctx, &rencontres.Document{EventID: e7.ID, AgendaItem: items[0].ID, Name: "a.pdf"}, pdf, 0),
			rencontres.EINVALID, "agenda_item", "error.unknown_agenda_item")
		docs, _ := s.Documents(ctx, meeting.ID)
		if len(docs) != 2 {
			t.Errorf("%d documents stored, want 2", len(docs))
		}
		items, _ = s.AgendaItems(ctx, meeting.ID)
		if len(items[1].Documents) != 1 || items[1].Documents[0].ID != doc.ID {
			t.Errorf("agenda item documents = %+v", items[1].Documents)
		}
	})
}
