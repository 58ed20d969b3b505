package registry

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
)

// Use-case names recorded as the audit endpoint when the caller did not
// name its route with WithEndpoint.
const (
	EndpointGetCustomer     = "customers.get"
	EndpointSearchCustomers = "customers.search"
	EndpointCustomerHistory = "customers.history"
	EndpointListNotes       = "customers.notes.list"
	EndpointExportCustomer  = "customers.export"
	EndpointListConsents    = "customers.consents.list"
	EndpointGetVehicle      = "vehicles.get"
	EndpointVehicleHistory  = "vehicles.history"
)

type endpointKey struct{}

// WithEndpoint names the route serving the request (e.g. "GET
// /api/v1/workshops/{slug}/customers/{id}") for the audit log of personal
// data reads. Without it the log names the use case.
func WithEndpoint(ctx context.Context, endpoint string) context.Context {
	return context.WithValue(ctx, endpointKey{}, endpoint)
}

func endpointOf(ctx context.Context, useCase string) string {
	if e, ok := ctx.Value(endpointKey{}).(string); ok && e != "" {
		return e
	}
	return useCase
}

// actorOf names the principal the way events name their actor.
func actorOf(p authz.Principal) string {
	if p.Role == authz.RoleCustomer {
		return "customer:" + p.IdentityID
	}
	return "staff:" + p.IdentityID
}

// read is what one use case read of one person.
type read struct {
	subject uuid.UUID
	fields  []string
}

// reads gathers the fields read per person, in first-seen order.
type reads struct {
	order []uuid.UUID
	by    map[uuid.UUID][]string
}

func (r *reads) add(subject uuid.UUID, fields ...string) {
	if subject == uuid.Nil || len(fields) == 0 {
		return
	}
	if r.by == nil {
		r.by = map[uuid.UUID][]string{}
	}
	cur, seen := r.by[subject]
	if !seen {
		r.order = append(r.order, subject)
	}
	for _, f := range fields {
		if !slices.Contains(cur, f) {
			cur = append(cur, f)
		}
	}
	r.by[subject] = cur
}

func (r *reads) list() []read {
	out := make([]read, 0, len(r.order))
	for _, s := range r.order {
		out = append(out, read{subject: s, fields: r.by[s]})
	}
	return out
}

// audit records the reads before the data leaves the use case: when the
// log cannot be written, the data is not returned.
func (s *Service) audit(ctx context.Context, p authz.Principal, useCase string, rs reads) error {
	list := rs.list()
	if len(list) == 0 {
		return nil
	}
	now := s.now()
	endpoint := endpointOf(ctx, useCase)
	entries := make([]AuditEntry, 0, len(list))
	for _, r := range list {
		entries = append(entries, AuditEntry{
			ID: s.d.NewID(), Actor: actorOf(p), At: now, SubjectID: r.subject, Fields: r.fields, Endpoint: endpoint,
		})
	}
	if err := s.d.Audit.Record(ctx, entries); err != nil {
		return fmt.Errorf("audit personal data read: %w", err)
	}
	return nil
}

// customerFields lists the personal fields a customer view exposes.
func customerFields(c Customer) []string {
	var out []string
	if c.Name != "" {
		out = append(out, "name")
	}
	if k := c.Contact; k != nil {
		if k.Document != "" {
			out = append(out, "document")
		}
		if k.Email != "" {
			out = append(out, "email")
		}
		if k.Phones != (Phones{}) {
			out = append(out, "phones")
		}
		if k.Address != (Address{}) {
			out = append(out, "address")
		}
	}
	return out
}

// addVehicles records that the plates of vs were read; a plate is personal
// data of the vehicle's current owner.
func (r *reads) addVehicles(vs ...Vehicle) {
	for _, v := range vs {
		if v.Plate != "" {
			r.add(v.CustomerID, "vehicle.plate")
		}
	}
}
