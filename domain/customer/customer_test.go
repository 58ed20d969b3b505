package customer_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
)

func TestCustomer_Register(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   customer.RegisterInput
		want []es.Event
	}{
		{
			name: "full example of the API, normalised",
			in: customer.RegisterInput{
				Name: "  Maria da Silva ", Document: "529.982.247-25", Email: " Maria@Example.COM ",
				Phones: customer.PhonesInput{Mobile: "+55 11 98765-4321", Landline: "(11) 3456-7890"},
				Address: customer.AddressInput{
					Street: "Rua das Flores", Number: "123", Complement: "apto 4",
					District: "Centro", City: "São Paulo", State: "sp", PostalCode: "01001-000",
				},
				MarketingConsent: true, Source: "api",
			},
			want: []es.Event{registered(), marketingGiven(t0)},
		},
		{
			name: "only the name",
			in:   customer.RegisterInput{Name: "João"},
			want: []es.Event{customer.Registered{CustomerID: custID, Name: "João", RegisteredAt: t0}},
		},
		{
			name: "blank optional fields are absent",
			in: customer.RegisterInput{
				Name: "João", Document: "  ", Email: " ", Phones: customer.PhonesInput{Mobile: " "},
				Address: customer.AddressInput{State: " ", PostalCode: ""},
			},
			want: []es.Event{customer.Registered{CustomerID: custID, Name: "João", RegisteredAt: t0}},
		},
		{
			name: "alphanumeric CNPJ, landline field holding a mobile",
			in: customer.RegisterInput{
				Name: "Transportadora Ltda.", Document: "12.abc.345/01de-35",
				Phones: customer.PhonesInput{Landline: "011 98765-4321"},
			},
			want: []es.Event{customer.Registered{
				CustomerID: custID, Name: "Transportadora Ltda.", Document: "12ABC34501DE35", DocumentType: "cnpj",
				LandlinePhone: "+5511987654321", RegisteredAt: t0,
			}},
		},
		{
			name: "name of exactly 200 characters",
			in:   customer.RegisterInput{Name: runes(200, 'é')},
			want: []es.Event{customer.Registered{CustomerID: custID, Name: runes(200, 'é'), RegisteredAt: t0}},
		},
		{
			name: "source given without consent is accepted and unused",
			in:   customer.RegisterInput{Name: "João", Source: "counter"},
			want: []es.Event{customer.Registered{CustomerID: custID, Name: "João", RegisteredAt: t0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := customer.Register(custID, tt.in, t0)
			if err != nil {
				t.Fatalf("Register: %v", err)
			}
			requireEvents(t, c, tt.want)
		})
	}
}

func TestCustomer_Register_keepsTextExactly(t *testing.T) {
	t.Parallel()
	texts := []string{
		`Maria "Mariazinha" D'Ávila`,
		"José Ação Ñandú Müller",
		"<script>alert('x')</script>",
		"'; DROP TABLE customers; --",
		"Robert'); DELETE FROM x WHERE '1'='1",
		"&lt;b&gt; 100% ${jndi:ldap://x} {{7*7}}",
		"山田 太郎 🚗",
	}
	for _, s := range texts {
		t.Run(s, func(t *testing.T) {
			t.Parallel()
			c, err := customer.Register(custID, customer.RegisterInput{
				Name: "  " + s + "\t", Address: customer.AddressInput{Street: s, Complement: s},
			}, t0)
			if err != nil {
				t.Fatalf("Register: %v", err)
			}
			if err := c.AddNote(noteID, "\n"+s+"\n", t1); err != nil {
				t.Fatalf("AddNote: %v", err)
			}
			if c.Name() != s || c.Address().Street != s || c.Address().Complement != s || c.Notes()[0].Text != s {
				t.Fatalf("text changed: name %q street %q complement %q note %q",
					c.Name(), c.Address().Street, c.Address().Complement, c.Notes()[0].Text)
			}
			events := c.Recorder().PopEvents()
			if got := events[0].(customer.Registered).Name; got != s {
				t.Fatalf("event name = %q, want %q", got, s)
			}
			if got := events[1].(customer.NoteAdded).Text; got != s {
				t.Fatalf("event text = %q, want %q", got, s)
			}
		})
	}
}

