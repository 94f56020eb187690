package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/demo"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

func TestProgrammeClashes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, s); err != nil {
			t.Fatal(err)
		}
		// The 8th edition has no programme in the demo; the 7th has one.
		e7, _ := s.Edition(ctx, "rencontres-franco-japonaises", 8)
		e8, _ := s.Edition(ctx, "rencontres-franco-japonaises", 7)
		hall := &rencontres.Room{Name: rencontres.Text{"fr": "Grand amphithéâtre", "ja": "大ホール"}, Capacity: 400}
		if err := s.SaveRoom(ctx, e7.ID, hall); err != nil {
			t.Fatal(err)
		}
		other := &rencontres.Room{Name: rencontres.Text{"fr": "Salle 2"}}
		s.SaveRoom(ctx, e8.ID, other)
		tokyo, _ := time.LoadLocation("Asia/Tokyo")
		at := func(h, m int) time.Time { return time.Date(2024, 11, 19, h, m, 0, 0, tokyo) }
		rt1 := &rencontres.Session{EditionID: e7.ID, Kind: rencontres.RoundTable, Title: rencontres.Text{"fr": "Table ronde 1", "ja": "パネルディスカッション1"},
			Start: at(9, 30), End: at(11, 0), RoomID: hall.ID, SDGs: []int{11, 17}, Interpretation: true,
			Speakers: []rencontres.Speaker{{Person: "Nadia BENSAÏD", Role: "moderator", OrgKey: "fr-13001"}, {Person: "Kenji MORI", Role: "speaker", OrgKey: "jp-431001"}}}
		if err := s.SaveSession(ctx, rt1); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name  string
			ses   rencontres.Session
			code  string
			field string
			says  string
		}{
			{"same room, overlapping", rencontres.Session{Kind: rencontres.Plenary, Title: rencontres.Text{"fr": "Plénière"}, Start: at(10, 30), End: at(12, 0), RoomID: hall.ID},
				rencontres.ECONFLICT, "room", "Table ronde 1"},
			{"speaker elsewhere, accents and case aside", rencontres.Session{Kind: rencontres.WorkshopKind, Title: rencontres.Text{"fr": "Atelier économie"}, Start: at(10, 0), End: at(12, 0),
				Speakers: []rencontres.Speaker{{Person: "nadia bensaid", Role: "speaker"}}}, rencontres.ECONFLICT, "speakers[0]", "Table ronde 1"},
			{"room of another edition", rencontres.Session{Kind: rencontres.WorkshopKind, Title: rencontres.Text{"fr": "X"}, Start: at(14, 0), End: at(15, 0), RoomID: other.ID},
				rencontres.EINVALID, "room", ""},
			{"unknown speaker's authority", rencontres.Session{Kind: rencontres.WorkshopKind, Title: rencontres.Text{"fr": "X"}, Start: at(14, 0), End: at(15, 0),
				Speakers: []rencontres.Speaker{{Person: "A B", Role: "speaker", OrgKey: "fr-00000"}}}, rencontres.ENOTFOUND, "organisation", ""},
			{"outside the edition's days", rencontres.Session{Kind: rencontres.Visit, Title: rencontres.Text{"fr": "Visite"},
				Start: at(9, 0).AddDate(0, 0, 3), End: at(12, 0).AddDate(0, 0, 3)}, rencontres.EINVALID, "start", "2024-11-18"},
		} {
			ses := tc.ses
			ses.EditionID = e7.ID
			err := s.SaveSession(ctx, &ses)
			var e *rencontres.Error
			if !errors.As(err, &e) || e.Code != tc.code || e.Field != tc.field || !strings.Contains(e.Message, tc.says) {
				t.Errorf("%s: %v, want %s on %s naming %q", tc.name, err, tc.code, tc.field, tc.says)
			}
		}
		// Touching is no clash, nor is a session with itself.
		next := &rencontres.Session{EditionID: e7.ID, Kind: rencontres.WorkshopKind, Title: rencontres.Text{"fr": "Atelier société"},
			Start: at(11, 0), End: at(12, 30), RoomID: hall.ID, Speakers: []rencontres.Speaker{{Person: "Kenji MORI", Role: "speaker"}}}
		if err := s.SaveSession(ctx, next); err != nil {
			t.Errorf("a session starting as the previous ends: %v", err)
		}
		rt1.Title["en"] = "Round table 1"
		if err := s.SaveSession(ctx, rt1); err != nil {
			t.Errorf("updating a session: %v", err)
		}
		got, err := s.Sessions(ctx, e7.ID)
		if err != nil || len(got) != 2 {
			t.Fatalf("sessions = %d, %v", len(got), err)
		}
		if got[0].Title["en"] != "Round table 1" || len(got[0].Speakers) != 2 || got[0].Speakers[1].OrgKey != "jp-431001" ||
			fmt.Sprint(got[0].SDGs) != "[11 17]" || !got[0].Interpretation || !got[0].Start.Equal(at(9, 30)) {
			t.Errorf("first session read back = %+v", got[0])
		}
		// Eight clashing sessions saved at once: exactly one gets the room.
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok := 0
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ses := &rencontres.Session{EditionID: e7.ID, Kind: rencontres.MicroWorkshop, Title: rencontres.Text{"fr": fmt.Sprintf("Micro-atelier %d", i)},
					Start: at(15, i), End: at(16, 0), RoomID: hall.ID}
				if err := s.SaveSession(ctx, ses); err == nil {
					mu.Lock()
					ok++
					mu.Unlock()
				} else if rencontres.ErrorCode(err) != rencontres.ECONFLICT {
					t.Errorf("concurrent save: %v", err)
				}
			}()
		}
		wg.Wait()
		if ok != 1 {
			t.Errorf("%d of 8 clashing sessions were saved, want 1", ok)
		}
	})
}
