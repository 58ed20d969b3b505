package memberships

import (
	"context"

	"github.com/google/uuid"
)

// Me returns the caller's memberships and the franchises they manage.
func (u *UseCases) Me(ctx context.Context, by Caller) ([]MembershipView, []uuid.UUID, error) {
	ms, err := u.d.Memberships.MembershipsOf(ctx, by.IdentityID)
	if err != nil {
		return nil, nil, err
	}
	fs, err := u.d.Franchises.FranchisesManagedBy(ctx, by.IdentityID)
	return ms, fs, err
}
