// Package bus is the Watermill side of the event flow: the wire format of an
// event message, the topic, and the publisher and subscriber configuration for
// watermill-sql on Postgres.
package bus

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/google/uuid"
)

// Topic is the single topic every stored event is published to. Its tables
// ("watermill_events", "watermill_offsets_events") are created by migrations.
const Topic = "events"

// Metadata keys set on every event message.
const (
	MetaTenant        = "tenant_id"
	MetaEventType     = "event_type"
	MetaCorrelationID = "correlation_id"
)

// EventMessage is the JSON body of an event message: the stored envelope with
// the payload exactly as stored (personal fields still sealed).
type EventMessage struct {
	EventID       uuid.UUID       `json:"event_id"`
	TenantID      uuid.UUID       `json:"tenant_id"`
	StreamType    string          `json:"stream_type"`
	StreamID      uuid.UUID       `json:"stream_id"`
	Version       int64           `json:"version"`
	Type          string          `json:"type"`
	Schema        int             `json:"schema"`
	OccurredAt    time.Time       `json:"occurred_at"`
	Actor         string          `json:"actor"`
	CorrelationID uuid.UUID       `json:"correlation_id"`
	CausationID   uuid.UUID       `json:"causation_id"`
	Payload       json.RawMessage `json:"payload"`
}

// ToMessage builds the Watermill message; its UUID is the event id so that
// consumers can deduplicate by it.
func (m EventMessage) ToMessage() (*message.Message, error) {
	body, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	msg := message.NewMessage(m.EventID.String(), body)
	msg.Metadata.Set(MetaTenant, m.TenantID.String())
	msg.Metadata.Set(MetaEventType, m.Type)
	msg.Metadata.Set(MetaCorrelationID, m.CorrelationID.String())
	return msg, nil
}

// ParseMessage decodes an event message and checks its envelope.
func ParseMessage(msg *message.Message) (EventMessage, error) {
	var m EventMessage
	if err := json.Unmarshal(msg.Payload, &m); err != nil {
		return m, fmt.Errorf("event message %s: %w", msg.UUID, err)
	}
	if m.TenantID == uuid.Nil {
		return m, fmt.Errorf("event message %s: no tenant", msg.UUID)
	}
	if m.Type == "" || m.StreamID == uuid.Nil || m.Version < 1 {
		return m, fmt.Errorf("event message %s: incomplete envelope", msg.UUID)
	}
	return m, nil
}
