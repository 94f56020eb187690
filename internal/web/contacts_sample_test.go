package web

import (
	"context"
	"testing"
)

// fillOrgPage fills what the demo leaves empty on Aix-en-Provence's
// private page: a partnership and a registration to a coming event.
func (x *sampler) fillOrgPage(t *testing.T, p *Page) *ManageOrgPage {
	t.Helper()
	d := p.Data.(*ManageOrgPage)
	if len(d.Partnerships) == 0 {
		ps, err := x.st.Partnerships(context.Background(), "fr-75056")
		if err != nil || len(ps) == 0 {
			t.Fatalf("Paris's partnerships: %d, %v", len(ps), err)
		}
		d.Partnerships = ps
	}
	if len(d.Coming) == 0 && len(d.Past) > 0 {
		d.Coming = d.Past[:1]
	}
	if len(d.Contacts) == 0 || len(d.Former) == 0 || len(d.Past) == 0 || len(d.Letters) == 0 {
		t.Fatalf("Aix's page: %d contacts, %d former, %d past events, %d letters", len(d.Contacts), len(d.Former), len(d.Past), len(d.Letters))
	}
	return d
}
