package readmodel

import (
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/domain/vehicle"
	"github.com/torquehq/torque/infrastructure/eventcodec"
)

// subjectField names the field of registry events that says whose personal
// data they carry: the payload hook encrypts their personal fields under
// that customer's key.
const subjectField = "CustomerID"

// RegisterRegistryEvents adds the customer, vehicle and service-order events
// to a codec registry, with the personal fields each event type declares
// (PersonalFields). cmd/torque calls it from its event registration.
func RegisterRegistryEvents(r *eventcodec.Registry) {
	eventcodec.Register[customer.Registered](r, eventcodec.Personal(subjectField, customer.Registered{}.PersonalFields()...))
	eventcodec.Register[customer.Corrected](r, eventcodec.Personal(subjectField, customer.Corrected{}.PersonalFields()...))
	eventcodec.Register[customer.NoteAdded](r, eventcodec.Personal(subjectField, customer.NoteAdded{}.PersonalFields()...))
	eventcodec.Register[customer.ConsentGiven](r)
	eventcodec.Register[customer.ConsentWithdrawn](r)
	eventcodec.Register[customer.Erased](r)

	eventcodec.Register[vehicle.Registered](r, eventcodec.Personal(subjectField, vehicle.Registered{}.PersonalFields()...))
	eventcodec.Register[vehicle.Corrected](r, eventcodec.Personal(subjectField, vehicle.Corrected{}.PersonalFields()...))
	eventcodec.Register[vehicle.Transferred](r, eventcodec.Personal(subjectField, vehicle.Transferred{}.PersonalFields()...))
	eventcodec.Register[vehicle.MileageRecorded](r)
	eventcodec.Register[vehicle.OdometerReplaced](r)

	eventcodec.Register[serviceorder.Opened](r)
	eventcodec.Register[serviceorder.ItemAdded](r)
	eventcodec.Register[serviceorder.ItemRemoved](r)
	eventcodec.Register[serviceorder.StatusChanged](r)
	eventcodec.Register[serviceorder.MechanicAssigned](r)
}
