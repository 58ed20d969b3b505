package messaging

import (
	"context"

	"github.com/torquehq/torque/application/authz"
)

// SetTemplate replaces the workshop's template of a kind and channel;
// unknown placeholders are a validation error naming the field.
// Permission: message.manage.
func (u *UseCases) SetTemplate(ctx context.Context, in TemplateInput) (TemplateView, error) {
	if _, err := authz.Require(ctx, authz.ManageMessaging); err != nil {
		return TemplateView{}, err
	}
	t, err := parseTemplateInput(in)
	if err != nil {
		return TemplateView{}, err
	}
	if err := u.d.Templates.SaveTemplate(ctx, t, u.base.Now()); err != nil {
		return TemplateView{}, err
	}
	return TemplateView{Template: t}, nil
}
