package authz_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
)

func TestRequireOnCustomer(t *testing.T) {
	t.Parallel()
	tid := tenant.MustParse(uuid.Must(uuid.NewV7()).String())
	mine, theirs := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	in := func(p authz.Principal) context.Context {
		p.Tenant = tid
		return authz.WithPrincipal(tenant.WithTenant(context.Background(), tid), p)
	}
	owner := in(authz.Principal{Role: authz.RoleCustomer, CustomerIDs: []uuid.UUID{mine}})
	readOnly := in(authz.Principal{Role: authz.RoleCustomer, CustomerIDs: []uuid.UUID{mine}, ReadOnly: true})
	mechanic := in(authz.Principal{Role: authz.RoleMechanic})
	advisor := in(authz.Principal{Role: authz.RoleAdvisor})
	cases := []struct {
		name   string
		ctx    context.Context
		action authz.Action
		id     uuid.UUID
		want   error
	}{
		{"owner reads own", owner, authz.ReadCustomer, mine, nil},
		{"owner writes own", owner, authz.WriteCustomer, mine, nil},
		{"owner exports own", owner, authz.ExportCustomer, mine, nil},
		{"owner reads another's", owner, authz.ReadCustomer, theirs, errs.ErrNotFound},
		{"owner writes another's", owner, authz.WriteCustomer, theirs, errs.ErrNotFound},
		{"read-only workshop: owner reads", readOnly, authz.ReadCustomer, mine, nil},
		{"staff by role", advisor, authz.WriteCustomer, theirs, nil},
		{"staff without the role", mechanic, authz.WriteCustomer, theirs, errs.ErrForbidden},
		{"no principal", context.Background(), authz.ReadCustomer, mine, errs.ErrUnauthenticated},
	}
	for _, c := range cases {
		_, err := authz.RequireOnCustomer(c.ctx, c.action, c.id)
		if (c.want == nil) != (err == nil) || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
	if _, err := authz.RequireOnCustomer(readOnly, authz.WriteCustomer, mine); err == nil {
		t.Error("read-only workshop: the car owner wrote")
	}
}
