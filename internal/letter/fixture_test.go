package letter_test

import (
	"time"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/rencontres"
)

var paris, _ = time.LoadLocation("Europe/Paris")

// seed001 is the data of seed 001, the invitation to the 8th Rencontres'
// first French steering committee, with a fictitious recipient.
func seed001() letter.Data {
	return letter.Data{
		Date: rencontres.Date{Year: 2023, Month: 7, Day: 11},
		Recipient: letter.Recipient{
			Authority: rencontres.Text{"fr": "Ville de Villeneuve-sur-Loire", "ja": "ヴィルヌーヴ＝シュル＝ロワール市"},
		},
		Event: letter.Event{
			Number: 8,
			Title:  rencontres.Text{"fr": "Rencontres franco-japonaises de la coopération décentralisée", "ja": "日仏自治体交流会議", "en": "Franco-Japanese Meetings on Decentralised Cooperation"},
			Start:  rencontres.Date{Year: 2024, Month: 11, Day: 18},
			End:    rencontres.Date{Year: 2024, Month: 11, Day: 21},
			Zone:   "Asia/Tokyo",
			City:   rencontres.Text{"fr": "Shizuoka", "ja": "静岡市"},
		},
		Meeting: letter.Event{
			Title: rencontres.Text{"fr": "première réunion du comité de pilotage large français", "ja": "フランス側第1回拡大運営委員会", "en": "first meeting of the enlarged French steering committee"},
			Start: rencontres.Date{Year: 2023, Month: 9, Day: 18},
			End:   rencontres.Date{Year: 2023, Month: 9, Day: 18},
			From:  time.Date(2023, 9, 18, 16, 30, 0, 0, paris),
			To:    time.Date(2023, 9, 18, 18, 0, 0, 0, paris),
			Zone:  "Europe/Paris",
			Venue: rencontres.Text{"fr": "Cité des Sciences et de l'Industrie", "ja": "シテ・デ・シアンス・エ・ド・ランデュストリー"},
			City:  rencontres.Text{"fr": "Paris", "ja": "パリ"},
		},
		Deadline: time.Date(2023, 9, 4, 23, 59, 0, 0, paris),
		Link:     "https://rencontres.example.org/fr/r/7KQ2M9XW4P",
	}
}
