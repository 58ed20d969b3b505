package httpapi

import (
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/serviceorders"
)

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
