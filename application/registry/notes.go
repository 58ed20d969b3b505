package registry

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/requestmeta"
	"github.com/torquehq/torque/domain/customer"
)

// AddNoteInput is POST .../customers/{id}/notes.
type AddNoteInput struct {
	CustomerID uuid.UUID
	// NoteID makes a retried request harmless when the client supplies one
	// (e.g. from an Idempotency-Key); uuid.Nil gets a new id.
	NoteID uuid.UUID
	Text   string
}

// AddNote records a note about the customer (1-5000 characters).
func (s *Service) AddNote(ctx context.Context, in AddNoteInput) (Note, error) {
	if _, err := authz.Require(ctx, authz.WriteNote); err != nil {
		return Note{}, err
	}
	noteID := in.NoteID
	if noteID == uuid.Nil {
		noteID = s.d.NewID()
	}
	now := s.now()
	var out Note
	res, err := s.customers.Update(ctx, in.CustomerID, func(c *customer.Customer) error {
		if err := c.AddNote(noteID, in.Text, now); err != nil {
			return err
		}
		for _, n := range c.Notes() {
			if n.ID == noteID {
				out = Note{ID: n.ID, Text: n.Text, AddedAt: n.At}
			}
		}
		return nil
	}, eventsourcing.RetryOnConflict())
	if err != nil {
		return Note{}, err
	}
	out.Author = requestmeta.From(ctx).Actor
	s.await(ctx, res)
	return out, nil
}

// ListNotesInput is GET .../customers/{id}/notes.
type ListNotesInput struct {
	CustomerID uuid.UUID
	Page       PageRequest
}

const cursorNotes = "n"

// ListNotes lists the notes about the customer, oldest first. Notes are
// personal data: the read is audited.
func (s *Service) ListNotes(ctx context.Context, in ListNotesInput) (Page[Note], error) {
	p, err := authz.Require(ctx, authz.ReadCustomer)
	if err != nil {
		return Page[Note]{}, err
	}
	if _, err := s.activeCustomerView(ctx, in.CustomerID, false); err != nil {
		return Page[Note]{}, err
	}
	notes, err := s.d.Customers.Notes(ctx, in.CustomerID)
	if err != nil {
		return Page[Note]{}, err
	}
	page, err := pageOfSlice(notes, in.Page, cursorNotes)
	if err != nil {
		return Page[Note]{}, err
	}
	var rs reads
	if len(page.Items) > 0 {
		rs.add(in.CustomerID, "notes")
	}
	if err := s.audit(ctx, p, EndpointListNotes, rs); err != nil {
		return Page[Note]{}, err
	}
	return page, nil
}
