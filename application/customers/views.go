package customers

import (
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/customer"
)

// Customer is a customer as the API shows it.
type Customer struct {
	ID   uuid.UUID
	Name string
	// Contact is nil when the caller may not read personal data (e.g. a
	// mechanic): the HTTP layer then omits document, document_type, email,
	// phones and address altogether.
	Contact          *Contact
	MarketingConsent bool
	CreatedAt        time.Time
	Version          int64
	// Erased is true for the anonymised record left by an erasure; only the
	// data export shows such a record.
	Erased bool
	// Vehicles are the vehicles the customer owns now (GetCustomer and
	// CorrectCustomer fill it; search results leave it nil).
	Vehicles []vehicles.Vehicle
}

// Contact is a customer's personal contact data, normalised: Document
// without mask, DocumentType "cpf", "cnpj" or "", Email in lower case,
// phones in E.164, PostalCode as 8 digits. "" means absent.
type Contact struct {
	Document     string
	DocumentType string
	Email        string
	Phones       Phones
	Address      Address
}

// Phones are the customer's phones in E.164.
type Phones struct {
	Mobile   string
	Landline string
}

// Address is a postal address; State is a UF such as "SP".
type Address struct {
	Street     string
	Number     string
	Complement string
	District   string
	City       string
	State      string
	PostalCode string
}

// VehicleRef names the vehicle of a history entry.
type VehicleRef struct {
	ID    uuid.UUID
	Plate string
}

// HistoryEntry is one service order of a customer's history.
type HistoryEntry struct {
	Order   serviceorders.ServiceOrder
	Vehicle VehicleRef
}

// Note is a remark of the workshop about a customer.
type Note struct {
	ID      uuid.UUID
	Text    string
	AddedAt time.Time
	// Author is the actor who wrote it ("staff:<identity id>").
	Author string
}

// fromAggregate builds the view of a customer just written.
func fromAggregate(c *customer.Customer, version int64, withPII bool) Customer {
	out := Customer{
		ID: c.ID(), Name: c.Name(), MarketingConsent: c.MarketingConsent(),
		CreatedAt: c.CreatedAt(), Version: version, Erased: c.IsErased(),
	}
	if withPII {
		ph, a := c.Phones(), c.Address()
		out.Contact = &Contact{
			Document: c.Document(), DocumentType: c.DocumentType(), Email: c.Email(),
			Phones: Phones{Mobile: ph.Mobile, Landline: ph.Landline},
			Address: Address{Street: a.Street, Number: a.Number, Complement: a.Complement, District: a.District,
				City: a.City, State: a.State, PostalCode: a.PostalCode},
		}
	}
	return out
}
