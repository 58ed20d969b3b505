package httpapi

import (
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/customers"
)

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

// customerJSON is a customer as the API shows it. Personal fields exist in
// the JSON only for callers who may read them (mechanics never see them),
// and are null there when the customer has none: a nil Document is absent,
// a pointer to a nil *string is null. It needs no MarshalJSON, which
// encoding/json would have re-parsed and compacted for every customer of a
// page (a tenth of a search's CPU).
type customerJSON struct {
	ID               uuid.UUID            `json:"id"`
	Name             string               `json:"name"`
	MarketingConsent bool                 `json:"marketing_consent"`
	CreatedAt        time.Time            `json:"created_at"`
	Version          int64                `json:"version"`
	Vehicles         *[]vehicleJSON       `json:"vehicles,omitempty"` // an empty list shows as [] where vehicles belong
	Erased           bool                 `json:"erased,omitempty"`
	Document         **string             `json:"document,omitempty"`
	DocumentType     **string             `json:"document_type,omitempty"`
	Email            **string             `json:"email,omitempty"`
	Phones           *phonesJSON          `json:"phones,omitempty"`
	Address          *customerAddressJSON `json:"address,omitempty"`
}

func toCustomerJSON(c customers.Customer, withVehicles bool) customerJSON {
	out := customerJSON{ID: c.ID, Name: c.Name, MarketingConsent: c.MarketingConsent, CreatedAt: c.CreatedAt.UTC(),
		Version: c.Version, Erased: c.Erased}
	if c.Contact != nil {
		k := c.Contact
		doc, docType, email := opt(k.Document), opt(k.DocumentType), opt(k.Email)
		out.Document, out.DocumentType, out.Email = &doc, &docType, &email
		out.Phones = &phonesJSON{Mobile: opt(k.Phones.Mobile), Landline: opt(k.Phones.Landline)}
		out.Address = &customerAddressJSON{Street: opt(k.Address.Street), Number: opt(k.Address.Number),
			Complement: opt(k.Address.Complement), District: opt(k.Address.District), City: opt(k.Address.City),
			State: opt(k.Address.State), PostalCode: opt(k.Address.PostalCode)}
	}
	if withVehicles {
		vs := make([]vehicleJSON, 0, len(c.Vehicles))
		for _, v := range c.Vehicles {
			vs = append(vs, toVehicleJSON(v))
		}
		out.Vehicles = &vs
	}
	return out
}
