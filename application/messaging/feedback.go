package messaging

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/domain/tenant"
)

// FeedbackStreamType is the stream of a thank-you message's feedback.
const FeedbackStreamType = "feedback"

// FeedbackRequest is what the public feedback page shows.
type FeedbackRequest struct {
	WorkshopName string
	Answered     bool
}

// FeedbackPage resolves a feedback link (public: the token is the
// authority). An unknown token is errs.ErrNotFound.
func (u *UseCases) FeedbackPage(ctx context.Context, token string) (FeedbackRequest, error) {
	t, err := u.findToken(ctx, token, TokenFeedback)
	if err != nil {
		return FeedbackRequest{}, err
	}
	w, err := u.d.Workshops.Workshop(tenant.WithTenant(ctx, t.Tenant))
	if err != nil {
		return FeedbackRequest{}, err
	}
	return FeedbackRequest{WorkshopName: w.Name, Answered: t.UsedAt != nil}, nil
}

// SubmitFeedback records the answer of a feedback link once (public: the
// token is the authority): an unknown token is errs.ErrNotFound, a second
// answer errs.ErrConflict. It records feedback.received.v1; a detractor
// (score ≤ 6) alerts the workshop through DetractorAlerts.
func (u *UseCases) SubmitFeedback(ctx context.Context, token string, score int, comment string) (messaging.FeedbackReceived, error) {
	var col errs.Collector
	if score < 0 || score > 10 {
		col.Add("score", "out_of_range", "score must be from 0 to 10")
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
		Score: score, Comment: comment, ReceivedAt: u.base.Now()}
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

func (u *UseCases) findToken(ctx context.Context, token, purpose string) (Token, error) {
	if token == "" || len(token) > 100 {
		return Token{}, fmt.Errorf("token: %w", errs.ErrNotFound)
	}
	t, err := u.d.Tokens.Find(ctx, HashToken(token))
	if err != nil {
		return Token{}, err
	}
	if t.Purpose != purpose {
		return Token{}, fmt.Errorf("token: %w", errs.ErrNotFound)
	}
	return t, nil
}

// UnsubscribeRequest is what the public unsubscribe page shows.
type UnsubscribeRequest struct {
	WorkshopName string
	Channel      string
}

// UnsubscribePage resolves an unsubscribe link (public).
func (u *UseCases) UnsubscribePage(ctx context.Context, token string) (UnsubscribeRequest, error) {
	t, err := u.findToken(ctx, token, TokenUnsubscribe)
	if err != nil {
		return UnsubscribeRequest{}, err
	}
	w, err := u.d.Workshops.Workshop(tenant.WithTenant(ctx, t.Tenant))
	if err != nil {
		return UnsubscribeRequest{}, err
	}
	return UnsubscribeRequest{WorkshopName: w.Name, Channel: t.Channel}, nil
}

// Unsubscribe opts the customer out of marketing on the link's channel
// (public: the token is the authority; repeating it is harmless).
func (u *UseCases) Unsubscribe(ctx context.Context, token string) (UnsubscribeRequest, error) {
	t, err := u.findToken(ctx, token, TokenUnsubscribe)
	if err != nil {
		return UnsubscribeRequest{}, err
	}
	ch, err := messaging.ParseChannel("channel", t.Channel)
	if err != nil {
		return UnsubscribeRequest{}, errors.Join(err, errs.ErrNotFound)
	}
	tctx := tenant.WithTenant(ctx, t.Tenant)
	if err := u.d.OptOuts.OptOut(tctx, t.CustomerID, ch, messaging.DefaultPreferences(), u.base.Now()); err != nil {
		return UnsubscribeRequest{}, err
	}
	w, err := u.d.Workshops.Workshop(tctx)
	if err != nil {
		return UnsubscribeRequest{}, err
	}
	return UnsubscribeRequest{WorkshopName: w.Name, Channel: t.Channel}, nil
}
