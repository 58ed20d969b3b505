package messaging

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/es"
)

// FeedbackReceived records a car owner's answer to the feedback request of
// a thank-you message: Score 0–10 (NPS), an optional CSAT answer 1–5 ("Como
// você avalia o atendimento?"; 0 = not answered) and an optional Comment. It is the
// only event of a "feedback" stream whose id is the thank-you message's, so
// a second answer conflicts. A Score of 6 or less is a detractor: the
// workshop is alerted and support may open a ticket.
type FeedbackReceived struct {
	MessageID  uuid.UUID
	OrderID    uuid.UUID
	CustomerID uuid.UUID
	Score      int
	CSAT       int
	Comment    string
	ReceivedAt time.Time
}

// EventName implements es.Event.
func (FeedbackReceived) EventName() string { return "feedback.received.v1" }

// IsDetractor reports a score of 6 or less.
func (e FeedbackReceived) IsDetractor() bool { return e.Score <= 6 }

// Events lists the messaging events; the comment is the customer's personal
// data, sealed under their key.
var Events = es.Catalogue{
	{Event: FeedbackReceived{}, Subject: "CustomerID", Personal: []string{"Comment"},
		Upcasters: []es.Upcaster{feedbackV1toV2}},
}

// feedbackV1toV2 reads answers stored before the CSAT question: not
// answered (0).
func feedbackV1toV2(payload []byte) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(payload, &m); err != nil {
		return nil, err
	}
	if _, ok := m["CSAT"]; !ok {
		m["CSAT"] = json.RawMessage("0")
	}
	return json.Marshal(m)
}

// Bounds of the CSAT answer.
const (
	MinCSAT = 1
	MaxCSAT = 5
)

// MaxFeedbackComment bounds a feedback comment (characters).
const MaxFeedbackComment = 2000
