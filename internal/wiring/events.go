package wiring

import (
	"github.com/torquehq/torque/domain/booking"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/franchise"
	"github.com/torquehq/torque/domain/maintenance"
	"github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/domain/support"
	"github.com/torquehq/torque/domain/vehicle"
	"github.com/torquehq/torque/domain/workshop"
	"github.com/torquehq/torque/infrastructure/eventcodec"
)

// EventCatalogues lists the event catalogue of every domain package whose
// events the binary stores or loads. Each catalogue declares its event types
// with their personal fields and upcasters; nothing else lists them.
func EventCatalogues() []es.Catalogue {
	return []es.Catalogue{
		workshop.Events,
		franchise.Events,
		customer.Events,
		vehicle.Events,
		serviceorder.Events,
		messaging.Events,
		booking.Events,
		maintenance.Events,
		support.Events,
	}
}

// RegisterEvents registers every catalogued event type with the codec.
func RegisterEvents(r *eventcodec.Codec) {
	eventcodec.RegisterCatalogues(r, EventCatalogues()...)
}
