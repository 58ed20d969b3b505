package registry

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/errs"
)

// RegisterCustomer registers a customer (POST .../customers). A document
// already registered in the workshop is a *errs.ConflictError naming the
// existing customer. When in.MarketingConsent is set without a Source, the
// consent is recorded as given through the API.
func (s *Service) RegisterCustomer(ctx context.Context, in customer.RegisterInput) (Customer, error) {
	p, err := authz.Require(ctx, authz.WriteCustomer)
	if err != nil {
		return Customer{}, err
	}
	if in.MarketingConsent && strings.TrimSpace(in.Source) == "" {
		in.Source = DefaultSource
	}
	id := s.d.NewID()
	c, err := customer.Register(id, in, s.now())
	if err != nil {
		return Customer{}, err
	}
	cl, err := s.claim(ctx, UniqueDocument, c.Document(), id, s.customerAlive)
	if err != nil {
		return Customer{}, err
	}
	res, err := s.customers.Create(ctx, id, c)
	if err != nil {
		cl.undo(ctx)
		return Customer{}, err
	}
	s.await(ctx, res)
	out := customerFromAggregate(c, res.ToVersion, canReadPII(p))
	out.Vehicles = []Vehicle{}
	return out, nil
}

// GetCustomer returns the customer and the vehicles it owns (GET
// .../customers/{id}). Without authz.ReadCustomerPII, Contact is nil.
func (s *Service) GetCustomer(ctx context.Context, id uuid.UUID) (Customer, error) {
	p, err := authz.Require(ctx, authz.ReadCustomer)
	if err != nil {
		return Customer{}, err
	}
	c, err := s.activeCustomerView(ctx, id, canReadPII(p))
	if err != nil {
		return Customer{}, err
	}
	if c.Vehicles, err = s.d.Vehicles.VehiclesOf(ctx, id); err != nil {
		return Customer{}, err
	}
	c.Vehicles = nonNil(c.Vehicles)
	var rs reads
	rs.add(id, customerFields(c)...)
	rs.addVehicles(c.Vehicles...)
	if err := s.audit(ctx, p, EndpointGetCustomer, rs); err != nil {
		return Customer{}, err
	}
	return c, nil
}

// activeCustomerView reads a customer that exists and is not erased.
func (s *Service) activeCustomerView(ctx context.Context, id uuid.UUID, withPII bool) (Customer, error) {
	c, err := s.d.Customers.Customer(ctx, id, withPII)
	if err != nil {
		return Customer{}, err
	}
	if c.Erased {
		return Customer{}, fmt.Errorf("customer %s was erased: %w", id, errs.ErrNotFound)
	}
	return c, nil
}

// CorrectCustomerInput is PATCH .../customers/{id}: a JSON merge patch and,
// from If-Match, the version the client saw.
type CorrectCustomerInput struct {
	CustomerID uuid.UUID
	Patch      customer.CustomerPatch
	// ExpectedVersion, when set, fails the correction with
	// errs.ErrPreconditionFailed unless the customer is at that version.
	ExpectedVersion *int64
}

// CorrectCustomer applies a merge patch (LGPD right to correction) and
// returns the customer as GetCustomer would (without auditing: the caller
// wrote the data). A document held by another customer is a
// *errs.ConflictError.
func (s *Service) CorrectCustomer(ctx context.Context, in CorrectCustomerInput) (Customer, error) {
	p, err := authz.Require(ctx, authz.WriteCustomer)
	if err != nil {
		return Customer{}, err
	}
	patch := in.Patch
	if patch.MarketingConsent.Set && strings.TrimSpace(patch.Source) == "" {
		patch.Source = DefaultSource
	}
	now := s.now()
	newDoc := ""
	if d := patch.Document; d.Set && !d.Null {
		newDoc = d.Value
	}
	cl, err := s.claim(ctx, UniqueDocument, newDoc, in.CustomerID, s.customerAlive)
	if err != nil {
		return Customer{}, err
	}
	var after *customer.Customer
	var oldDoc string
	res, err := s.customers.Update(ctx, in.CustomerID, func(c *customer.Customer) error {
		oldDoc = c.Document()
		if err := c.Correct(patch, now); err != nil {
			return err
		}
		after = c
		return nil
	}, updateOptions(in.ExpectedVersion)...)
	if err != nil {
		cl.undo(ctx)
		return Customer{}, err
	}
	if oldDoc != "" && oldDoc != after.Document() {
		s.release(ctx, UniqueDocument, oldDoc, in.CustomerID)
	}
	s.await(ctx, res)
	out := customerFromAggregate(after, res.ToVersion, canReadPII(p))
	if out.Vehicles, err = s.d.Vehicles.VehiclesOf(ctx, in.CustomerID); err != nil {
		return Customer{}, err
	}
	out.Vehicles = nonNil(out.Vehicles)
	return out, nil
}

