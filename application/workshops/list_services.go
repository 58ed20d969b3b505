package workshops

import (
	"context"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/catalog"
)

// ListServices lists the workshop's catalogue: the default codes with their
// pt-BR labels and preventive intervals, and the workshop's own.
func (u *UseCases) ListServices(ctx context.Context) ([]catalog.Service, error) {
	if _, err := authz.Require(ctx, authz.ReadWorkshop); err != nil {
		return nil, err
	}
	cat, err := u.d.Catalogs.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	return cat.Services(), nil
}
