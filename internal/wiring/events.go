package wiring

import (
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/franchise"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/domain/vehicle"
	"github.com/torquehq/torque/domain/workshop"
	"github.com/torquehq/torque/infrastructure/eventcodec"
)

// RegisterEvents lists every event type the binary can load, with the
// personal fields the payload hook encrypts per data subject (CustomerID).
func RegisterEvents(r *eventcodec.Registry) {
	eventcodec.Register[workshop.Created](r)
	eventcodec.Register[workshop.StaffAdded](r)
	eventcodec.Register[workshop.StaffRoleChanged](r)
	eventcodec.Register[workshop.StaffRemoved](r)
	eventcodec.Register[workshop.ProfileUpdated](r)
	eventcodec.Register[workshop.BillingLinked](r)
	eventcodec.Register[workshop.BillingUpdated](r)
	eventcodec.Register[workshop.Suspended](r)
	eventcodec.Register[workshop.Reinstated](r)
	eventcodec.Register[workshop.FranchiseJoined](r)
	eventcodec.Register[workshop.FranchiseLeft](r)

	eventcodec.Register[franchise.Created](r)
	eventcodec.Register[franchise.ManagerAdded](r)
	eventcodec.Register[franchise.ManagerRemoved](r)
	eventcodec.Register[franchise.WorkshopInvited](r)
	eventcodec.Register[franchise.WorkshopJoined](r)
	eventcodec.Register[franchise.WorkshopRemoved](r)

	eventcodec.Register[customer.Registered](r, eventcodec.Personal("CustomerID", customer.Registered{}.PersonalFields()...))
	eventcodec.Register[customer.Corrected](r, eventcodec.Personal("CustomerID", customer.Corrected{}.PersonalFields()...))
	eventcodec.Register[customer.NoteAdded](r, eventcodec.Personal("CustomerID", customer.NoteAdded{}.PersonalFields()...))
	eventcodec.Register[customer.ConsentGiven](r)
	eventcodec.Register[customer.ConsentWithdrawn](r)
	eventcodec.Register[customer.Erased](r)

	eventcodec.Register[vehicle.Registered](r, eventcodec.Personal("CustomerID", vehicle.Registered{}.PersonalFields()...))
	eventcodec.Register[vehicle.Corrected](r, eventcodec.Personal("CustomerID", vehicle.Corrected{}.PersonalFields()...))
	eventcodec.Register[vehicle.MileageRecorded](r)
	eventcodec.Register[vehicle.OdometerReplaced](r)
	eventcodec.Register[vehicle.Transferred](r, eventcodec.Personal("CustomerID", vehicle.Transferred{}.PersonalFields()...))

	eventcodec.Register[serviceorder.Opened](r)
	eventcodec.Register[serviceorder.ItemAdded](r)
	eventcodec.Register[serviceorder.ItemRemoved](r)
	eventcodec.Register[serviceorder.StatusChanged](r)
	eventcodec.Register[serviceorder.MechanicAssigned](r)
}
