package customers

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
func (u *UseCases) AddNote(ctx context.Context, in AddNoteInput) (Note, error) {
	if _, err := authz.Require(ctx, authz.WriteNote); err != nil {
		return Note{}, err
	}
	noteID := in.NoteID
	if noteID == uuid.Nil {
		noteID = u.base.NewID()
	}
	now := u.base.Now()
	var out Note
	res, err := u.customers.Update(ctx, in.CustomerID, func(c *customer.Customer) error {
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
	u.base.Await(ctx, res)
	return out, nil
}
