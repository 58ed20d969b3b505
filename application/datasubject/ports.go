package datasubject

import (
	"context"

	"github.com/google/uuid"
)

// ConsentHistory reads the customers' consent histories.
type ConsentHistory interface {
	// Consents returns the customer's consent history, oldest first (none
	// for an erased customer).
	Consents(ctx context.Context, customerID uuid.UUID) ([]Consent, error)
}

// MessageLog tells which messages were sent to a customer (e-mail,
// WhatsApp, SMS, portal), for the data export.
type MessageLog interface {
	// MessagesTo returns the messages sent to the customer, oldest first.
	MessagesTo(ctx context.Context, customerID uuid.UUID) ([]Message, error)
}