func TestCustomer_Register_validation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   customer.RegisterInput
		want []string
	}{
		{"missing name", customer.RegisterInput{}, []string{"name:required"}},
		{"blank name", customer.RegisterInput{Name: " \t\n "}, []string{"name:required"}},
		{"name too long", customer.RegisterInput{Name: runes(201, 'a')}, []string{"name:too_long"}},
		{"name with line break", customer.RegisterInput{Name: "Maria\nSilva"}, []string{"name:invalid_format"}},
		{"name with NUL", customer.RegisterInput{Name: "Maria\x00"}, []string{"name:invalid_format"}},
		{"name not UTF-8", customer.RegisterInput{Name: "Jo\xe3o"}, []string{"name:invalid_format"}},
		{"CPF check digit", customer.RegisterInput{Name: "M", Document: "529.982.247-26"}, []string{"document:invalid_check_digit"}},
		{"CPF repeated digits", customer.RegisterInput{Name: "M", Document: "111.111.111-11"}, []string{"document:repeated_digits"}},
		{"document length", customer.RegisterInput{Name: "M", Document: "1234"}, []string{"document:invalid_length"}},
		{"document format", customer.RegisterInput{Name: "M", Document: "529#982"}, []string{"document:invalid_format"}},
		{"CNPJ check digit", customer.RegisterInput{Name: "M", Document: "11.222.333/0001-80"}, []string{"document:invalid_check_digit"}},
		{"email", customer.RegisterInput{Name: "M", Email: "maria@"}, []string{"email:invalid_format"}},
		{"mobile is a landline", customer.RegisterInput{Name: "M", Phones: customer.PhonesInput{Mobile: "(11) 3456-7890"}}, []string{"phones.mobile:invalid_format"}},
		{"mobile length", customer.RegisterInput{Name: "M", Phones: customer.PhonesInput{Mobile: "98765-4321"}}, []string{"phones.mobile:invalid_length"}},
		{"landline unknown DDD", customer.RegisterInput{Name: "M", Phones: customer.PhonesInput{Landline: "(20) 3456-7890"}}, []string{"phones.landline:unknown_value"}},
		{"unknown UF", customer.RegisterInput{Name: "M", Address: customer.AddressInput{State: "XX"}}, []string{"address.state:unknown_value"}},
		{"CEP length", customer.RegisterInput{Name: "M", Address: customer.AddressInput{PostalCode: "0100-000"}}, []string{"address.postal_code:invalid_length"}},
		{"CEP zeros", customer.RegisterInput{Name: "M", Address: customer.AddressInput{PostalCode: "00000-000"}}, []string{"address.postal_code:out_of_range"}},
		{"CEP format", customer.RegisterInput{Name: "M", Address: customer.AddressInput{PostalCode: "01001/000"}}, []string{"address.postal_code:invalid_format"}},
		{"street too long", customer.RegisterInput{Name: "M", Address: customer.AddressInput{Street: runes(201, 'x')}}, []string{"address.street:too_long"}},
		{"city with control", customer.RegisterInput{Name: "M", Address: customer.AddressInput{City: "São\x07Paulo"}}, []string{"address.city:invalid_format"}},
		{"consent without source", customer.RegisterInput{Name: "M", MarketingConsent: true}, []string{"source:required"}},
		{"bad source", customer.RegisterInput{Name: "M", MarketingConsent: true, Source: "Balcão"}, []string{"source:invalid_format"}},
		{
			name: "every field at fault is reported",
			in: customer.RegisterInput{
				Name: "", Document: "000", Email: "no at sign",
				Phones: customer.PhonesInput{Mobile: "123", Landline: "abc"},
				Address: customer.AddressInput{
					Street: runes(201, 'a'), Number: runes(201, '1'), Complement: runes(201, 'c'),
					District: runes(201, 'd'), City: runes(201, 'e'), State: "ZZ", PostalCode: "1",
				},
				MarketingConsent: true,
			},
			want: []string{
				"name:required", "document:invalid_length", "email:invalid_format",
				"phones.mobile:invalid_length", "phones.landline:invalid_format",
				"address.street:too_long", "address.number:too_long", "address.complement:too_long",
				"address.district:too_long", "address.city:too_long", "address.state:unknown_value",
				"address.postal_code:invalid_length", "source:required",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := customer.Register(custID, tt.in, t0)
			if c != nil {
				t.Fatalf("Register returned a customer along with the error")
			}
			requireFieldCodes(t, err, tt.want)
		})
	}
}

