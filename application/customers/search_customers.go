package customers

import (
	"context"
	"strings"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/pagination"
)

// SearchCustomersInput is GET .../customers?q=.
type SearchCustomersInput struct {
	// Query is a name (words or their beginnings), a CPF/CNPJ, an e-mail, a
	// phone or a plate, typed any way; "" lists every customer.
	Query string
	Page  pagination.Request
}

const cursorCustomers = "c"

// SearchCustomers finds customers by blind indexes: exact CPF/CNPJ,
// e-mail, phone or plate (old and Mercosul forms alike), or every word of a
// name by its beginning (words under three letters: whole words; name
// candidates are filtered after decrypting, see matchingCustomers). Without authz.ReadCustomerPII only names and
// plates are searched, so a mechanic cannot probe whose CPF is whose.
// Results are in id order.
func (u *UseCases) SearchCustomers(ctx context.Context, in SearchCustomersInput) (pagination.Page[Customer], error) {
	p, err := authz.Require(ctx, authz.ReadCustomer)
	if err != nil {
		return pagination.Page[Customer]{}, err
	}
	limit, err := in.Page.Size()
	if err != nil {
		return pagination.Page[Customer]{}, err
	}
	after, err := pagination.UUIDCursor(cursorCustomers, in.Page.Cursor)
	if err != nil {
		return pagination.Page[Customer]{}, err
	}
	pii := canReadPII(p)
	q, err := u.searchQuery(ctx, in.Query, pii)
	if err != nil {
		return pagination.Page[Customer]{}, err
	}
	if q.IsEmpty() && strings.TrimSpace(in.Query) != "" {
		// Only punctuation: nothing to look up, and not "everyone" either.
		return pagination.Page[Customer]{Items: []Customer{}}, nil
	}
	found, err := u.matchingCustomers(ctx, p, q, in.Query, pii, after, limit)
	if err != nil {
		return pagination.Page[Customer]{}, err
	}
	next := ""
	if len(found) > limit {
		found = found[:limit]
		next = pagination.EncodeCursor(cursorCustomers, found[len(found)-1].ID.String())
	}
	return pagination.Page[Customer]{Items: pagination.NonNil(found), NextCursor: next}, nil
}

// searchReads are the personal fields a page of found customers shows.
func searchReads(found []Customer) auditlog.Reads {
	var rs auditlog.Reads
	for _, c := range found {
		rs.Add(c.ID, c.PersonalFields()...)
	}
	return rs
}
