package web

import (
	"testing"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// importSamples are the samples of the contact import's pages.
func (x *sampler) importSamples() map[string][]sample {
	s := x.site
	return map[string][]sample{
		"import": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) { x.run(t, p, s.importForm, "/manage/import?created=2&updated=1") }},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.importForm, "/manage/import")
				p.Data.(*ImportPage).Error = p.P.T("import.file_required")
			}},
		},
		"import_preview": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				tok := x.upload(t, p, "Collectivité;Code INSEE;Nom;Courriel;Fonction\n"+
					"Kumamoto;;Taro KUMAMOTO;taro@example.org;Chef de service\n"+
					"Ville d’Aix-en-Provence;;Anne AIX;anne@example.org;\n"+
					";99999;Nul;pas-une-adresse;\n")
				x.run(t, p, s.importPreview, "/manage/import/"+tok, "id", tok)
				d := p.Data.(*ImportPreviewPage)
				d.NotReady, d.Nothing = true, true
				d.Rows[1].Changes = []string{"function", "organisation"}
			}, empty: []string{"Problems"}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				tok := x.upload(t, p, "Nom,Fonction\nA,B\n")
				x.run(t, p, s.importPreview, "/manage/import/"+tok, "id", tok)
			}, empty: []string{"Rows"}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				tok := x.upload(t, p, "Nom,Fonction\nA,B\n")
				x.run(t, p, s.importPreview, "/manage/import/"+tok+"?encoding=EBCDIC", "id", tok)
			}, empty: []string{"Preview", "Problems", "Columns", "Rows"}},
		},
	}
}

// upload keeps a contact list as the import form does, for the secretariat.
func (x *sampler) upload(t *testing.T, p *Page, csv string) string {
	t.Helper()
	up, err := x.site.uploads.Save("correspondants.csv", p.Actor.User.ID, []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	return up.Token
}
