package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/errs"
)

// maxExportOrders bounds the orders an export gathers page by page.
const maxExportOrders = 100_000

// ExportCustomer gathers everything the workshop holds about the person
// (GET .../customers/{id}/export, LGPD portability): profile, vehicles
// with their odometer readings, service orders, notes, consents and
// messages sent. For an erased person it returns the anonymised record
// that remains, which holds nothing personal.
func (s *Service) ExportCustomer(ctx context.Context, id uuid.UUID) (Export, error) {
	p, err := authz.Require(ctx, authz.ExportCustomer)
	if err != nil {
		return Export{}, err
	}
	c, err := s.d.Customers.Customer(ctx, id, true)
	if err != nil {
		return Export{}, err
	}
	out := Export{GeneratedAt: s.now(), Profile: c,
		Vehicles: []VehicleExport{}, ServiceOrders: []ServiceOrder{}, Notes: []Note{}, Consents: []Consent{}, Messages: []Message{}}
	vehicles, err := s.d.Vehicles.VehiclesOf(ctx, id)
	if err != nil {
		return Export{}, err
	}
	out.Profile.Vehicles = nonNil(vehicles)
	for _, v := range vehicles {
		rs, err := s.d.Vehicles.Readings(ctx, v.ID)
		if err != nil {
			return Export{}, err
		}
		out.Vehicles = append(out.Vehicles, VehicleExport{Vehicle: v, Readings: nonNil(rs)})
	}
	if out.ServiceOrders, err = s.allOrders(ctx, OrderFilter{CustomerID: id}); err != nil {
		return Export{}, err
	}
	if !c.Erased {
		if out.Notes, err = s.d.Customers.Notes(ctx, id); err != nil {
			return Export{}, err
		}
		if out.Consents, err = s.d.Customers.Consents(ctx, id); err != nil {
			return Export{}, err
		}
		if s.d.Messages != nil {
			if out.Messages, err = s.d.Messages.MessagesTo(ctx, id); err != nil {
				return Export{}, err
			}
		}
	}
	out.Notes, out.Consents, out.Messages = nonNil(out.Notes), nonNil(out.Consents), nonNil(out.Messages)

	var rs reads
	rs.add(id, customerFields(c)...)
	rs.addVehicles(vehicles...)
	if len(out.Notes) > 0 {
		rs.add(id, "notes")
	}
	if len(out.Consents) > 0 {
		rs.add(id, "consents")
	}
	if len(out.Messages) > 0 {
		rs.add(id, "messages")
	}
	if err := s.audit(ctx, p, EndpointExportCustomer, rs); err != nil {
		return Export{}, err
	}
	return out, nil
}

// allOrders reads every order matching f, newest first.
func (s *Service) allOrders(ctx context.Context, f OrderFilter) ([]ServiceOrder, error) {
	out := []ServiceOrder{}
	var before int64
	for len(out) < maxExportOrders {
		page, err := s.d.Orders.ServiceOrders(ctx, f, before, MaxLimit)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < MaxLimit {
			break
		}
		before = page[len(page)-1].Number
	}
	return out, nil
}

// EraseCustomer erases the person (DELETE .../customers/{id}, LGPD art.
// 18, owners only): it destroys the person's key first, so every copy of
// their data, in events and read models alike, becomes unreadable at once
// even if a later step fails; then it records Erased, which removes the
// personal data from the read models, and frees the person's document and
// their vehicles' plates for reuse. The service orders stay, anonymised,
// as the workshop's warranty record of the vehicles.
//
// An unknown or already erased customer is errs.ErrNotFound.
func (s *Service) EraseCustomer(ctx context.Context, id uuid.UUID) error {
	if _, err := authz.Require(ctx, authz.EraseCustomer); err != nil {
		return err
	}
	c, err := s.customers.Load(ctx, id)
	if err != nil {
		return err
	}
	if c.IsErased() {
		return fmt.Errorf("customer %s was already erased: %w", id, errs.ErrNotFound)
	}
	vehicles, err := s.d.Vehicles.VehiclesOf(ctx, id)
	if err != nil {
		return err
	}
	if err := s.d.SubjectKeys.Shred(ctx, id); err != nil {
		return fmt.Errorf("shred the customer's key: %w", err)
	}
	now := s.now()
	res, err := s.customers.Update(ctx, id, func(c *customer.Customer) error { return c.Erase(now) },
		eventsourcing.RetryOnConflict())
	if err != nil {
		return err
	}
	// A failure below leaves stale unique keys, which claim() takes over
	// once it finds their holder erased; the erasure itself stands.
	var releaseErrs []error
	releaseErrs = append(releaseErrs, s.d.Uniqueness.ReleaseOwner(cleanupCtx(ctx), UniqueDocument, id))
	for _, v := range vehicles {
		releaseErrs = append(releaseErrs, s.d.Uniqueness.ReleaseOwner(cleanupCtx(ctx), UniquePlate, v.ID))
	}
	if err := errors.Join(releaseErrs...); err != nil {
		s.d.Logger.WarnContext(ctx, "erasure: could not free unique keys", "err", err)
	}
	s.await(ctx, res)
	return nil
}

