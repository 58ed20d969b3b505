package messagestore

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/datasubject"
)

var _ datasubject.MessageLog = MessageLog{}

// MessageLog lists a customer's messages for the data export.
type MessageLog struct{ Outbox *PostgresOutbox }

// MessagesTo implements datasubject.MessageLog.
func (l MessageLog) MessagesTo(ctx context.Context, customerID uuid.UUID) ([]datasubject.Message, error) {
	ms, err := l.Outbox.MessagesTo(ctx, customerID)
	if err != nil {
		return nil, err
	}
	out := make([]datasubject.Message, 0, len(ms))
	for _, m := range ms {
		dm := datasubject.Message{ID: m.ID, Channel: m.Channel, Template: m.Kind, Status: m.Status}
		if m.SentAt != nil {
			dm.SentAt = *m.SentAt
		}
		out = append(out, dm)
	}
	return out, nil
}
