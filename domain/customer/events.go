package customer

import (
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/es"
)

// Events of the customer stream. Their names are stable and versioned; their
// fields are primitive so infrastructure can serialise them with
// encoding/json (no tags: the Go field name is the JSON key, so renaming a
// field is a schema change that needs an upcaster).
//
// Personal data sits in top-level string fields, listed with each event in
// Events, so that the privacy layer can encrypt them under the key
// of the person named by CustomerID and, once that key is shredded, hand
// them back as a placeholder such as "[removido]". Applying an event never
// re-parses those strings, so a placeholder is applied like any other text.

// Registered records a new customer with normalised values: document without
// mask plus its type ("cpf" or "cnpj", "" when absent), e-mail in lower case,
// phones in E.164, state as an upper-case UF and postal code as 8 digits.
// Empty strings mean "not given". Marketing consent is not part of it: when
// given at registration, a ConsentGiven event follows.
type Registered struct {
	CustomerID    uuid.UUID
	Name          string
	Document      string
	DocumentType  string
	Email         string
	MobilePhone   string
	LandlinePhone string
	Street        string
	Number        string
	Complement    string
	District      string
	City          string
	State         string
	PostalCode    string
	RegisteredAt  time.Time
}

// Corrected records new values for some fields of the customer's data.
// Changed lists the fields that changed, by their API names (e.g. "name",
// "phones.mobile", "address.postal_code"; a "document" change also sets
// DocumentType); the other value fields are empty and must be ignored. An
// empty string in a changed field means the field was cleared.
type Corrected struct {
	CustomerID    uuid.UUID
	Changed       []string
	Name          string
	Document      string
	DocumentType  string
	Email         string
	MobilePhone   string
	LandlinePhone string
	Street        string
	Number        string
	Complement    string
	District      string
	City          string
	State         string
	PostalCode    string
	CorrectedAt   time.Time
}

// NoteAdded records a free-text note of the workshop about the customer
// (preferences, remarks about a visit).
type NoteAdded struct {
	CustomerID uuid.UUID
	NoteID     uuid.UUID
	Text       string
	AddedAt    time.Time
}

// ConsentGiven records that the customer agreed to be contacted for Purpose
// ("service_messages" or "marketing") on Channel ("all", "email", "sms",
// "whatsapp"); Source says where the consent was collected ("api",
// "portal", "counter"...). It is the LGPD proof of consent.
type ConsentGiven struct {
	CustomerID uuid.UUID
	Purpose    string
	Channel    string
	Source     string
	GivenAt    time.Time
}

// ConsentWithdrawn records that the customer withdrew consent for Purpose
// on every channel.
type ConsentWithdrawn struct {
	CustomerID  uuid.UUID
	Purpose     string
	Source      string
	WithdrawnAt time.Time
}

// Erased records that the customer's personal data was erased (LGPD art.
// 18). It carries no personal data itself; infrastructure shreds the
// person's key so earlier events can no longer be read.
type Erased struct {
	CustomerID uuid.UUID
	ErasedAt   time.Time
}

// EventName implements es.Event.
func (Registered) EventName() string { return "customer.registered.v1" }

// EventName implements es.Event.
func (Corrected) EventName() string { return "customer.corrected.v1" }

// EventName implements es.Event.
func (NoteAdded) EventName() string { return "customer.note_added.v1" }

// EventName implements es.Event.
func (ConsentGiven) EventName() string { return "customer.consent_given.v1" }

// EventName implements es.Event.
func (ConsentWithdrawn) EventName() string { return "customer.consent_withdrawn.v1" }

// EventName implements es.Event.
func (Erased) EventName() string { return "customer.erased.v1" }

// personalDataFields are the top-level fields of Registered and Corrected
// holding the person's data. DocumentType is left out: "cpf" or "cnpj" says
// nothing about the person.
var personalDataFields = []string{
	"Name", "Document", "Email", "MobilePhone", "LandlinePhone",
	"Street", "Number", "Complement", "District", "City", "State", "PostalCode",
}

// Events lists every event type of the customer stream, with the fields
// holding personal data of the customer named by CustomerID.
var Events = es.Catalogue{
	{Event: Registered{}, Subject: "CustomerID", Personal: personalDataFields},
	{Event: Corrected{}, Subject: "CustomerID", Personal: personalDataFields},
	{Event: NoteAdded{}, Subject: "CustomerID", Personal: []string{"Text"}},
	{Event: ConsentGiven{}},
	{Event: ConsentWithdrawn{}},
	{Event: Erased{}},
	{Event: ErasureRequested{}},
}
