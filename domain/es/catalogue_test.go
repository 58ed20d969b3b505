package es_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/torquehq/torque/domain/es"
)

type opened struct {
	OwnerID string
	Label   string
	Secret  string `json:"secret,omitempty"`
	hidden  string //nolint:unused // present so Validate can be shown to ignore unexported fields
}

func (opened) EventName() string { return "thing.opened.v1" }

type closed struct{ At string }

func (closed) EventName() string { return "thing.closed.v2" }

type badName struct{}

func (badName) EventName() string { return "Thing.Opened" }

func identity(p []byte) ([]byte, error) { return p, nil }

func TestCatalogue_NamesAndSchema(t *testing.T) {
	t.Parallel()
	a := es.Catalogue{{Event: opened{}}, {Event: closed{}, Upcasters: []es.Upcaster{identity, identity}}}
	b := es.Catalogue{{Event: badName{}}}
	if got := a.Names(); !slices.Equal(got, []string{"thing.opened.v1", "thing.closed.v2"}) {
		t.Fatalf("Names = %v", got)
	}
	if got := es.Names(a, b); !slices.Equal(got, []string{"thing.opened.v1", "thing.closed.v2", "Thing.Opened"}) {
		t.Fatalf("es.Names = %v", got)
	}
	if got := es.NamesOf(closed{}, opened{}); !slices.Equal(got, []string{"thing.closed.v2", "thing.opened.v1"}) {
		t.Fatalf("NamesOf = %v", got)
	}
	if a[0].Schema() != 1 || a[1].Schema() != 3 {
		t.Fatalf("schemas = %d, %d; want 1 and 3 (one more than the upcasters)", a[0].Schema(), a[1].Schema())
	}
}

func TestCatalogue_Validate(t *testing.T) {
	t.Parallel()
	valid := es.Catalogue{
		{Event: opened{}, Subject: "OwnerID", Personal: []string{"Label", "secret"}},
		{Event: closed{}, Upcasters: []es.Upcaster{identity}},
	}
	if err := valid.Validate(); err != nil {
		t.Fatalf("valid catalogue: %v", err)
	}
	cases := map[string]struct {
		c    es.Catalogue
		want string
	}{
		"nil event":          {es.Catalogue{{}}, "entry 0 has no Event"},
		"bad name":           {es.Catalogue{{Event: badName{}}}, "Thing.Opened: name is not"},
		"duplicate":          {es.Catalogue{{Event: closed{}}, {Event: closed{}}}, "thing.closed.v2: listed twice"},
		"nil upcaster":       {es.Catalogue{{Event: closed{}, Upcasters: []es.Upcaster{identity, nil}}}, "upcaster from schema 2 is nil"},
		"unknown subject":    {es.Catalogue{{Event: opened{}, Subject: "CustomerID", Personal: []string{"Label"}}}, "subject CustomerID is not a field"},
		"unknown personal":   {es.Catalogue{{Event: opened{}, Subject: "OwnerID", Personal: []string{"Name"}}}, "personal Name is not a field"},
		"go name, json tag":  {es.Catalogue{{Event: opened{}, Subject: "OwnerID", Personal: []string{"Secret"}}}, "personal Secret is not a field"},
		"unexported":         {es.Catalogue{{Event: opened{}, Subject: "OwnerID", Personal: []string{"hidden"}}}, "personal hidden is not a field"},
		"subject, no fields": {es.Catalogue{{Event: opened{}, Subject: "OwnerID"}}, "Subject OwnerID without Personal"},
	}
	for name, tc := range cases {
		err := tc.c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Validate() = %v, want an error containing %q", name, err, tc.want)
		}
	}
}
