// Package workshops holds the use cases of a workshop's own settings: its
// profile, logo, public privacy policy and service catalogue. It owns
// WorkshopView, the read-model entry every other module shows.
package workshops

import (
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/workshop"
)

// Deps are the ports the workshop use cases need.
type Deps struct {
	Store     eventsourcing.EventStore
	Directory Directory
	Assets    AssetStore
	Catalogs  CatalogReader
}

// UseCases runs the workshop use cases.
type UseCases struct {
	usecase.Base
	d         Deps
	workshops *eventsourcing.Repository[*workshop.Workshop]
}

// New wires the use cases; it names every missing port.
func New(base usecase.Base, deps Deps) (*UseCases, error) {
	if err := usecase.Required("workshops", map[string]bool{"Store": deps.Store != nil, "Directory": deps.Directory != nil,
		"Assets": deps.Assets != nil, "Catalogs": deps.Catalogs != nil}); err != nil {
		return nil, err
	}
	return &UseCases{Base: base.WithDefaults(), d: deps,
		workshops: eventsourcing.NewRepository(deps.Store, workshop.StreamType, workshop.Blank)}, nil
}
