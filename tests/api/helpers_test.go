package api_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/internal/e2e"
)

func tenantCtx(t *testing.T, w e2e.Workshop) context.Context {
	t.Helper()
	tid, err := tenant.Parse(w.ID)
	if err != nil {
		t.Fatal(err)
	}
	return tenant.WithTenant(context.Background(), tid)
}

func streamRef(typ, id string) eventsourcing.StreamRef {
	return eventsourcing.StreamRef{Type: typ, ID: uuid.MustParse(id)}
}

func sprint(v any) string { return fmt.Sprintf("%+v", v) }