// customerFromAggregate builds the view of a customer just written.
func customerFromAggregate(c *customer.Customer, version int64, withPII bool) Customer {
	out := Customer{
		ID: c.ID(), Name: c.Name(), MarketingConsent: c.MarketingConsent(),
		CreatedAt: c.CreatedAt(), Version: version, Erased: c.IsErased(),
	}
	if withPII {
		ph, a := c.Phones(), c.Address()
		out.Contact = &Contact{
			Document: c.Document(), DocumentType: c.DocumentType(), Email: c.Email(),
			Phones: Phones{Mobile: ph.Mobile, Landline: ph.Landline},
			Address: Address{Street: a.Street, Number: a.Number, Complement: a.Complement, District: a.District,
				City: a.City, State: a.State, PostalCode: a.PostalCode},
		}
	}
	return out
}

// SearchCustomersInput is GET .../customers?q=.
type SearchCustomersInput struct {
	// Query is a name (words or their beginnings), a CPF/CNPJ, an e-mail, a
	// phone or a plate, typed any way; "" lists every customer.
	Query string
	Page  PageRequest
}

// maxQueryRunes bounds a search query.
const maxQueryRunes = 200

const cursorCustomers = "c"

// SearchCustomers finds customers by blind indexes: exact CPF/CNPJ,
// e-mail, phone or plate (old and Mercosul forms alike), or every word of a
// name by its beginning. Without authz.ReadCustomerPII only names and
// plates are searched, so a mechanic cannot probe whose CPF is whose.
// Results are in id order.
func (s *Service) SearchCustomers(ctx context.Context, in SearchCustomersInput) (Page[Customer], error) {
	p, err := authz.Require(ctx, authz.ReadCustomer)
	if err != nil {
		return Page[Customer]{}, err
	}
	limit, err := limitOf(in.Page)
	if err != nil {
		return Page[Customer]{}, err
	}
	after, err := uuidCursor(cursorCustomers, in.Page.Cursor)
	if err != nil {
		return Page[Customer]{}, err
	}
	pii := canReadPII(p)
	q, err := s.searchQuery(ctx, in.Query, pii)
	if err != nil {
		return Page[Customer]{}, err
	}
	if q.IsEmpty() && strings.TrimSpace(in.Query) != "" {
		// Only punctuation: nothing to look up, and not "everyone" either.
		return Page[Customer]{Items: []Customer{}}, nil
	}
	ids, err := s.d.Search.SearchCustomers(ctx, q, after, limit+1)
	if err != nil {
		return Page[Customer]{}, err
	}
	next := ""
	if len(ids) > limit {
		ids = ids[:limit]
		next = encodeCursor(cursorCustomers, ids[len(ids)-1].String())
	}
	found, err := s.d.Customers.CustomersByID(ctx, ids, pii)
	if err != nil {
		return Page[Customer]{}, err
	}
	var rs reads
	for _, c := range found {
		rs.add(c.ID, customerFields(c)...)
	}
	if err := s.audit(ctx, p, EndpointSearchCustomers, rs); err != nil {
		return Page[Customer]{}, err
	}
	return Page[Customer]{Items: nonNil(found), NextCursor: next}, nil
}

