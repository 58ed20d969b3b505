package httpapi

import (
	"encoding/json"
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
