package messaging

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/domain/tenant"
)

// SubmitFeedback records the answer of a feedback link once (public: the
// token is the authority): an unknown token is errs.ErrNotFound, a second
// answer errs.ErrConflict. score is the NPS answer (0–10); csat, optional
// (nil: not answered), the answer 1–5 to "Como você avalia o atendimento?".
// It records feedback.received.v1; a detractor (score ≤ 6) alerts the
// workshop through DetractorAlerts.
func (u *UseCases) SubmitFeedback(ctx context.Context, token string, score int, csat *int, comment string) (messaging.FeedbackReceived, error) {
	var col errs.Collector
	if score < 0 || score > 10 {
		col.Add("score", "out_of_range", "score must be from 0 to 10")
	}
	c := 0
	if csat != nil {
		c = *csat
		if c < messaging.MinCSAT || c > messaging.MaxCSAT {
			col.Add("csat", "out_of_range", "csat must be from 1 to 5")
		}
	}
	comment = strings.TrimSpace(comment)
	if utf8.RuneCountInString(comment) > messaging.MaxFeedbackComment || !utf8.ValidString(comment) {
		col.Add("comment", messaging.CodeTooLong, "comment must be UTF-8 text of at most 2000 characters")
	}
	t, err := u.findToken(ctx, token, TokenFeedback)
	if err != nil {
		return messaging.FeedbackReceived{}, err
	}
	if err := col.Err(); err != nil {
		return messaging.FeedbackReceived{}, err
	}
	if t.UsedAt != nil {
		return messaging.FeedbackReceived{}, fmt.Errorf("feedback already given: %w", errs.ErrConflict)
	}
	tctx := tenant.WithTenant(ctx, t.Tenant)
	e := messaging.FeedbackReceived{MessageID: t.MessageID, OrderID: t.OrderID, CustomerID: t.CustomerID,
		Score: score, CSAT: c, Comment: comment, ReceivedAt: u.base.Now()}
	// The stream exists once: a concurrent second answer conflicts here.
	_, err = u.d.Store.Append(tctx, eventsourcing.StreamRef{Type: FeedbackStreamType, ID: t.MessageID}, 0, []es.Event{e})
	if eventsourcing.IsVersionConflict(err) {
		return messaging.FeedbackReceived{}, fmt.Errorf("feedback already given: %w", errs.ErrConflict)
	}
	if err != nil {
		return messaging.FeedbackReceived{}, err
	}
	if _, err := u.d.Tokens.Use(ctx, t.Hash, e.ReceivedAt); err != nil {
		u.base.Logger.WarnContext(ctx, "feedback token not marked used", "err", err)
	}
	if e.IsDetractor() && u.d.Alerts != nil {
		w, err := u.d.Workshops.Workshop(tctx)
		if err == nil {
			err = u.d.Alerts.Detractor(tctx, w, e)
		}
		if err != nil {
			u.base.Logger.ErrorContext(ctx, "detractor alert", "err", err, "message", e.MessageID)
		}
	}
	return e, nil
}
