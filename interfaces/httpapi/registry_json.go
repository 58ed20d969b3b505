package httpapi

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/datasubject"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/vehicles"
)

// The JSON shapes of the customer registry (API.md). Personal fields are
// pointers with omitempty only where a role without access to personal data
// must not see them at all; absent optional values are null.

type phonesJSON struct {
	Mobile   *string `json:"mobile"`
	Landline *string `json:"landline"`
}

type customerAddressJSON struct {
	Street     *string `json:"street"`
	Number     *string `json:"number"`
	Complement *string `json:"complement"`
	District   *string `json:"district"`
	City       *string `json:"city"`
	State      *string `json:"state"`
	PostalCode *string `json:"postal_code"`
}

type customerJSON struct {
	ID               uuid.UUID            `json:"id"`
	Name             string               `json:"name"`
	Document         *string              `json:"document,omitempty"`
	DocumentType     *string              `json:"document_type,omitempty"`
	Email            *string              `json:"email,omitempty"`
	Phones           *phonesJSON          `json:"phones,omitempty"`
	Address          *customerAddressJSON `json:"address,omitempty"`
	MarketingConsent bool                 `json:"marketing_consent"`
	CreatedAt        time.Time            `json:"created_at"`
	Version          int64                `json:"version"`
	Vehicles         []vehicleJSON        `json:"vehicles,omitempty"`
	Erased           bool                 `json:"erased,omitempty"`
	// hasPII keeps null personal fields visible (as null) to roles that may
	// read them; see MarshalJSON.
	hasPII bool
}

// MarshalJSON shows personal fields (null when absent) only to callers who may
// read them; for the others (mechanics) the fields do not exist at all.
func (c customerJSON) MarshalJSON() ([]byte, error) {
	type public struct {
		ID               uuid.UUID      `json:"id"`
		Name             string         `json:"name"`
		MarketingConsent bool           `json:"marketing_consent"`
		CreatedAt        time.Time      `json:"created_at"`
		Version          int64          `json:"version"`
		Vehicles         *[]vehicleJSON `json:"vehicles,omitempty"`
		Erased           bool           `json:"erased,omitempty"`
	}
	pub := public{ID: c.ID, Name: c.Name, MarketingConsent: c.MarketingConsent, CreatedAt: c.CreatedAt,
		Version: c.Version, Erased: c.Erased}
	if c.Vehicles != nil {
		pub.Vehicles = &c.Vehicles // an empty list shows as [] where vehicles belong
	}
	if !c.hasPII {
		return json.Marshal(pub)
	}
	return json.Marshal(struct {
		public
		Document     *string              `json:"document"`
		DocumentType *string              `json:"document_type"`
		Email        *string              `json:"email"`
		Phones       *phonesJSON          `json:"phones"`
		Address      *customerAddressJSON `json:"address"`
	}{pub, c.Document, c.DocumentType, c.Email, c.Phones, c.Address})
}

func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func toCustomerJSON(c customers.Customer, withVehicles bool) customerJSON {
	out := customerJSON{ID: c.ID, Name: c.Name, MarketingConsent: c.MarketingConsent, CreatedAt: c.CreatedAt.UTC(),
		Version: c.Version, Erased: c.Erased}
	if c.Contact != nil {
		k := c.Contact
		out.hasPII = true
		out.Document, out.DocumentType, out.Email = opt(k.Document), opt(k.DocumentType), opt(k.Email)
		out.Phones = &phonesJSON{Mobile: opt(k.Phones.Mobile), Landline: opt(k.Phones.Landline)}
		out.Address = &customerAddressJSON{Street: opt(k.Address.Street), Number: opt(k.Address.Number),
			Complement: opt(k.Address.Complement), District: opt(k.Address.District), City: opt(k.Address.City),
			State: opt(k.Address.State), PostalCode: opt(k.Address.PostalCode)}
	}
	if withVehicles {
		out.Vehicles = []vehicleJSON{}
		for _, v := range c.Vehicles {
			out.Vehicles = append(out.Vehicles, toVehicleJSON(v))
		}
	}
	return out
}

type vehicleJSON struct {
	ID           uuid.UUID `json:"id"`
	CustomerID   uuid.UUID `json:"customer_id"`
	Plate        *string   `json:"plate"`
	Make         string    `json:"make"`
	Model        string    `json:"model"`
	Year         int       `json:"year"`
	Color        *string   `json:"color"`
	MileageKm    *int64    `json:"mileage_km"`
	RegisteredAt time.Time `json:"created_at"`
	Version      int64     `json:"version"`
}