func TestCustomer_Register_rebuildsTheSameState(t *testing.T) {
	t.Parallel()
	c, err := customer.Register(custID, customer.RegisterInput{
		Name: "Maria da Silva", Document: "52998224725", Email: "maria@example.com",
		Phones:           customer.PhonesInput{Mobile: "11987654321", Landline: "1134567890"},
		Address:          customer.AddressInput{City: "São Paulo", State: "SP", PostalCode: "01001000"},
		MarketingConsent: true, Source: "portal",
	}, t0)
	if err != nil {
		t.Fatal(err)
	}
	loaded := given(c.Recorder().PopEvents()...)
	for _, x := range []*customer.Customer{c, loaded} {
		if x.Name() != "Maria da Silva" || x.Document() != "52998224725" || x.DocumentType() != "cpf" ||
			x.Email() != "maria@example.com" || x.Phones() != (customer.Phones{Mobile: "+5511987654321", Landline: "+551134567890"}) ||
			x.Address() != (customer.Address{City: "São Paulo", State: "SP", PostalCode: "01001000"}) ||
			!x.MarketingConsent() || !x.CreatedAt().Equal(t0) || x.IsErased() || x.ID() != custID {
			t.Fatalf("unexpected state: %+v", x)
		}
		if got := x.Consents(); len(got) != 1 || got[0].Purpose != customer.PurposeMarketing ||
			got[0].Channel != customer.ChannelAll || !got[0].Granted || got[0].Source != "portal" {
			t.Fatalf("consents = %+v", got)
		}
	}
	if loaded.Recorder().Version() != 2 {
		t.Fatalf("version = %d", loaded.Recorder().Version())
	}
}

func TestCustomer_Register_nilID(t *testing.T) {
	t.Parallel()
	if _, err := customer.Register(uuid.Nil, customer.RegisterInput{Name: "M"}, t0); err == nil {
		t.Fatal("nil id accepted")
	}
}

