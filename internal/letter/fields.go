package letter

import (
	"strings"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// Field is a value a template may name, written {{name}}. Label is what
// the editor's palette shows in each language.
type Field struct {
	Name  string          `json:"name"`
	Label rencontres.Text `json:"label"`
	// has reports whether the recipient's data has a value for the field.
	has func(t *Template, d *Data) bool
	// value is the field's text in the letter's language.
	value func(r *renderer) Line
}

func text(s string) Line {
	if s == "" {
		return nil
	}
	return Line{{Text: s}}
}

func label(fr, ja, en string) rencontres.Text {
	return rencontres.Text{rencontres.French: fr, rencontres.Japanese: ja, rencontres.English: en}
}

// eventFields are the fields of Data.Event ("event.…") or Data.Meeting
// ("meeting.…"): the same six for both.
func eventFields(prefix string, of func(d *Data) *Event, what rencontres.Text) []Field {
	w := func(l rencontres.Lang) string { return what[l] }
	lbl := func(fr, ja, en string) rencontres.Text {
		return label(fr+" "+w(rencontres.French), w(rencontres.Japanese)+ja, en+" "+w(rencontres.English))
	}
	return []Field{
		{Name: prefix + ".title", Label: lbl("Titre", "の名称", "Title of the"),
			has:   func(_ *Template, d *Data) bool { return !of(d).Title.IsZero() },
			value: func(r *renderer) Line { return r.title(of(r.d)) }},
		{Name: prefix + ".ordinal", Label: lbl("Numéro d’édition", "の回次（第8回）", "Edition number of the"),
			has:   func(_ *Template, d *Data) bool { return of(d).Number > 0 },
			value: func(r *renderer) Line { return r.ordinal(of(r.d)) }},
		{Name: prefix + ".dates", Label: lbl("Dates", "の日程", "Dates of the"),
			has:   func(_ *Template, d *Data) bool { return !of(d).Start.IsZero() },
			value: func(r *renderer) Line { e := of(r.d); return text(r.dateRange(e.Start, e.End)) }},
		{Name: prefix + ".day", Label: lbl("Jour avec la semaine", "の日付（曜日つき）", "Day and weekday of the"),
			has:   func(_ *Template, d *Data) bool { return !of(d).Start.IsZero() },
			value: func(r *renderer) Line { return text(r.day(of(r.d).Start)) }},
		{Name: prefix + ".times", Label: lbl("Horaires", "の時間", "Hours of the"),
			has:   func(_ *Template, d *Data) bool { return !of(d).From.IsZero() && !of(d).To.IsZero() },
			value: func(r *renderer) Line { return text(r.times(of(r.d))) }},
		{Name: prefix + ".venue", Label: lbl("Lieu", "の会場", "Venue of the"),
			has:   func(_ *Template, d *Data) bool { return !of(d).Venue.IsZero() },
			value: func(r *renderer) Line { return text(of(r.d).Venue.In(r.lang)) }},
		{Name: prefix + ".city", Label: lbl("Ville", "の開催都市", "City of the"),
			has:   func(_ *Template, d *Data) bool { return !of(d).City.IsZero() },
			value: func(r *renderer) Line { return text(of(r.d).City.In(r.lang)) }},
	}
}

// Fields lists every field a template may use, in the editor's order.
// Event is what the letter is about (the edition); meeting is the meeting
// the reader is invited to, when it is another event.
var Fields = concat(
	[]Field{
		{Name: "recipient.civility", Label: label("Civilité", "敬称（Madame／Monsieur）", "Civility"),
			has:   func(_ *Template, d *Data) bool { return d.Recipient.Civility != "" },
			value: func(r *renderer) Line { return text(r.civility()) }},
		{Name: "recipient.name", Label: label("Nom du destinataire", "宛名（様つき）", "Recipient's name"),
			has:   func(_ *Template, d *Data) bool { return d.Recipient.hasName() },
			value: func(r *renderer) Line { return text(r.name()) }},
		{Name: "recipient.given_name", Label: label("Prénom", "名", "Given name"),
			has:   func(_ *Template, d *Data) bool { return d.Recipient.GivenName != "" || d.Recipient.NameJa != "" },
			value: func(r *renderer) Line { return text(r.givenName()) }},
		{Name: "recipient.family_name", Label: label("Nom de famille", "姓", "Family name"),
			has:   func(_ *Template, d *Data) bool { return d.Recipient.FamilyName != "" || d.Recipient.NameJa != "" },
			value: func(r *renderer) Line { return text(r.familyName()) }},
		{Name: "recipient.function", Label: label("Fonction", "役職", "Function"),
			has:   func(_ *Template, d *Data) bool { return !d.Recipient.Function.IsZero() },
			value: func(r *renderer) Line { return text(r.d.Recipient.Function.In(r.lang)) }},
		{Name: "recipient.authority", Label: label("Collectivité", "自治体", "Authority"),
			has:   func(_ *Template, d *Data) bool { return !d.Recipient.Authority.IsZero() },
			value: func(r *renderer) Line { return text(r.d.Recipient.Authority.In(r.lang)) }},
		{Name: "recipient.salutation", Label: label("Appellation («\u00a0Madame la Maire\u00a0»)", "呼びかけ（森様）", "Form of address"),
			has:   func(*Template, *Data) bool { return true },
			value: func(r *renderer) Line { return text(r.address()) }},
	},
	eventFields("event", func(d *Data) *Event { return &d.Event }, label("de l’événement", "イベント", "event")),
	eventFields("meeting", func(d *Data) *Event { return &d.Meeting }, label("de la réunion", "会議", "meeting")),
	[]Field{
		{Name: "meeting.within", Label: label("Phrase «\u00a0dans le cadre de…\u00a0» (vide hors RAICT)", "開催の枠組み（RAICTの一環など。該当なしは空欄）", "“Held as part of” sentence (empty when none)"),
			has:   func(*Template, *Data) bool { return true },
			value: func(r *renderer) Line { return r.within() }},
		{Name: "deadline", Label: label("Date limite de réponse", "回答期限", "Reply deadline"),
			has:   func(_ *Template, d *Data) bool { return !d.Deadline.IsZero() },
			value: func(r *renderer) Line { return text(r.date(r.d.deadlineDay())) }},
		{Name: "link", Label: label("Lien personnel d’inscription", "参加登録用の個人用リンク", "Personal registration link"),
			has: func(_ *Template, d *Data) bool { return d.Link != "" },
			value: func(r *renderer) Line {
				if r.d.Link == "" {
					return nil
				}
				if strings.Contains(r.d.Link, "…") {
					// The shape of the link a recipient will get, shown
					// before anyone has one (a preview): it leads nowhere.
					return text(r.d.Link)
				}
				return Line{{Text: r.d.Link, Href: r.d.Link}}
			}},
		{Name: "call.link", Label: label("Lien de l’appel à propositions", "提案募集ページへのリンク", "Link to the call for proposals"),
			has: func(_ *Template, d *Data) bool { return d.CallLink != "" },
			value: func(r *renderer) Line {
				if r.d.CallLink == "" {
					return nil
				}
				return Line{{Text: r.d.CallLink, Href: r.d.CallLink}}
			}},
		{Name: "signatories", Label: label("Signataires", "差出人", "Signatories"),
			has:   func(t *Template, _ *Data) bool { return len(t.Signatories) > 0 },
			value: func(r *renderer) Line { return text(r.signatories()) }},
		{Name: "sender.place", Label: label("Lieu d’envoi", "発信地", "Place of sending"),
			has:   func(t *Template, _ *Data) bool { return t.Place != "" },
			value: func(r *renderer) Line { return text(r.t.Place) }},
		{Name: "sender.date", Label: label("Date de la lettre", "発信日", "Date of the letter"),
			has:   func(_ *Template, d *Data) bool { return !d.Date.IsZero() },
			value: func(r *renderer) Line { return text(r.date(r.d.Date)) }},
	},
)

var fieldsByName = func() map[string]*Field {
	m := map[string]*Field{}
	for i := range Fields {
		m[Fields[i].Name] = &Fields[i]
	}
	return m
}()

func concat(lists ...[]Field) []Field {
	var out []Field
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

func (rc *Recipient) hasName() bool {
	return rc.NameJa != "" || strings.TrimSpace(rc.GivenName+rc.FamilyName) != ""
}
