package readmodel

import (
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/domain/vehicle"
	"github.com/torquehq/torque/infrastructure/eventcodec"
)

// RegisterRegistryEvents adds the customer, vehicle and service-order event
// catalogues, which the registry projections read, to a codec registry. The
// binary registers every catalogue in internal/wiring; this is for the
// projections' tests, which need only these.
func RegisterRegistryEvents(r *eventcodec.Registry) {
	eventcodec.RegisterCatalogues(r, customer.Events, vehicle.Events, serviceorder.Events)
}
