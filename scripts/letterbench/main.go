// Command letterbench times the mail merge of issue 6: n letters rendered
// and written as one PDF per recipient, then as one combined PDF, and
// writes the same letters as OpenDocument files for LibreOffice to convert, so
// that scripts/letterbench.sh can time both on the same letters. People
// and links are fictitious.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/rencontres"
)

func main() {
	n := flag.Int("n", 5000, "letters to merge")
	workers := flag.Int("workers", 2, "letters written at once (the machine's cores)")
	out := flag.String("out", "letterbench.out", "folder for the PDFs and the HTML files")
	odtCount := flag.Int("odt", 200, "letters also written as OpenDocument files for LibreOffice")
	flag.Parse()
	fonts, err := letter.FindFonts()
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range []string{"pdf", "odt"} {
		if err := os.MkdirAll(filepath.Join(*out, d), 0o755); err != nil {
			log.Fatal(err)
		}
	}
	templates := map[rencontres.Lang]letter.Template{}
	for _, l := range []rencontres.Lang{rencontres.French, rencontres.Japanese} {
		t := letter.Default(l)
		t.Signatories = signatories(l)
		templates[l] = t
	}
	data := recipients(*n)
	lang := func(i int) rencontres.Lang {
		if i%5 == 4 { // one letter in five goes to a Japanese authority
			return rencontres.Japanese
		}
		return rencontres.French
	}
	render := func(i int) *letter.Letter {
		t := templates[lang(i)]
		l, err := letter.Render(&t, &data[i])
		if err != nil {
			log.Fatal(err)
		}
		return l
	}

	// One PDF per recipient, written by as many workers as cores.
	start := time.Now()
	var wg sync.WaitGroup
	next := make(chan int)
	for range *workers {
		wg.Go(func() {
			var buf bytes.Buffer
			for i := range next {
				buf.Reset()
				if err := letter.WritePDF(&buf, fonts, render(i)); err != nil {
					log.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(*out, "pdf", fmt.Sprintf("%05d.pdf", i)), buf.Bytes(), 0o644); err != nil {
					log.Fatal(err)
				}
			}
		})
	}
	for i := range data {
		next <- i
	}
	close(next)
	wg.Wait()
	perRecipient := time.Since(start)

	// One combined PDF to print: letters rendered on every core (Render
	// is pure), then written as one file.
	start = time.Now()
	letters := make([]*letter.Letter, len(data))
	for w := range *workers {
		wg.Go(func() {
			for i := w; i < len(data); i += *workers {
				letters[i] = render(i)
			}
		})
	}
	wg.Wait()
	f, err := os.Create(filepath.Join(*out, "all.pdf"))
	if err != nil {
		log.Fatal(err)
	}
	if err := letter.WritePDF(f, fonts, letters...); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	combined := time.Since(start)

	// The same letters as OpenDocument, for LibreOffice (not timed here).
	for i := range min(*odtCount, len(data)) {
		if err := os.WriteFile(filepath.Join(*out, "odt", fmt.Sprintf("%05d.fodt", i)), []byte(fodt(letters[i])), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("letters=%d per_recipient_s=%.3f combined_s=%.3f\n", len(data), perRecipient.Seconds(), combined.Seconds())
}

func signatories(l rencontres.Lang) []letter.Signatory {
	if l == rencontres.Japanese {
		return []letter.Signatory{{Name: "山田 花子", Function: []string{"一般財団法人自治体国際化協会パリ事務所長"}}}
	}
	return []letter.Signatory{
		{Name: "Claire DUVAL", Function: []string{"Présidente du Comité de pilotage français"}},
		{Name: "Paul LEROUX", Function: []string{"Président du groupe-pays Japon", "de Cités Unies France"}},
	}
}

// recipients are n fictitious recipients of the 8th Rencontres'
// invitation (seed 001), French and Japanese.
func recipients(n int) []letter.Data {
	given := []string{"Hélène", "Marc", "Sophie", "Julien", "Claire", "Thomas", "Anne", "Luc"}
	family := []string{"Marchand", "Roux", "Fontaine", "Girard", "Lambert", "Moreau", "Perrin", "Renaud"}
	jaFamily := []string{"森", "山本", "佐藤", "高橋", "田中", "中村"}
	jaGiven := []string{"健二", "花子", "誠", "由美", "翔太", "美咲"}
	functions := []rencontres.Text{
		{"fr": "Maire", "ja": "市長"},
		{"fr": "Adjointe au maire chargée des relations internationales", "ja": "国際交流担当副市長"},
		{"fr": "Président du conseil départemental", "ja": "知事"},
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	out := make([]letter.Data, n)
	for i := range out {
		out[i] = letter.Data{
			Date: rencontres.Date{Year: 2023, Month: 7, Day: 11},
			Recipient: letter.Recipient{
				Civility:   []string{"mme", "m", ""}[i%3],
				GivenName:  given[i%len(given)],
				FamilyName: family[(i/len(given))%len(family)],
				NameJa:     jaFamily[i%len(jaFamily)] + " " + jaGiven[(i/len(jaFamily))%len(jaGiven)],
				Function:   functions[i%len(functions)],
				Authority:  rencontres.Text{"fr": fmt.Sprintf("Commune d'Essai n°%d", i+1), "ja": fmt.Sprintf("試験市（第%d号）", i+1)},
			},
			Event: letter.Event{Number: 8,
				Title: rencontres.Text{"fr": "Rencontres franco-japonaises de la coopération décentralisée", "ja": "日仏自治体交流会議"},
				Start: rencontres.Date{Year: 2024, Month: 11, Day: 18}, End: rencontres.Date{Year: 2024, Month: 11, Day: 21},
				Zone: "Asia/Tokyo", City: rencontres.Text{"fr": "Shizuoka", "ja": "静岡市"}},
			Meeting: letter.Event{
				Title: rencontres.Text{"fr": "première réunion du comité de pilotage large français", "ja": "フランス側第1回拡大運営委員会"},
				Start: rencontres.Date{Year: 2023, Month: 9, Day: 18}, End: rencontres.Date{Year: 2023, Month: 9, Day: 18},
				From: time.Date(2023, 9, 18, 16, 30, 0, 0, paris), To: time.Date(2023, 9, 18, 18, 0, 0, 0, paris), Zone: "Europe/Paris",
				Venue: rencontres.Text{"fr": "Cité des Sciences et de l'Industrie", "ja": "シテ・デ・シアンス・エ・ド・ランデュストリー"},
				City:  rencontres.Text{"fr": "Paris", "ja": "パリ"}},
			Deadline: time.Date(2023, 9, 4, 23, 59, 0, 0, paris),
			Link:     fmt.Sprintf("https://rencontres.example.org/fr/r/%010d", i+1),
		}
	}
	return out
}
