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
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				x.run(t, p, s.importForm, "/manage/import?created=2&updated=1&cancelled=1")
			}},
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
		"import_partnerships": {
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				tok := x.uploadKind(t, p, "partnerships", "Identifiant A;Identifiant B;Type;Année de signature\n"+
					"fr-13001;jp-431001;Ville d’échange;2013\n"+
					"fr-13001;jp-221007;Jumelage;2001\n"+
					"fr-37261;jp-372013;Convention de partenariat;2020\n")
				x.run(t, p, s.importPreview, "/manage/import/"+tok, "id", tok)
				d := p.Data.(*PartnershipImportPage)
				d.Nothing = true
			}, empty: []string{"Problems"}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				tok := x.uploadKind(t, p, "partnerships", "Identifiant A;Identifiant B;Type\nfr-13001;jp-221007;Traité\n")
				x.run(t, p, s.importPreview, "/manage/import/"+tok, "id", tok)
				p.Data.(*PartnershipImportPage).NotReady = true
			}, empty: []string{"Rows"}},
			{role: rencontres.Secretariat, fill: func(t *testing.T, p *Page) {
				tok := x.uploadKind(t, p, "partnerships", "a,b,kind\n")
				x.run(t, p, s.importPreview, "/manage/import/"+tok+"?encoding=EBCDIC", "id", tok)
			}, empty: []string{"Preview", "Problems", "Columns", "Rows"}},
		},
	}
}

// upload keeps a contact list as the import form does, for the secretariat.
func (x *sampler) upload(t *testing.T, p *Page, csv string) string {
	t.Helper()
	return x.uploadKind(t, p, "contacts", csv)
}

// uploadKind keeps a file of a kind (contacts or partnerships) as the
// import form does, for the secretariat.
func (x *sampler) uploadKind(t *testing.T, p *Page, kind, csv string) string {
	t.Helper()
	up, err := x.site.uploads.Save("liste.csv", p.Actor.User.ID, kind, []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	return up.Token
}
