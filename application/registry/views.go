package registry

import (
	"time"

	"github.com/google/uuid"
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
	Vehicles []Vehicle
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

// Vehicle is a vehicle as the API shows it.
type Vehicle struct {
	ID         uuid.UUID
	CustomerID uuid.UUID
	// Plate is normalised ("BRA2E19", "ABC1234"); "" once the owner's
	// personal data was erased (the anonymised service record).
	Plate string
	Make  string
	Model string
	Year  int
	Color string
	// MileageKm is the last odometer reading (nil: none).
	MileageKm    *int64
	RegisteredAt time.Time
	Version      int64
}

// OdometerReading is one odometer reading of a vehicle.
type OdometerReading struct {
	Km     int64
	ReadAt time.Time
	// Source is "service_order" or "manual".
	Source string
	// NewOdometer marks the first reading after the odometer was replaced.
	NewOdometer bool
}

// VehicleHistory is the service history of one vehicle, across owners.
type VehicleHistory struct {
	Vehicle Vehicle
	// ServiceOrders are newest first.
	ServiceOrders []ServiceOrder
	// Readings are in the order recorded.
	Readings []OdometerReading
}

// ServiceOrder is a service order (ordem de serviço) as the API shows it.
type ServiceOrder struct {
	ID         uuid.UUID
	Number     int64
	Status     string
	CustomerID uuid.UUID
	VehicleID  uuid.UUID
	// MileageKm is the odometer at check-in (nil: not given).
	MileageKm     *int64
	Description   string
	Items         []OrderItem
	TotalCents    int64
	MechanicID    string
	OpenedAt      time.Time
	UpdatedAt     time.Time
	StatusHistory []StatusChange
	Version       int64
}

// OrderItem is one line of a service order.
type OrderItem struct {
	Line           int64
	Service        string
	Description    string
	Quantity       int64
	UnitPriceCents int64
	TotalCents     int64
}

// StatusChange is one entry of an order's status history; the first is
// the opening, with an empty From.
type StatusChange struct {
	From string
	To   string
	Note string
	At   time.Time
}

// VehicleRef names the vehicle of a history entry.
type VehicleRef struct {
	ID    uuid.UUID
	Plate string
}

// HistoryEntry is one service order of a customer's history.
type HistoryEntry struct {
	Order   ServiceOrder
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

// Consent is one entry of a customer's consent history: what (Purpose, on
// Channel; Channel is "" for a withdrawal, which covers every channel),
// when (At), how (Source: "api", "portal", "counter"...) and who recorded
// it (Actor).
type Consent struct {
	Purpose string
	Channel string
	Granted bool
	Source  string
	At      time.Time
	Actor   string
}

// Message is one message sent to a customer.
type Message struct {
	ID       uuid.UUID
	Channel  string
	Template string
	SentAt   time.Time
	Status   string
}

// VehicleExport is a vehicle in the data export, with its readings.
type VehicleExport struct {
	Vehicle  Vehicle
	Readings []OdometerReading
}

// Export is everything the workshop holds about a person (LGPD data
// portability). After an erasure it is the anonymised record that remains:
// no personal data, the vehicles without plates and the service orders kept
// for warranty.
type Export struct {
	GeneratedAt   time.Time
	Profile       Customer
	Vehicles      []VehicleExport
	ServiceOrders []ServiceOrder
	Notes         []Note
	Consents      []Consent
	Messages      []Message
}

// AuditEntry records one read of a person's personal data.
type AuditEntry struct {
	ID uuid.UUID
	// Actor is who read ("staff:<identity id>").
	Actor     string
	At        time.Time
	SubjectID uuid.UUID
	// Fields are the API names of the fields read (e.g. "document").
	Fields []string
	// Endpoint is the HTTP route or, failing that, the use case.
	Endpoint string
}

// PageRequest asks for one page of a list: Limit 0 means DefaultLimit;
// Cursor is the NextCursor of the previous page ("" for the first).
type PageRequest struct {
	Limit  int
	Cursor string
}

// Page is one page of a list; NextCursor is "" on the last page.
type Page[T any] struct {
	Items      []T
	NextCursor string
}
