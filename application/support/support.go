// Package support holds the use cases of customer support (spec §3.2): the
// help centre (FAQ and tutorials in Markdown, rendered and sanitised by the
// Renderer port), support tickets with their life cycle, assignment and
// first-response due time, and the ticket a detractor's feedback opens.
//
// Staff use cases ask authz.Require for support.read, support.answer or
// support.articles; the car owner's (portal) use cases ask portal.read or
// portal.write and see only tickets of their own customer records
// (Principal.ActsFor), anything else being errs.ErrNotFound. Ticket writes
// wait for the read model (read-your-writes).
package support

import (
	"sync"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/support"
)

// Deps are the ports of the support use cases.
type Deps struct {
	// Store loads and appends ticket streams.
	Store eventsourcing.EventStore
	// Tickets reads the ticket read model.
	Tickets TicketReadModel
	// Articles keeps the help-centre articles.
	Articles ArticleStore
	// Renderer turns Markdown into sanitised HTML.
	Renderer Renderer
	// Hours gives the workshop's opening hours (optional: default hours in
	// America/Sao_Paulo).
	Hours WorkshopHours
	// Orders checks a ticket's service order (optional: order ids are then
	// only checked to be UUIDs).
	Orders OrderOwners
	// Notifier tells the customer about staff replies (optional).
	Notifier TicketNotifier
	// Directory resolves a workshop slug for the public help centre
	// (optional: then only callers with a tenant in ctx).
	Directory Workshops
	// Images keeps the articles' images (optional: no uploads without it).
	Images ImageStore
}

// UseCases runs the support use cases; create one per process.
type UseCases struct {
	base    usecase.Base
	d       Deps
	tickets *eventsourcing.Repository[*support.Ticket]
	chat    ChatDeps
	// hoursCache holds cachedHours by tenant id.
	hoursCache sync.Map
}

// New checks the required ports and wires the use cases.
func New(base usecase.Base, d Deps) (*UseCases, error) {
	if err := usecase.Required("support", map[string]bool{
		"Store": d.Store != nil, "Tickets": d.Tickets != nil, "Articles": d.Articles != nil, "Renderer": d.Renderer != nil,
	}); err != nil {
		return nil, err
	}
	return &UseCases{base: base.WithDefaults(), d: d,
		tickets: eventsourcing.NewRepository(d.Store, support.StreamType, support.Blank)}, nil
}
