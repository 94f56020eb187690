package i18n

import (
	"testing"
	"time"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Hours read in another zone say when they fall on another day than the
// one the sentence names: the Paris meeting, 16:30–18:00 on
// 18 September 2023, ends after midnight in Tokyo.
func TestTimeRangeOtherDay(t *testing.T) {
	c := MustLoad()
	paris, _ := time.LoadLocation("Europe/Paris")
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	day := rencontres.Date{Year: 2023, Month: 9, Day: 18}
	at := func(loc *time.Location, d, h, m int) time.Time { return time.Date(2023, 9, d, h, m, 0, 0, loc) }
	for _, tc := range []struct {
		name       string
		day        rencontres.Date
		start, end time.Time
		want       map[rencontres.Lang]string
	}{
		{"same day", day, at(paris, 18, 16, 30), at(paris, 18, 18, 0),
			map[rencontres.Lang]string{"fr": "de 16h30 à 18h00", "ja": "16:30〜18:00", "en": "16:30–18:00"}},
		{"Paris afternoon read in Tokyo", day, at(paris, 18, 16, 30).In(tokyo), at(paris, 18, 18, 0).In(tokyo),
			map[rencontres.Lang]string{"fr": "de 23h30 à 1h00 le lendemain", "ja": "23:30〜翌日01:00", "en": "23:30 – 01:00 the next day"}},
		{"Tokyo morning read in Paris", rencontres.Date{Year: 2023, Month: 9, Day: 19}, at(tokyo, 19, 6, 0).In(paris), at(tokyo, 19, 8, 0).In(paris),
			map[rencontres.Lang]string{"fr": "de 23h00 la veille à 1h00", "ja": "前日23:00〜01:00", "en": "23:00 the day before – 01:00"}},
		{"both on the next day", day, at(paris, 18, 18, 0).In(tokyo), at(paris, 18, 19, 0).In(tokyo),
			map[rencontres.Lang]string{"fr": "de 1h00 le lendemain à 2h00 le lendemain", "ja": "翌日01:00〜翌日02:00", "en": "01:00 the next day – 02:00 the next day"}},
		{"two days later", day, at(paris, 20, 9, 0), at(paris, 20, 10, 0),
			map[rencontres.Lang]string{"fr": "de 9h00 le 20 septembre 2023 à 10h00 le 20 septembre 2023", "ja": "9月20日09:00〜9月20日10:00", "en": "09:00 on 20 September 2023 – 10:00 on 20 September 2023"}},
	} {
		for lang, want := range tc.want {
			if got := c.Printer(lang).TimeRangeOn(tc.day, tc.start, tc.end); got != want {
				t.Errorf("%s, %s: TimeRangeOn = %q, want %q", tc.name, lang, got, want)
			}
		}
	}
	// TimeRange names the start's own day: only the end can move.
	start, end := at(paris, 18, 16, 30).In(tokyo), at(paris, 18, 18, 0).In(tokyo)
	for lang, want := range map[rencontres.Lang]string{"fr": "de 23h30 à 1h00 le lendemain", "ja": "23:30〜翌日01:00", "en": "23:30 – 01:00 the next day"} {
		if got := c.Printer(lang).TimeRange(start, end); got != want {
			t.Errorf("%s TimeRange = %q, want %q", lang, got, want)
		}
	}
}
