package vehicles

import (
	"github.com/torquehq/torque/application/auditlog"
)

// Use-case names recorded as the audit endpoint when the caller did not
// name its route with auditlog.WithEndpoint.
const (
	EndpointGetVehicle     = "vehicles.get"
	EndpointVehicleHistory = "vehicles.history"
)

// AddPlateReads records in rs that the plates of vs were read; a plate is
// personal data of the vehicle's current owner, and an erased one ("") is
// nobody's.
func AddPlateReads(rs *auditlog.Reads, vs ...Vehicle) {
	for _, v := range vs {
		if v.Plate != "" {
			rs.Add(v.CustomerID, "vehicle.plate")
		}
	}
}
