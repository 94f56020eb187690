package i18n

import "github.com/rencontres/rencontres/internal/rencontres"

// ZoneName names a time zone as readers know it: « heure de Paris »,
// パリ時間, Paris time; a zone without a name of its own shows its IANA
// name.
func (p *Printer) ZoneName(zone string) string {
	switch zone {
	case "Europe/Paris":
		return p.T("zone.paris")
	case "Asia/Tokyo":
		return p.T("zone.tokyo")
	}
	return zone
}

// InZone follows a day or a time with the zone it is read in, as each
// language writes it: « de 16h30 à 18h00 (heure de Paris) »,
// 16:30〜18:00（パリ時間）, 16:30–18:00 (Paris time). A Japanese reader
// meets times of Paris and of Tokyo on the same pages, so a clock time
// never goes without its zone.
func (p *Printer) InZone(when, zone string) string {
	return p.T("meeting.in_zone", "When", when, "Zone", p.ZoneName(zone))
}

// Through is the mark between the two ends of a range of clock times: the
// en dash in French and English (9h30–11h00), 〜 in Japanese
// (9:30〜11:00), as TimeRange writes them.
func (p *Printer) Through() string {
	if p.Lang == rencontres.Japanese {
		return "〜"
	}
	return "–"
}
