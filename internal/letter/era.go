package letter

import (
	"regexp"
	"strconv"

	"github.com/rencontres/rencontres/internal/rencontres"
)

// eras are the Japanese eras a letter may need, newest first, with their
// first day.
var eras = []struct {
	name  string
	start rencontres.Date
}{
	{"令和", rencontres.Date{Year: 2019, Month: 5, Day: 1}},
	{"平成", rencontres.Date{Year: 1989, Month: 1, Day: 8}},
	{"昭和", rencontres.Date{Year: 1926, Month: 12, Day: 25}},
}

// EraYear writes the year of d in its era: 令和5年, and 令和元年 for an
// era's first year. Before 昭和 it is the Western year.
func EraYear(d rencontres.Date) string {
	for _, e := range eras {
		if !d.Before(e.start) {
			y := d.Year - e.start.Year + 1
			if y == 1 {
				return e.name + "元年"
			}
			return e.name + strconv.Itoa(y) + "年"
		}
	}
	return strconv.Itoa(d.Year) + "年"
}

var westernYear = regexp.MustCompile(`[0-9]{4}年`)

// era rewrites the Western years of a date internal/i18n formatted
// (2023年7月11日, 2024年11月18日〜21日) in the era, when the template asks for
// it: the i-th year written is that of dates[i]. A range that crosses the
// start of an era within one year keeps the era of its first day.
func (r *renderer) era(s string, dates ...rencontres.Date) string {
	if !r.t.Era || r.lang != rencontres.Japanese || s == "" {
		return s
	}
	i := 0
	return westernYear.ReplaceAllStringFunc(s, func(y string) string {
		if i >= len(dates) {
			return y
		}
		i++
		return EraYear(dates[i-1])
	})
}
