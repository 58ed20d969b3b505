package messaging

import (
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/es"
)

// FeedbackReceived records a car owner's answer to the feedback request of
// a thank-you message: Score 0–10 (NPS) and an optional Comment. It is the
// only event of a "feedback" stream whose id is the thank-you message's, so
// a second answer conflicts. A Score of 6 or less is a detractor: the
// workshop is alerted and support may open a ticket.
type FeedbackReceived struct {
	MessageID  uuid.UUID
	OrderID    uuid.UUID
	CustomerID uuid.UUID
	Score      int
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
	{Event: FeedbackReceived{}, Subject: "CustomerID", Personal: []string{"Comment"}},
}

// MaxFeedbackComment bounds a feedback comment (characters).
const MaxFeedbackComment = 2000
