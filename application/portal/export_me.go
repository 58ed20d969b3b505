package portal

import (
	"context"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/datasubject"
)

// ExportMe is GET /api/v1/portal/{slug}/me/export: the LGPD export of the
// car owner's record (datasubject.ExportCustomer, authz.PortalRead).
func (u *UseCases) ExportMe(ctx context.Context) (datasubject.Export, error) {
	_, id, err := owner(ctx, authz.PortalRead)
	if err != nil {
		return datasubject.Export{}, err
	}
	return u.d.Exports.ExportCustomer(ctx, id)
}
