package sheet

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Field is what a column holds, as an import understands it.
type Field string

// The fields of a contact list. None marks a column that is not read.
const (
	None          Field = ""
	OrgName       Field = "organisation"
	OrgCode       Field = "code"
	OrgKey        Field = "organisation_key"
	Civility      Field = "civility"
	Name          Field = "name"
	GivenName     Field = "given_name"
	FamilyName    Field = "family_name"
	NameJa        Field = "name_ja"
	Kana          Field = "kana"
	Email         Field = "email"
	Function      Field = "function"
	Service       Field = "service"
	AddressForm   Field = "address_form"
	PostalAddress Field = "postal_address"
	Phone         Field = "phone"
	Lang          Field = "lang"
	MainContact   Field = "main_contact"
)

// Fields lists them in the order an export writes them.
var Fields = []Field{OrgKey, OrgCode, OrgName, Civility, Name, GivenName, FamilyName, NameJa, Kana, Email,
	Function, Service, AddressForm, PostalAddress, Phone, Lang, MainContact}

// ValidField reports whether f is one of Fields (or None).
func ValidField(f Field) bool {
	if f == None {
		return true
	}
	for _, g := range Fields {
		if g == f {
			return true
		}
	}
	return false
}

// headers holds, folded with FoldHeader, the headings people write for
// each field, in French, Japanese and English.
var headers = map[string]Field{}

func init() {
	for f, names := range map[Field][]string{
		OrgKey: {"clé", "clé organisation", "identifiant", "識別子", "organisation key", "key", "キー", "団体キー"},
		OrgCode: {"code", "code insee", "insee", "code commune", "code officiel", "siren", "code siren",
			"団体コード", "地方公共団体コード", "全国地方公共団体コード", "自治体コード", "市区町村コード",
			"official code", "local government code", "lg code"},
		OrgName: {"collectivité", "collectivité territoriale", "organisation", "organisme", "structure", "commune", "ville",
			"autorité", "institution", "établissement",
			"自治体", "自治体名", "団体名", "団体", "所属", "所属団体", "市区町村", "市区町村名", "都道府県", "組織", "組織名",
			"authority", "local authority", "organization", "municipality", "city", "council"},
		Civility: {"civilité", "titre", "敬称", "性別", "civility", "title", "salutation"},
		Name: {"nom", "nom complet", "nom et prénom", "prénom nom", "nom prénom", "contact", "personne",
			"名前", "full name", "name", "contact name", "ローマ字氏名", "氏名ローマ字", "氏名(ローマ字)"},
		GivenName:     {"prénom", "名", "first name", "given name", "forename"},
		FamilyName:    {"nom de famille", "nom patronymique", "姓", "last name", "family name", "surname"},
		NameJa:        {"氏名", "氏名漢字", "氏名(漢字)", "漢字氏名", "担当者", "担当者名", "nom japonais", "nom en japonais", "japanese name", "name in japanese"},
		Kana:          {"ふりがな", "フリガナ", "かな", "カナ", "よみ", "よみがな", "ヨミ", "読み", "氏名カナ", "氏名(カナ)", "kana", "lecture", "lecture en kana", "reading"},
		Email:         {"courriel", "e-mail", "email", "mail", "adresse électronique", "adresse mail", "adresse e-mail", "mél", "メール", "メールアドレス", "電子メール", "eメール", "email address"},
		Function:      {"fonction", "poste", "qualité", "役職", "職名", "肩書", "function", "position", "job title", "role"},
		Service:       {"service", "direction", "département service", "部署", "部署名", "所属部署", "課", "担当課", "課名", "department", "division", "unit"},
		AddressForm:   {"formule d'appel", "formule d’appel", "appellation", "宛名", "呼称", "form of address", "address form", "salutation line"},
		PostalAddress: {"adresse", "adresse postale", "住所", "所在地", "郵送先", "address", "postal address", "mailing address"},
		Phone:         {"téléphone", "tél", "tel", "portable", "電話", "電話番号", "tel.", "phone", "telephone", "phone number"},
		Lang:          {"langue", "言語", "使用言語", "language", "lang"},
		MainContact:   {"contact principal", "correspondant principal", "主担当者", "référent", "principal", "主担当", "主たる連絡先", "代表連絡先", "main contact", "primary contact"},
	} {
		for _, n := range names {
			headers[FoldHeader(n)] = f
		}
	}
	// The API's export names its columns by the fields' own keys.
	for _, f := range Fields {
		headers[FoldHeader(string(f))] = f
	}
}

// FoldHeader normalises a heading: compatibility forms (full-width letters,
// half-width katakana), case and accents folded, and everything that is
// neither a letter nor a digit dropped, so that « Code INSEE », "code_insee"
// and "ＣＯＤＥ　ＩＮＳＥＥ" read the same.
func FoldHeader(s string) string {
	s = norm.NFKD.String(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r) && r != '\u3099' && r != '\u309A':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return norm.NFC.String(b.String())
}

// MatchHeader says which field a heading names; None when it names none.
func MatchHeader(h string) Field {
	k := FoldHeader(h)
	if f, ok := headers[k]; ok {
		return f
	}
	// Headings often add a note: « Courriel (professionnel) », "E-mail *".
	if i := strings.IndexAny(h, "(（[*:："); i > 0 {
		if f, ok := headers[FoldHeader(h[:i])]; ok {
			return f
		}
	}
	return None
}

// MatchHeaders maps each column of a header row to a field. A field is
// given to its first column only; when both a first name and a « Nom »
// column are there, « Nom » is the family name.
func MatchHeaders(row []string) []Field {
	out := make([]Field, len(row))
	seen := map[Field]bool{}
	for i, h := range row {
		f := MatchHeader(h)
		if f != None && seen[f] {
			f = None
		}
		seen[f] = true
		out[i] = f
	}
	if seen[GivenName] && seen[Name] && !seen[FamilyName] {
		for i, f := range out {
			if f == Name {
				out[i] = FamilyName
			}
		}
	}
	return out
}
