package wiring

import (
	"context"
	"github.com/torquehq/torque/infrastructure/postgres"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/portal"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/infrastructure/readmodel"
	"github.com/torquehq/torque/interfaces/httpapi"
)

// newPortal builds the customer portal's use cases on the records.
func (s *System) newPortal() (*portal.UseCases, error) {
	base := usecase.Base{Consistency: s.Consistency, Logger: s.Log}
	store := readmodel.NewPortalStore(s.Pool)
	return portal.New(base, portal.Deps{Store: s.Store, Index: s.Cipher.BlindIndexer(),
		Search: readmodel.NewCustomerSearchIndex(s.Pool), Customers: readmodel.NewCustomerReadModel(s.Pool, s.Cipher),
		Records: s.Records.Customers, Exports: s.Records.DataSubject, Orders: readmodel.NewServiceOrderReadModel(s.Pool, s.Cipher),
		Directory: s.Ory, Codes: s.Ory, Flows: store, Erasures: store})
}

// portalScopes resolves a portal's slug (workshop directory) and the car
// owner's records there (portal.CustomersOf): session.PortalScopes.
type portalScopes struct {
	dir    *readmodel.PostgresWorkshopDirectory
	portal *portal.UseCases
}

func (p portalScopes) PortalWorkshop(ctx context.Context, slug string) (workshops.WorkshopView, error) {
	return p.dir.WorkshopBySlug(ctx, slug)
}

func (p portalScopes) CustomersOf(ctx context.Context, email string) ([]uuid.UUID, error) {
	return p.portal.CustomersOf(ctx, email)
}

// PortalRoutes lists the features' car-owner routes: each func (a handler's
// MountPortal method) registers routes relative to /api/v1/portal/{slug},
// behind httpapi.PortalAuthenticated (tenant and the car owner's
// authz.Principal in the context). Add a feature's MountPortal here.
func (s *System) PortalRoutes() []func(chi.Router) {
	return []func(chi.Router){s.quoteHandlers().MountPortal, s.BookingPortalRoutes(), s.SupportHandlers().MountPortal, s.messagingHandlers().MountPortal}
}

// PortalPublicRoutes lists the features' public portal routes (no login;
// tenant only in the context), relative to /api/v1/portal/{slug}.
func (s *System) PortalPublicRoutes() []func(chi.Router) {
	return []func(chi.Router){s.SupportHandlers().MountPortalPublic}
}

// portalHandlers are the REST handlers of the customer portal.
func (s *System) portalHandlers() *httpapi.PortalHandlers {
	return &httpapi.PortalHandlers{Portal: s.Portal, Scopes: portalScopes{dir: s.Directory, portal: s.Portal},
		Authn: s.Ory, Limits: httpapi.SharedRateLimits(postgres.NewRateCounter(s.Pool)), TrustProxy: s.Cfg.TrustProxy, Log: s.Log,
		PortalRoutes: s.PortalRoutes(), PublicRoutes: s.PortalPublicRoutes()}
}
