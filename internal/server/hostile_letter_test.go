package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/store"
	"github.com/rencontres/rencontres/internal/store/storetest"
)

// Markup typed as a signatory in the editor, or stored in a letterhead
// through the API, is shown as text in the preview and printed as typed
// in the PDF the API gives.
func TestHostileSignatoriesAndLetterheadInPreviewAndPDF(t *testing.T) {
	if _, err := letter.FindFonts(); err != nil {
		t.Skip(err)
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		ev := f.pagesMeeting(t)
		code, _, _ := f.post(t, "/fr/manage/campaigns", url.Values{"name": {"Courrier"}, "event": {fmt.Sprint(ev.ID)}})
		if code != 303 {
			t.Fatalf("start a campaign: %d", code)
		}
		list, _ := st.Campaigns(ctx, ev.ID)
		c := list[0]
		// The letterhead, which the editor does not show, through the API.
		var fr letter.Template
		if err := json.Unmarshal(c.Letters[rencontres.French], &fr); err != nil {
			t.Fatal(err)
		}
		fr.Letterhead = []letter.Organiser{{Name: `</header><b>CUF</b>`, Lines: []string{`<script>alert("head")</script>`}}}
		c.Letters[rencontres.French], _ = json.Marshal(fr)
		c.Filter = rencontres.RecipientFilter{Organisations: []string{"fr-13055"}}
		if code, b, _ := f.call(t, rencontres.Secretariat, "PUT", fmt.Sprintf("/api/v1/campaigns/%d", c.ID), c); code != 200 {
			t.Fatalf("PUT: %d %s", code, b)
		}

		saved, _ := st.Campaign(ctx, c.ID)
		form := editorForm(t, saved)
		form.Set("fr_sig1_name", `<script>alert("sig")</script>`)
		form.Set("fr_sig1_function", `<img src=x onerror=alert(1)>`)
		form.Set("preview_lang", "fr")
		form.Set("fragment", "1")
		code, page, _ := f.post(t, fmt.Sprintf("/fr/campaigns/%d/preview", c.ID), form)
		if code != 200 {
			t.Fatalf("preview: %d\n%s", code, page)
		}
		for _, bad := range []string{"<script", "<img", "<b>CUF"} {
			if strings.Contains(page, bad) {
				t.Errorf("the preview holds %q:\n%s", bad, page)
			}
		}
		for _, want := range []string{"&lt;script&gt;alert(", "&lt;img src=x onerror=alert(1)&gt;", "&lt;/header&gt;&lt;b&gt;CUF&lt;/b&gt;"} {
			if !strings.Contains(page, want) {
				t.Errorf("the preview lacks %q:\n%s", want, page)
			}
		}

		// Saved with the signatory, the PDF prints both as typed.
		if code, page, _ := f.post(t, fmt.Sprintf("/fr/campaigns/%d", c.ID), form); code != 303 {
			t.Fatalf("save: %d\n%s", code, page)
		}
		code, pdf, _ := f.call(t, rencontres.Secretariat, "GET", fmt.Sprintf("/api/v1/campaigns/%d/letters.pdf", c.ID), nil)
		if code != 200 {
			t.Fatalf("letters.pdf: %d %s", code, pdf)
		}
		text := strings.Join(strings.Fields(pdfText(t, pdf)), "")
		for _, want := range []string{"<script>alert(", "</header><b>CUF</b>", "<imgsrc=xonerror=alert(1)>"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF does not print %q:\n%s", want, text)
			}
		}
	})
}
