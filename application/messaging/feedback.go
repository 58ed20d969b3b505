package messaging

import (
	"context"
	"fmt"

	"github.com/torquehq/torque/domain/errs"
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
