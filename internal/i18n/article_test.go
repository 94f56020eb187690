package i18n

import "testing"

func TestFrenchTo(t *testing.T) {
	for title, want := range map[string]string{
		"1re réunion du comité de pilotage français": "à la 1re réunion du comité de pilotage français",
		"3e réunion du comité de pilotage français":  "à la 3e réunion du comité de pilotage français",
		"2e comité de pilotage":                      "au 2e comité de pilotage",
		"Réunion du COPIL":                           "à la réunion du COPIL",
		"Assemblée générale de l’AFCCRE":             "à l’assemblée générale de l’AFCCRE",
		"Séminaire des directeurs":                   "au séminaire des directeurs",
		"Assises de la coopération franco-japonaise": "aux assises de la coopération franco-japonaise",
		"8es Rencontres franco-japonaises":           "aux 8es Rencontres franco-japonaises",
	} {
		if got, ok := FrenchTo(title); !ok || got != want {
			t.Errorf("FrenchTo(%q) = %q, %v; want %q", title, got, ok, want)
		}
	}
	for _, title := range []string{"COPIL", "Kick-off à Nancy", "", "3e"} {
		if got, ok := FrenchTo(title); ok {
			t.Errorf("FrenchTo(%q) = %q, want no guess", title, got)
		}
	}
}
