package customer_test

import (
	"testing"

	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/es"
)

func TestCustomer_Correct(t *testing.T) {
	t.Parallel()
	withConsent := []es.Event{registered(), marketingGiven(t0)}
	tests := []struct {
		name  string
		given []es.Event
		patch customer.CustomerPatch
		want  []es.Event
	}{
		{name: "empty patch", given: withConsent},
		{
			name:  "same values in other masks change nothing",
			given: withConsent,
			patch: customer.CustomerPatch{
				Name: customer.Some(" Maria da Silva "), Document: customer.Some("529.982.247-25"),
				Email:            customer.Some("MARIA@example.com"),
				Phones:           customer.Some(customer.PhonesPatch{Mobile: customer.Some("(11) 98765-4321")}),
				Address:          customer.Some(customer.AddressPatch{State: customer.Some("sp"), PostalCode: customer.Some("01001000")}),
				MarketingConsent: customer.Some(true),
			},
		},
		{
			name:  "name",
			given: withConsent,
			patch: customer.CustomerPatch{Name: customer.Some("Maria da Silva Souza")},
			want: []es.Event{customer.Corrected{
				CustomerID: custID, Changed: []string{"name"}, Name: "Maria da Silva Souza", CorrectedAt: t1,
			}},
		},
		{
			name:  "document becomes a CNPJ",
			given: withConsent,
			patch: customer.CustomerPatch{Document: customer.Some("11.222.333/0001-81")},
			want: []es.Event{customer.Corrected{
				CustomerID: custID, Changed: []string{"document"}, Document: "11222333000181", DocumentType: "cnpj", CorrectedAt: t1,
			}},
		},
		{
			name:  "null and blank clear optional fields",
			given: withConsent,
			patch: customer.CustomerPatch{
				Document: customer.Null[string](), Email: customer.Some("  "),
				Phones: customer.Some(customer.PhonesPatch{Landline: customer.Null[string]()}),
			},
			want: []es.Event{customer.Corrected{
				CustomerID: custID, Changed: []string{"document", "email", "phones.landline"}, CorrectedAt: t1,
			}},
		},
		{
			name:  "null phones and address clear every part",
			given: withConsent,
			patch: customer.CustomerPatch{Phones: customer.Null[customer.PhonesPatch](), Address: customer.Null[customer.AddressPatch]()},
			want: []es.Event{customer.Corrected{
				CustomerID: custID,
				Changed: []string{
					"phones.mobile", "phones.landline", "address.street", "address.number", "address.complement",
					"address.district", "address.city", "address.state", "address.postal_code",
				},
				CorrectedAt: t1,
			}},
		},
		{
			name:  "partial address keeps the other parts",
			given: withConsent,
			patch: customer.CustomerPatch{Address: customer.Some(customer.AddressPatch{
				Number: customer.Some("45"), Complement: customer.Null[string](), City: customer.Some("Rio de Janeiro"),
				State: customer.Some("rj"), PostalCode: customer.Some("20040-002"),
			})},
			want: []es.Event{customer.Corrected{
				CustomerID: custID,
				Changed:    []string{"address.number", "address.complement", "address.city", "address.state", "address.postal_code"},
				Number:     "45", City: "Rio de Janeiro", State: "RJ", PostalCode: "20040002", CorrectedAt: t1,
			}},
		},
		{
			name:  "data filled in later",
			given: []es.Event{customer.Registered{CustomerID: custID, Name: "João", RegisteredAt: t0}},
			patch: customer.CustomerPatch{
				Email:  customer.Some("Joao@Oficina.com.br"),
				Phones: customer.Some(customer.PhonesPatch{Mobile: customer.Some("21 99876-5432")}),
			},
			want: []es.Event{customer.Corrected{
				CustomerID: custID, Changed: []string{"email", "phones.mobile"},
				Email: "joao@oficina.com.br", MobilePhone: "+5521998765432", CorrectedAt: t1,
			}},
		},
		{
			name:  "marketing consent withdrawn",
			given: withConsent,
			patch: customer.CustomerPatch{MarketingConsent: customer.Some(false), Source: "portal"},
			want: []es.Event{customer.ConsentWithdrawn{
				CustomerID: custID, Purpose: "marketing", Source: "portal", WithdrawnAt: t1,
			}},
		},
		{
			name:  "name and marketing consent given",
			given: []es.Event{registered()},
			patch: customer.CustomerPatch{Name: customer.Some("Maria S."), MarketingConsent: customer.Some(true), Source: "api"},
			want: []es.Event{
				customer.Corrected{CustomerID: custID, Changed: []string{"name"}, Name: "Maria S.", CorrectedAt: t1},
				marketingGiven(t1),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := given(tt.given...)
			if err := c.Correct(tt.patch, t1); err != nil {
				t.Fatalf("Correct: %v", err)
			}
			requireEvents(t, c, tt.want)
		})
	}
}

