package customers

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/pagination"
)

// ListNotesInput is GET .../customers/{id}/notes.
type ListNotesInput struct {
	CustomerID uuid.UUID
	Page       pagination.Request
}

const cursorNotes = "n"

// ListNotes lists the notes about the customer, oldest first. Notes are
// personal data: the read is audited.
func (u *UseCases) ListNotes(ctx context.Context, in ListNotesInput) (pagination.Page[Note], error) {
	p, err := authz.Require(ctx, authz.ReadCustomer)
	if err != nil {
		return pagination.Page[Note]{}, err
	}
	if _, err := ReadActive(ctx, u.d.Customers, in.CustomerID, false); err != nil {
		return pagination.Page[Note]{}, err
	}
	notes, err := u.d.Customers.Notes(ctx, in.CustomerID)
	if err != nil {
		return pagination.Page[Note]{}, err
	}
	page, err := pagination.OfSlice(notes, in.Page, cursorNotes)
	if err != nil {
		return pagination.Page[Note]{}, err
	}
	var rs auditlog.Reads
	if len(page.Items) > 0 {
		rs.Add(in.CustomerID, "notes")
	}
	if err := u.audit.Record(ctx, p, EndpointListNotes, rs); err != nil {
		return pagination.Page[Note]{}, err
	}
	return page, nil
}