func TestCustomer_AddNote(t *testing.T) {
	t.Parallel()
	other := uuid.MustParse("0196a2f0-0000-7000-8000-0000000000bb")
	tests := []struct {
		name    string
		given   []es.Event
		id      uuid.UUID
		text    string
		want    []es.Event
		wantErr error
		fields  []string
	}{
		{
			name: "trimmed, line breaks kept", given: []es.Event{registered()}, id: noteID,
			text: "  Prefere contato por WhatsApp.\nNão ligar após 18h.\t ",
			want: []es.Event{customer.NoteAdded{CustomerID: custID, NoteID: noteID, Text: "Prefere contato por WhatsApp.\nNão ligar após 18h.", AddedAt: t1}},
		},
		{
			name: "5000 characters", given: []es.Event{registered()}, id: noteID, text: runes(5000, 'ç'),
			want: []es.Event{customer.NoteAdded{CustomerID: custID, NoteID: noteID, Text: runes(5000, 'ç'), AddedAt: t1}},
		},
		{
			name:  "same id and text again is a no-op",
			given: []es.Event{registered(), customer.NoteAdded{CustomerID: custID, NoteID: noteID, Text: "oi", AddedAt: t0}},
			id:    noteID, text: " oi ",
		},
		{
			name:  "same id with another text",
			given: []es.Event{registered(), customer.NoteAdded{CustomerID: custID, NoteID: noteID, Text: "oi", AddedAt: t0}},
			id:    noteID, text: "olá", wantErr: errs.ErrConflict,
		},
		{
			name:  "another note",
			given: []es.Event{registered(), customer.NoteAdded{CustomerID: custID, NoteID: noteID, Text: "oi", AddedAt: t0}},
			id:    other, text: "oi",
			want: []es.Event{customer.NoteAdded{CustomerID: custID, NoteID: other, Text: "oi", AddedAt: t1}},
		},
		{name: "empty", given: []es.Event{registered()}, id: noteID, text: " \n ", fields: []string{"text:required"}},
		{name: "too long", given: []es.Event{registered()}, id: noteID, text: runes(5001, 'a'), fields: []string{"text:too_long"}},
		{name: "control character", given: []es.Event{registered()}, id: noteID, text: "a\x1bb", fields: []string{"text:invalid_format"}},
		{name: "unregistered customer", id: noteID, text: "oi", wantErr: errs.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := given(tt.given...)
			err := c.AddNote(tt.id, tt.text, t1)
			switch {
			case tt.fields != nil:
				requireFieldCodes(t, err, tt.fields)
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
			case err != nil:
				t.Fatalf("AddNote: %v", err)
			}
			requireEvents(t, c, tt.want)
		})
	}
}

func TestCustomer_Notes(t *testing.T) {
	t.Parallel()
	c := given(registered(), customer.NoteAdded{CustomerID: custID, NoteID: noteID, Text: "oi", AddedAt: t0})
	notes := c.Notes()
	if len(notes) != 1 || notes[0] != (customer.Note{ID: noteID, Text: "oi", At: t0}) {
		t.Fatalf("notes = %+v", notes)
	}
	notes[0].Text = "changed"
	if c.Notes()[0].Text != "oi" {
		t.Fatal("Notes exposes internal state")
	}
}

func TestCustomer_Erase(t *testing.T) {
	t.Parallel()
	c := given(registered(), marketingGiven(t0), customer.NoteAdded{CustomerID: custID, NoteID: noteID, Text: "oi", AddedAt: t0})
	if err := c.Erase(t1); err != nil {
		t.Fatalf("Erase: %v", err)
	}
	requireEvents(t, c, []es.Event{customer.Erased{CustomerID: custID, ErasedAt: t1}})
	requireEmpty(t, c)
}

func TestCustomer_Erase_refusesCommands(t *testing.T) {
	t.Parallel()
	commands := map[string]func(*customer.Customer) error{
		"Correct": func(c *customer.Customer) error {
			return c.Correct(customer.CustomerPatch{Name: customer.Some("Outra")}, t1)
		},
		"AddNote":         func(c *customer.Customer) error { return c.AddNote(noteID, "oi", t1) },
		"GiveConsent":     func(c *customer.Customer) error { return c.GiveConsent("marketing", "all", "api", t1) },
		"WithdrawConsent": func(c *customer.Customer) error { return c.WithdrawConsent("marketing", "api", t1) },
		"Erase":           func(c *customer.Customer) error { return c.Erase(t1) },
	}
	for name, cmd := range commands {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, c := range []*customer.Customer{
				given(registered(), marketingGiven(t0), customer.Erased{CustomerID: custID, ErasedAt: t0}),
				given(), // never registered
			} {
				if err := cmd(c); !errors.Is(err, errs.ErrNotFound) {
					t.Fatalf("err = %v, want ErrNotFound", err)
				}
				requireEvents(t, c, nil)
			}
		})
	}
}