func TestCustomer_Correct_appliesToState(t *testing.T) {
	t.Parallel()
	c := given(registered(), marketingGiven(t0))
	err := c.Correct(customer.CustomerPatch{
		Document: customer.Null[string](),
		Phones:   customer.Some(customer.PhonesPatch{Mobile: customer.Some("21 99876-5432")}),
		Address:  customer.Some(customer.AddressPatch{Street: customer.Some("Av. Brasil")}),
	}, t1)
	if err != nil {
		t.Fatal(err)
	}
	loaded := given(append([]es.Event{registered(), marketingGiven(t0)}, c.Recorder().PopEvents()...)...)
	for _, x := range []*customer.Customer{c, loaded} {
		if x.Document() != "" || x.DocumentType() != "" ||
			x.Phones() != (customer.Phones{Mobile: "+5521998765432", Landline: "+551134567890"}) ||
			x.Address().Street != "Av. Brasil" || x.Address().City != "São Paulo" || x.Name() != "Maria da Silva" {
			t.Fatalf("state = %+v", x)
		}
	}
}

func TestCustomer_Correct_validation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		patch customer.CustomerPatch
		want  []string
	}{
		{"name null", customer.CustomerPatch{Name: customer.Null[string]()}, []string{"name:required"}},
		{"name blank", customer.CustomerPatch{Name: customer.Some("   ")}, []string{"name:required"}},
		{"name too long", customer.CustomerPatch{Name: customer.Some(runes(201, 'ã'))}, []string{"name:too_long"}},
		{"document", customer.CustomerPatch{Document: customer.Some("123.456.789-00")}, []string{"document:invalid_check_digit"}},
		{"mobile is a landline", customer.CustomerPatch{Phones: customer.Some(customer.PhonesPatch{Mobile: customer.Some("1134567890")})}, []string{"phones.mobile:invalid_format"}},
		{"marketing consent null", customer.CustomerPatch{MarketingConsent: customer.Null[bool]()}, []string{"marketing_consent:required"}},
		{"consent change without source", customer.CustomerPatch{MarketingConsent: customer.Some(true)}, []string{"source:required"}},
		{
			name: "every field at fault",
			patch: customer.CustomerPatch{
				Name: customer.Null[string](), Email: customer.Some("x@y"),
				Phones: customer.Some(customer.PhonesPatch{Landline: customer.Some("+1 202 555 0100")}),
				Address: customer.Some(customer.AddressPatch{
					District: customer.Some("Centro\r\n" + runes(10, 'x')), State: customer.Some("São Paulo"), PostalCode: customer.Some("00000000"),
				}),
				MarketingConsent: customer.Some(true), Source: "Counter",
			},
			want: []string{
				"name:required", "email:invalid_format", "phones.landline:invalid_format",
				"address.district:invalid_format", "address.state:unknown_value", "address.postal_code:out_of_range",
				"source:invalid_format",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := given(registered())
			requireFieldCodes(t, c.Correct(tt.patch, t1), tt.want)
			requireEvents(t, c, nil)
			if c.Name() != "Maria da Silva" || c.Email() != "maria@example.com" {
				t.Fatalf("state changed by a refused command")
			}
		})
	}
}