func toVehicleJSON(v vehicles.Vehicle) vehicleJSON {
	return vehicleJSON{ID: v.ID, CustomerID: v.CustomerID, Plate: opt(v.Plate), Make: v.Make, Model: v.Model, Year: v.Year,
		Color: opt(v.Color), MileageKm: v.MileageKm, RegisteredAt: v.RegisteredAt.UTC(), Version: v.Version}
}

type orderItemJSON struct {
	Line           int64  `json:"line"`
	Service        string `json:"service"`
	Description    string `json:"description"`
	Quantity       int64  `json:"quantity"`
	UnitPriceCents int64  `json:"unit_price_cents"`
	TotalCents     int64  `json:"total_cents"`
}

type statusChangeJSON struct {
	From *string   `json:"from"`
	To   string    `json:"to"`
	Note string    `json:"note"`
	At   time.Time `json:"at"`
}

type serviceOrderJSON struct {
	ID            uuid.UUID          `json:"id"`
	Number        int64              `json:"number"`
	Status        string             `json:"status"`
	CustomerID    uuid.UUID          `json:"customer_id"`
	VehicleID     uuid.UUID          `json:"vehicle_id"`
	MileageKm     *int64             `json:"mileage_km"`
	Description   string             `json:"description"`
	Items         []orderItemJSON    `json:"items"`
	TotalCents    int64              `json:"total_cents"`
	MechanicID    *string            `json:"mechanic_id"`
	OpenedAt      time.Time          `json:"opened_at"`
	UpdatedAt     time.Time          `json:"updated_at"`
	StatusHistory []statusChangeJSON `json:"status_history"`
	Version       int64              `json:"version"`
	Vehicle       *vehicleRefJSON    `json:"vehicle,omitempty"`
}

type vehicleRefJSON struct {
	ID    uuid.UUID `json:"id"`
	Plate *string   `json:"plate"`
}

func toOrderJSON(o serviceorders.ServiceOrder) serviceOrderJSON {
	out := serviceOrderJSON{ID: o.ID, Number: o.Number, Status: o.Status, CustomerID: o.CustomerID, VehicleID: o.VehicleID,
		MileageKm: o.MileageKm, Description: o.Description, Items: []orderItemJSON{}, TotalCents: o.TotalCents,
		MechanicID: opt(o.MechanicID), OpenedAt: o.OpenedAt.UTC(), UpdatedAt: o.UpdatedAt.UTC(),
		StatusHistory: []statusChangeJSON{}, Version: o.Version}
	for _, it := range o.Items {
		out.Items = append(out.Items, orderItemJSON(it))
	}
	for _, sc := range o.StatusHistory {
		out.StatusHistory = append(out.StatusHistory, statusChangeJSON{From: opt(sc.From), To: sc.To, Note: sc.Note, At: sc.At.UTC()})
	}
	return out
}

type noteJSON struct {
	ID        uuid.UUID `json:"id"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
	Author    string    `json:"author"`
}

func toNoteJSON(n customers.Note) noteJSON {
	return noteJSON{ID: n.ID, Text: n.Text, CreatedAt: n.AddedAt.UTC(), Author: n.Author}
}

type consentJSON struct {
	Purpose string    `json:"purpose"`
	Channel string    `json:"channel"`
	Granted bool      `json:"granted"`
	Source  string    `json:"source"`
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
}

func toConsentsJSON(cs []datasubject.Consent) []consentJSON {
	out := []consentJSON{}
	for _, c := range cs {
		out = append(out, consentJSON{Purpose: c.Purpose, Channel: c.Channel, Granted: c.Granted, Source: c.Source,
			At: c.At.UTC(), Actor: c.Actor})
	}
	return out
}

type readingJSON struct {
	MileageKm   int64     `json:"mileage_km"`
	ReadAt      time.Time `json:"read_at"`
	Source      string    `json:"source"`
	NewOdometer bool      `json:"new_odometer"`
}

func toReadingsJSON(rs []vehicles.OdometerReading) []readingJSON {
	out := []readingJSON{}
	for _, r := range rs {
		out = append(out, readingJSON{MileageKm: r.Km, ReadAt: r.ReadAt.UTC(), Source: r.Source, NewOdometer: r.NewOdometer})
	}
	return out
}

// addressPatch is the JSON merge patch of an address (customers and
// workshops share the shape).
type addressPatch struct {
	Street     Optional[string] `json:"street"`
	Number     Optional[string] `json:"number"`
	Complement Optional[string] `json:"complement"`
	District   Optional[string] `json:"district"`
	City       Optional[string] `json:"city"`
	State      Optional[string] `json:"state"`
	PostalCode Optional[string] `json:"postal_code"`
}
