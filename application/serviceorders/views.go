package serviceorders

import (
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/serviceorder"
)

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

// fromAggregate builds the view of an order just written.
func fromAggregate(o *serviceorder.ServiceOrder, version int64) ServiceOrder {
	out := ServiceOrder{
		ID: o.ID(), Number: o.Number(), Status: o.Status().String(), CustomerID: o.CustomerID(), VehicleID: o.VehicleID(),
		Description: o.Description(), TotalCents: o.TotalCents(), MechanicID: o.MechanicID(),
		OpenedAt: o.OpenedAt(), UpdatedAt: o.OpenedAt(), Version: version, Items: []OrderItem{},
	}
	if km, ok := o.MileageKm(); ok {
		out.MileageKm = &km
	}
	for _, it := range o.Items() {
		out.Items = append(out.Items, OrderItem{Line: it.Line, Service: it.Service, Description: it.Description,
			Quantity: it.Quantity, UnitPriceCents: it.UnitPriceCents, TotalCents: it.TotalCents})
	}
	for _, h := range o.StatusHistory() {
		out.StatusHistory = append(out.StatusHistory, StatusChange{From: h.From.String(), To: h.To.String(), Note: h.Note, At: h.At})
		out.UpdatedAt = h.At
	}
	return out
}
