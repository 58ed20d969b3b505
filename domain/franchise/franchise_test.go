package franchise_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/franchise"
)

// created is a fixed instant: domain code never reads the clock.
var created = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestFranchise_invitationLifecycle(t *testing.T) {
	t.Parallel()
	f, err := franchise.Create(uuid.New(), "Rede Boa Oficina", "m1", "m1@example.com", "M", created)
	if err != nil {
		t.Fatal(err)
	}
	w := uuid.New()
	if err := f.Accept(w); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("accepting without invitation: %v", err)
	}
	if err := f.Invite(w); err != nil {
		t.Fatal(err)
	}
	if err := f.Accept(w); err != nil || !f.IsMember(w) {
		t.Fatalf("accept: %v member=%v", err, f.IsMember(w))
	}
	if err := f.Invite(w); !errors.Is(err, errs.ErrConflict) {
		t.Fatalf("inviting a member again: %v", err)
	}
	if err := f.RemoveWorkshop(w); err != nil || f.IsMember(w) {
		t.Fatalf("remove: %v", err)
	}
	if err := f.RemoveManager("m1"); err == nil {
		t.Fatal("removed the last manager")
	}
	if _, err := franchise.Create(uuid.New(), "  ", "m", "", "", created); err == nil {
		t.Fatal("empty name accepted")
	}
}

func TestFranchise_settingsRecordOnlyChanges(t *testing.T) {
	t.Parallel()
	f, err := franchise.Create(uuid.New(), "Rede", "m1", "m1@example.com", "M", created)
	if err != nil {
		t.Fatal(err)
	}
	if f.Settings().ShareComparisonWithMembers {
		t.Fatal("sharing is on by default")
	}
	before := len(f.Recorder().Pending())
	f.ChangeSettings(franchise.Settings{ShareComparisonWithMembers: false})
	if got := len(f.Recorder().Pending()); got != before {
		t.Fatalf("unchanged settings recorded %d events", got-before)
	}
	f.ChangeSettings(franchise.Settings{ShareComparisonWithMembers: true})
	p := f.Recorder().Pending()
	if len(p) != before+1 || p[len(p)-1] != (franchise.SettingsChanged{ShareComparisonWithMembers: true}) || !f.Settings().ShareComparisonWithMembers {
		t.Fatalf("pending %v, settings %+v", p, f.Settings())
	}
}