// GiveConsentInput records a consent: Purpose "service_messages" or
// "marketing", Channel "all", "email", "sms" or "whatsapp", Source where it
// was collected ("api" when empty).
type GiveConsentInput struct {
	CustomerID uuid.UUID
	Purpose    string
	Channel    string
	Source     string
}

// GiveConsent records the customer's consent and returns the consent
// history. Repeating a consent that stands records nothing.
func (s *Service) GiveConsent(ctx context.Context, in GiveConsentInput) ([]Consent, error) {
	p, err := authz.Require(ctx, authz.ManageConsent)
	if err != nil {
		return nil, err
	}
	src := sourceOrDefault(in.Source)
	now := s.now()
	res, err := s.customers.Update(ctx, in.CustomerID, func(c *customer.Customer) error {
		return c.GiveConsent(in.Purpose, in.Channel, src, now)
	}, eventsourcing.RetryOnConflict())
	if err != nil {
		return nil, err
	}
	s.await(ctx, res)
	return s.consents(ctx, p, in.CustomerID)
}

// WithdrawConsentInput withdraws consent for a purpose on every channel.
type WithdrawConsentInput struct {
	CustomerID uuid.UUID
	Purpose    string
	Source     string
}

// WithdrawConsent records the withdrawal and returns the consent history.
func (s *Service) WithdrawConsent(ctx context.Context, in WithdrawConsentInput) ([]Consent, error) {
	p, err := authz.Require(ctx, authz.ManageConsent)
	if err != nil {
		return nil, err
	}
	src := sourceOrDefault(in.Source)
	now := s.now()
	res, err := s.customers.Update(ctx, in.CustomerID, func(c *customer.Customer) error {
		return c.WithdrawConsent(in.Purpose, src, now)
	}, eventsourcing.RetryOnConflict())
	if err != nil {
		return nil, err
	}
	s.await(ctx, res)
	return s.consents(ctx, p, in.CustomerID)
}

// ListConsents returns the customer's consent history, oldest first: per
// purpose and channel, given or withdrawn, when, how and by whom.
func (s *Service) ListConsents(ctx context.Context, customerID uuid.UUID) ([]Consent, error) {
	p, err := authz.Require(ctx, authz.ReadCustomerPII)
	if err != nil {
		return nil, err
	}
	if _, err := s.activeCustomerView(ctx, customerID, false); err != nil {
		return nil, err
	}
	return s.consents(ctx, p, customerID)
}

func (s *Service) consents(ctx context.Context, p authz.Principal, customerID uuid.UUID) ([]Consent, error) {
	list, err := s.d.Customers.Consents(ctx, customerID)
	if err != nil {
		return nil, err
	}
	var rs reads
	if len(list) > 0 {
		rs.add(customerID, "consents")
	}
	if err := s.audit(ctx, p, EndpointListConsents, rs); err != nil {
		return nil, err
	}
	return nonNil(list), nil
}

func sourceOrDefault(s string) string {
	if strings.TrimSpace(s) == "" {
		return DefaultSource
	}
	return s
}

// ListAuditInput filters the audit log of personal data reads.
type ListAuditInput struct {
	// SubjectID narrows to the reads of one person (uuid.Nil: everyone).
	SubjectID uuid.UUID
	// Actor narrows to one reader ("staff:<identity id>"; "": everyone).
	Actor string
	Page  PageRequest
}

const cursorAudit = "a"

// ListAudit lists who read whose personal data, newest first (owners only).
func (s *Service) ListAudit(ctx context.Context, in ListAuditInput) (Page[AuditEntry], error) {
	if _, err := authz.Require(ctx, authz.ReadAuditLog); err != nil {
		return Page[AuditEntry]{}, err
	}
	limit, err := limitOf(in.Page)
	if err != nil {
		return Page[AuditEntry]{}, err
	}
	before, err := uuidCursor(cursorAudit, in.Page.Cursor)
	if err != nil {
		return Page[AuditEntry]{}, err
	}
	entries, err := s.d.Audit.List(ctx, AuditFilter{SubjectID: in.SubjectID, Actor: strings.TrimSpace(in.Actor)}, before, limit+1)
	if err != nil {
		return Page[AuditEntry]{}, err
	}
	return pageOf(entries, limit, cursorAudit, func(e AuditEntry) string { return e.ID.String() }), nil
}
