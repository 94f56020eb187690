package letter

import "time"

// seasons are the seasonal words (時候の挨拶) a Japanese business letter
// opens with, by month.
var seasons = [12]string{"厳寒", "余寒", "早春", "陽春", "新緑", "初夏", "盛夏", "残暑", "初秋", "秋冷", "晩秋", "師走"}

// SeasonalGreeting is the usual line after 拝啓 in a letter of the given
// month: 盛夏の候、貴職におかれましては… It is used when the template gives
// no greeting of its own; an undated letter gets 時下, fit for any season.
func SeasonalGreeting(m time.Month) string {
	season := "時下"
	if m >= time.January && m <= time.December {
		season = seasons[m-1] + "の候"
	}
	return season + "、貴職におかれましてはますますご清栄のこととお慶び申し上げます。平素より格別のご高配を賜り、厚く御礼申し上げます。"
}
