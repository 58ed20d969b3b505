package tenancy

import (
	"context"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/workshop"
)

// CatalogReader reads a workshop's service catalogue (default + own).
type CatalogReader interface {
	// Catalog returns the catalogue of the workshop in ctx.
	Catalog(ctx context.Context) (catalog.Catalog, error)
}

// Services lists the workshop's catalogue: the default codes with their pt-BR
// labels and preventive intervals, and the workshop's own.
func (s *Service) Services(ctx context.Context) ([]catalog.Service, error) {
	if _, err := authz.Require(ctx, authz.ReadWorkshop); err != nil {
		return nil, err
	}
	cat, err := s.d.Catalogs.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	return cat.Services(), nil
}

// DefineService adds or redefines one of the workshop's own services.
func (s *Service) DefineService(ctx context.Context, code, label string, intervalKm int64, intervalMonths int) ([]catalog.Service, error) {
	p, err := authz.Require(ctx, authz.ManageCatalog)
	if err != nil {
		return nil, err
	}
	res, err := s.workshops.Update(ctx, p.Tenant.UUID(), func(w *workshop.Workshop) error {
		return w.DefineService(code, label, intervalKm, intervalMonths)
	}, eventsourcingRetry())
	if err != nil {
		return nil, err
	}
	s.await(ctx, res)
	return s.Services(ctx)
}

// RemoveService removes one of the workshop's own services (orders that
// used it keep their items).
func (s *Service) RemoveService(ctx context.Context, code string) error {
	p, err := authz.Require(ctx, authz.ManageCatalog)
	if err != nil {
		return err
	}
	res, err := s.workshops.Update(ctx, p.Tenant.UUID(), func(w *workshop.Workshop) error { return w.RemoveService(code) },
		eventsourcingRetry())
	if err != nil {
		return err
	}
	s.await(ctx, res)
	return nil
}
