package letter_test

import (
	"testing"

	. "github.com/rencontres/rencontres/internal/letter"
	"github.com/rencontres/rencontres/internal/rencontres"
)

// Emails open with the form of address letters use, in each language,
// for people with or without a civility, a function or a name.
func TestGreeting(t *testing.T) {
	mayor := Person("mme", "Nadia BENSAÏD", "", "Maire")
	deputy := Person("mme", "Claire DUVAL", "", "Adjointe au maire déléguée aux relations internationales")
	president := Person("m", "Jean-Luc LE GOFF", "", "Président de la communauté d'agglomération")
	mori := Person("m", "Kenji MORI", "森 健二", "国際交流課長")
	unknown := Person("", "Camille Martin", "", "")
	nobody := Person("", "", "", "")
	madam := Person("mme", "", "", "")
	for _, tc := range []struct {
		lang rencontres.Lang
		rc   Recipient
		want string
	}{
		{rencontres.French, mayor, "Madame la Maire,"},
		{rencontres.French, deputy, "Madame,"},
		{rencontres.French, president, "Monsieur le Président,"},
		{rencontres.French, mori, "Monsieur,"},
		{rencontres.French, unknown, "Madame, Monsieur,"},
		{rencontres.French, nobody, "Madame, Monsieur,"},
		{rencontres.French, madam, "Madame,"},
		{rencontres.English, mayor, "Dear Ms Bensaïd,"},
		{rencontres.English, president, "Dear Mr Le Goff,"},
		{rencontres.English, mori, "Dear Mr Mori,"},
		{rencontres.English, unknown, "Dear Camille Martin,"},
		{rencontres.English, madam, "Dear Madam,"},
		{rencontres.English, nobody, "Dear Sir or Madam,"},
		{rencontres.Japanese, mori, "森 健二 様"},
		{rencontres.Japanese, mayor, "Nadia BENSAÏD 様"},
		{rencontres.Japanese, nobody, "ご担当者様"},
	} {
		if got := Greeting(tc.lang, tc.rc); got != tc.want {
			t.Errorf("%s %+v: %q, want %q", tc.lang, tc.rc, got, tc.want)
		}
	}
}

// The letter's own salutation is the email's: a letter to the mayor in
// English opens « Dear Ms Bensaïd, », not « Dear Madam, ».
func TestEnglishLetterSalutation(t *testing.T) {
	tmpl := Default(rencontres.English)
	d := seed001()
	d.Recipient = Person("mme", "Nadia BENSAÏD", "", "Mayor")
	l, err := Render(&tmpl, &d)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range l.Blocks {
		if b.Kind == KindSalutation {
			if got := b.Lines[0].String(); got != "Dear Ms Bensaïd," {
				t.Errorf("salutation %q", got)
			}
			return
		}
	}
	t.Error("no salutation block")
}

// The form of address the secretariat keeps for a contact wins over the
// one built from civility and function, in a letter of its script: a
// French letter opens « Madame l’Adjointe au Maire, », a Japanese greeting
// uses the Japanese form, and an English letter keeps « Dear Ms … ».
func TestAddressFormWins(t *testing.T) {
	deputy := PersonOf(&rencontres.User{Civility: "mme", Name: "Claire DUVAL", Function: "Adjointe au maire", AddressForm: "Madame l’Adjointe au Maire"})
	mori := PersonOf(&rencontres.User{Civility: "m", Name: "Kenji MORI", NameJa: "森 健二", Function: "国際交流課長", AddressForm: "国際交流課長 森 健二 様"})
	for _, tc := range []struct {
		lang rencontres.Lang
		rc   Recipient
		want string
	}{
		{rencontres.French, deputy, "Madame l’Adjointe au Maire,"},
		{rencontres.English, deputy, "Dear Ms Duval,"},
		{rencontres.Japanese, deputy, "Claire DUVAL 様"},
		{rencontres.Japanese, mori, "国際交流課長 森 健二 様"},
		{rencontres.French, mori, "Monsieur,"},
	} {
		if got := Greeting(tc.lang, tc.rc); got != tc.want {
			t.Errorf("greeting %s %q: %q, want %q", tc.lang, tc.rc.AddressForm, got, tc.want)
		}
	}
	tmpl := Default(rencontres.French)
	d := seed001()
	d.Recipient = deputy
	l, err := Render(&tmpl, &d)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range l.Blocks {
		if b.Kind == KindSalutation {
			if got := b.Lines[0].String(); got != "Madame l’Adjointe au Maire," {
				t.Errorf("the French letter's salutation is %q", got)
			}
			return
		}
	}
	t.Error("no salutation block")
}
