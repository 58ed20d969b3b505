package wiring_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/infrastructure/postgres/pgtest"
	"github.com/torquehq/torque/internal/wiring"
)

// Issue 10 item 8: the server refuses to start on a database role that
// escapes row-level security (here the local admin role: owner and BYPASSRLS).
func TestBuild_refusesPrivilegedDatabaseRoleIntegration(t *testing.T) {
	db := pgtest.New(t)
	cfg := wiring.Config{
		DatabaseURL: db.AdminURL,
		MasterKeys:  "t:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
		LogOutput:   &strings.Builder{},
	}
	s, err := wiring.Build(context.Background(), cfg)
	if err == nil {
		s.Close()
		t.Fatal("Build accepted the owner/BYPASSRLS role as the runtime role")
	}
	if !errors.Is(err, postgres.ErrPrivilegedRuntimeRole) || !strings.Contains(err.Error(), "TORQUE_DATABASE_URL") ||
		!strings.Contains(err.Error(), "BYPASSRLS") {
		t.Fatalf("Build: %v, want the variable and the problem named", err)
	}
}
