package wiring

import (
	"github.com/torquehq/torque/domain/franchise"
	"github.com/torquehq/torque/domain/workshop"
	"github.com/torquehq/torque/infrastructure/eventcodec"
	"github.com/torquehq/torque/infrastructure/readmodel"
)

// RegisterEvents lists every event type the binary can load, with the
// personal fields the payload hook encrypts per data subject (CustomerID);
// the registry events and their personal fields are listed by readmodel.
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
	eventcodec.Register[workshop.ServiceDefined](r)
	eventcodec.Register[workshop.ServiceRemoved](r)

	eventcodec.Register[franchise.Created](r)
	eventcodec.Register[franchise.ManagerAdded](r)
	eventcodec.Register[franchise.ManagerRemoved](r)
	eventcodec.Register[franchise.WorkshopInvited](r)
	eventcodec.Register[franchise.WorkshopJoined](r)
	eventcodec.Register[franchise.WorkshopRemoved](r)

	readmodel.RegisterRegistryEvents(r)
}