// requireEmpty asserts the customer exposes no personal data.
func requireEmpty(t *testing.T, c *customer.Customer) {
	t.Helper()
	if !c.IsErased() || c.Name() != "" || c.Document() != "" || c.DocumentType() != "" || c.Email() != "" ||
		c.Phones() != (customer.Phones{}) || c.Address() != (customer.Address{}) || c.MarketingConsent() ||
		len(c.Notes()) != 0 || len(c.Consents()) != 0 ||
		c.HasConsent(customer.PurposeMarketing, customer.ChannelEmail) {
		t.Fatalf("erased customer still exposes data: %+v", c)
	}
}

func TestCustomer_Apply_erasedPlaceholder(t *testing.T) {
	t.Parallel()
	const gone = "[removido]"
	stored := []es.Event{
		customer.Registered{
			CustomerID: custID, Name: gone, Document: gone, DocumentType: "cpf", Email: gone,
			MobilePhone: gone, LandlinePhone: gone, Street: gone, Number: gone, Complement: gone,
			District: gone, City: gone, State: gone, PostalCode: gone, RegisteredAt: t0,
		},
		marketingGiven(t0),
		customer.Corrected{
			CustomerID: custID, Changed: []string{"name", "document", "phones.mobile", "address.postal_code"},
			Name: gone, Document: gone, DocumentType: "cnpj", MobilePhone: gone, PostalCode: gone, CorrectedAt: t0,
		},
		customer.NoteAdded{CustomerID: custID, NoteID: noteID, Text: gone, AddedAt: t0},
	}

	t.Run("before the erasure event", func(t *testing.T) {
		t.Parallel()
		c := given(stored...)
		if c.Name() != gone || c.Document() != gone || c.DocumentType() != "cnpj" || c.Phones().Mobile != gone {
			t.Fatalf("placeholder not applied as stored: %+v", c)
		}
	})
	t.Run("with the erasure event and events after it", func(t *testing.T) {
		t.Parallel()
		all := append(append([]es.Event(nil), stored...),
			customer.Erased{CustomerID: custID, ErasedAt: t1},
			customer.Corrected{CustomerID: custID, Changed: []string{"email", "unknown.field"}, Email: gone, CorrectedAt: t1},
			customer.NoteAdded{CustomerID: custID, NoteID: noteID, Text: gone, AddedAt: t1},
			customer.ConsentGiven{CustomerID: custID, Purpose: "future_purpose", Channel: "pigeon", Source: gone, GivenAt: t1},
			customer.ConsentWithdrawn{CustomerID: custID, Purpose: "marketing", Source: gone, WithdrawnAt: t1},
		)
		c := given(all...)
		requireEmpty(t, c)
		if !c.CreatedAt().Equal(t0) || c.Recorder().Version() != int64(len(all)) {
			t.Fatalf("created %v version %d", c.CreatedAt(), c.Recorder().Version())
		}
	})
}

func TestCustomer_EventNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		e    es.Event
		name string
	}{
		{customer.Registered{}, "customer.registered.v1"},
		{customer.Corrected{}, "customer.corrected.v1"},
		{customer.NoteAdded{}, "customer.note_added.v1"},
		{customer.ConsentGiven{}, "customer.consent_given.v1"},
		{customer.ConsentWithdrawn{}, "customer.consent_withdrawn.v1"},
		{customer.Erased{}, "customer.erased.v1"},
	}
	for _, tt := range tests {
		if got := tt.e.EventName(); got != tt.name {
			t.Errorf("%T.EventName() = %q, want %q", tt.e, got, tt.name)
		}
	}
}

// Times are stored in UTC whatever the caller's zone.
func TestCustomer_Register_storesUTC(t *testing.T) {
	t.Parallel()
	sp := time.FixedZone("BRT", -3*60*60)
	c, err := customer.Register(custID, customer.RegisterInput{Name: "M"}, t0.In(sp))
	if err != nil {
		t.Fatal(err)
	}
	if at := c.CreatedAt(); at.Location() != time.UTC || !at.Equal(t0) {
		t.Fatalf("created at %v", at)
	}
}