// searchQuery turns what the user typed into blind-index lookups. The text
// is tried as every kind it could be: "11987654321" is both a phone and,
// were its check digits right, a CPF.
func (s *Service) searchQuery(ctx context.Context, text string, withPII bool) (SearchQuery, error) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return SearchQuery{}, nil
	case !utf8.ValidString(text):
		return SearchQuery{}, errs.Invalid("q", br.CodeInvalidFormat, "q must be valid UTF-8")
	case utf8.RuneCountInString(text) > maxQueryRunes:
		return SearchQuery{}, errs.Invalid("q", "too_long", "q must have at most 200 characters")
	}
	var exact []privacy.Term
	if withPII {
		for _, f := range []func(string) (privacy.Term, bool){DocumentTerm, EmailTerm, PhoneTerm} {
			if t, ok := f(text); ok {
				exact = append(exact, t)
			}
		}
	}
	if t, ok := PlateTerm(text); ok {
		exact = append(exact, t)
	}
	var q SearchQuery
	for _, t := range exact {
		h, err := s.d.Index.Index(ctx, t.Kind, t.Value)
		if err != nil {
			return SearchQuery{}, err
		}
		q.AnyOf = append(q.AnyOf, IndexTerm{Kind: t.Kind, Hash: h})
	}
	for _, t := range privacy.NameQueryTerms(text) {
		h, err := s.d.Index.Index(ctx, t.Kind, t.Value)
		if err != nil {
			return SearchQuery{}, err
		}
		q.AllOf = append(q.AllOf, IndexTerm{Kind: t.Kind, Hash: h})
	}
	return q, nil
}

// CustomerHistoryInput is GET .../customers/{id}/history.
type CustomerHistoryInput struct {
	CustomerID uuid.UUID
	Page       PageRequest
}

const cursorHistory = "h"

// CustomerHistory lists the customer's service orders, newest first, each
// with its vehicle (id and plate) and items.
func (s *Service) CustomerHistory(ctx context.Context, in CustomerHistoryInput) (Page[HistoryEntry], error) {
	p, err := authz.Require(ctx, authz.ReadCustomer)
	if err != nil {
		return Page[HistoryEntry]{}, err
	}
	limit, err := limitOf(in.Page)
	if err != nil {
		return Page[HistoryEntry]{}, err
	}
	before, err := numberCursor(cursorHistory, in.Page.Cursor)
	if err != nil {
		return Page[HistoryEntry]{}, err
	}
	if _, err := s.activeCustomerView(ctx, in.CustomerID, false); err != nil {
		return Page[HistoryEntry]{}, err
	}
	orders, err := s.d.Orders.ServiceOrders(ctx, OrderFilter{CustomerID: in.CustomerID}, before, limit+1)
	if err != nil {
		return Page[HistoryEntry]{}, err
	}
	page := pageOf(orders, limit, cursorHistory, func(o ServiceOrder) string { return fmt.Sprint(o.Number) })
	vehicles, err := s.d.Vehicles.VehiclesByID(ctx, vehicleIDs(page.Items))
	if err != nil {
		return Page[HistoryEntry]{}, err
	}
	out := Page[HistoryEntry]{Items: make([]HistoryEntry, 0, len(page.Items)), NextCursor: page.NextCursor}
	var rs reads
	for _, o := range page.Items {
		v := vehicles[o.VehicleID]
		rs.addVehicles(v)
		out.Items = append(out.Items, HistoryEntry{Order: o, Vehicle: VehicleRef{ID: o.VehicleID, Plate: v.Plate}})
	}
	if err := s.audit(ctx, p, EndpointCustomerHistory, rs); err != nil {
		return Page[HistoryEntry]{}, err
	}
	return out, nil
}

func vehicleIDs(orders []ServiceOrder) []uuid.UUID {
	seen := map[uuid.UUID]bool{}
	var out []uuid.UUID
	for _, o := range orders {
		if !seen[o.VehicleID] {
			seen[o.VehicleID] = true
			out = append(out, o.VehicleID)
		}
	}
	return out
}
