package workshop_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/workshop"
)

var now = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func fieldCodes(err error) map[string]string {
	out := map[string]string{}
	var ve *errs.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			out[f.Field] = f.Code
		}
	}
	return out
}

func newWorkshop(t *testing.T) *workshop.Workshop {
	t.Helper()
	w, err := workshop.Create(uuid.New(), workshop.CreateInput{Slug: "oficina-do-ze", Name: "Oficina do Zé", Plan: "pro",
		OwnerIdentityID: "id-owner", OwnerEmail: "ze@example.com", OwnerName: "Zé"}, now)
	if err != nil {
		t.Fatal(err)
	}
	w.Recorder().PopEvents()
	return w
}

func TestParseSlug_rules(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"oficina-do-ze": "", "abc": "", "a1-b2": "", "ab": workshop.CodeTooShort,
		"Oficina": "invalid_format", "-abc": "invalid_format", "abc-": "invalid_format", "a--b": "invalid_format",
		"ofi cina": "invalid_format", "ação": "invalid_format", "admin": workshop.CodeReserved, "api": workshop.CodeReserved,
		"": "required", "a2345678901234567890123456789012345678901": workshop.CodeTooLong,
	}
	for in, want := range cases {
		_, err := workshop.ParseSlug(in)
		if got := fieldCodes(err)["slug"]; got != want {
			t.Errorf("ParseSlug(%q) code %q, want %q", in, got, want)
		}
	}
}

func TestCreate_reportsEveryBadField(t *testing.T) {
	t.Parallel()
	_, err := workshop.Create(uuid.New(), workshop.CreateInput{Slug: "x", Name: " ", Plan: "gold"}, now)
	got := fieldCodes(err)
	for _, f := range []string{"slug", "workshop_name", "plan", "owner"} {
		if got[f] == "" {
			t.Errorf("no error for %s in %v", f, got)
		}
	}
}

func TestCreate_startsTrialingWithOwner(t *testing.T) {
	t.Parallel()
	w, err := workshop.Create(uuid.New(), workshop.CreateInput{Slug: "auto-center", Name: "Auto Center", Plan: "basic",
		OwnerIdentityID: "o1", OwnerEmail: "o@example.com", OwnerName: "O"}, now)
	if err != nil {
		t.Fatal(err)
	}
	evs := w.Recorder().PopEvents()
	if len(evs) != 2 || w.Status() != workshop.StatusTrialing || w.Profile().TimeZone != "America/Sao_Paulo" {
		t.Fatalf("events %d status %s tz %s", len(evs), w.Status(), w.Profile().TimeZone)
	}
	if m, ok := w.Member("o1"); !ok || m.Role != workshop.RoleOwner {
		t.Fatalf("owner membership = %+v", m)
	}
}

func TestStaff_lastOwnerIsKept(t *testing.T) {
	t.Parallel()
	w := newWorkshop(t)
	if err := w.ChangeRole("id-owner", workshop.RoleManager); fieldCodes(err)["role"] != "last_owner" {
		t.Fatalf("demoting the last owner: %v", err)
	}
	if err := w.RemoveStaff("id-owner"); fieldCodes(err)["identity_id"] != "last_owner" {
		t.Fatalf("removing the last owner: %v", err)
	}
	if err := w.AddStaff("id-2", "b@example.com", "B", workshop.RoleOwner); err != nil {
		t.Fatal(err)
	}
	if err := w.RemoveStaff("id-owner"); err != nil {
		t.Fatalf("with a second owner, removing the first should work: %v", err)
	}
	if err := w.AddStaff("id-2", "b@example.com", "B", workshop.RoleMechanic); !errors.Is(err, errs.ErrConflict) {
		t.Fatalf("adding a member twice: %v", err)
	}
	if err := w.ChangeRole("nobody", workshop.RoleMechanic); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("changing an unknown member: %v", err)
	}
}

func TestBilling_canceledWorkshopIsReadOnlyAndSuspensionSticks(t *testing.T) {
	t.Parallel()
	w := newWorkshop(t)
	st := w.Billing()
	st.Status, st.SubscriptionStatus, st.SubscriptionID = "canceled", "canceled", "sub_1"
	if err := w.UpdateBilling(st, "customer.subscription.deleted"); err != nil {
		t.Fatal(err)
	}
	if w.Status() != workshop.StatusCanceled {
		t.Fatalf("status %s", w.Status())
	}
	name := "Novo nome"
	if err := w.UpdateProfile(workshop.ProfileInput{Name: &name}); !errors.Is(err, errs.ErrReadOnly) {
		t.Fatalf("a canceled workshop accepted a write: %v", err)
	}
	w.Suspend("fraud review")
	st.Status, st.SubscriptionStatus = "active", "active"
	if err := w.UpdateBilling(st, "invoice.paid"); err != nil {
		t.Fatal(err)
	}
	if w.Status() != workshop.StatusSuspended {
		t.Fatal("billing lifted a suspension")
	}
	w.Reinstate()
	if w.Status() != workshop.StatusActive {
		t.Fatalf("reinstated to %s, want the subscription's status active", w.Status())
	}
	st.Status = "suspended"
	if err := w.UpdateBilling(st, "x"); err == nil {
		t.Fatal("billing suspended a workshop")
	}
}

func TestUpdateProfile_validation(t *testing.T) {
	t.Parallel()
	w := newWorkshop(t)
	s := func(v string) *string { return &v }
	err := w.UpdateProfile(workshop.ProfileInput{CNPJ: s("11.222.333/0001-82"), State: s("XX"), PostalCode: s("123"),
		PrimaryColor: s("red"), TimeZone: s("Mars/Base"), Phone: s("(00) 1234-5678"),
		BusinessHours: &[]workshop.BusinessHours{{Weekday: 1, Opens: "18:00", Closes: "08:00"}}})
	got := fieldCodes(err)
	want := map[string]string{"cnpj": "invalid_check_digit", "address.state": "unknown_value", "address.postal_code": "invalid_length",
		"primary_color": "invalid_format", "time_zone": "unknown_value", "business_hours[0].closes": "invalid_format"}
	for f, code := range want {
		if got[f] != code {
			t.Errorf("%s: code %q, want %q (all: %v)", f, got[f], code, got)
		}
	}
	if got["phone"] == "" {
		t.Errorf("bad phone accepted: %v", got)
	}
	if len(w.Recorder().PopEvents()) != 0 {
		t.Fatal("an invalid profile recorded an event")
	}
	if err := w.UpdateProfile(workshop.ProfileInput{CNPJ: s("12.ABC.345/01DE-35"), PrimaryColor: s("#FF6600")}); err != nil {
		t.Fatal(err)
	}
	if p := w.Profile(); p.CNPJ != "12ABC34501DE35" || p.PrimaryColor != "#ff6600" {
		t.Fatalf("profile = %+v", p)
	}
}

// Each membership seals the member's e-mail and name under a data subject
// of its own, so shredding a removed member's key never blocks inviting
// them again (issue 10, item 9).
func TestStaff_eachMembershipHasItsOwnSubject(t *testing.T) {
	t.Parallel()
	w := newWorkshop(t)
	owner, _ := w.Member("id-owner")
	if owner.Subject != workshop.StaffSubject("id-owner", 1) || owner.Subject == uuid.Nil {
		t.Fatalf("owner subject = %s", owner.Subject)
	}
	if err := w.AddStaff("id-mec", "mec@example.com", "Beto", workshop.RoleMechanic); err != nil {
		t.Fatal(err)
	}
	first, _ := w.Member("id-mec")
	if err := w.RemoveStaff("id-mec"); err != nil {
		t.Fatal(err)
	}
	if err := w.AddStaff("id-mec", "mec@example.com", "Beto", workshop.RoleMechanic); err != nil {
		t.Fatal(err)
	}
	again, _ := w.Member("id-mec")
	if first.Subject != workshop.StaffSubject("id-mec", 1) || again.Subject != workshop.StaffSubject("id-mec", 2) ||
		first.Subject == again.Subject || first.Subject == owner.Subject {
		t.Fatalf("subjects: first %s, again %s, owner %s", first.Subject, again.Subject, owner.Subject)
	}
	evs := w.Recorder().PopEvents()
	if added, ok := evs[len(evs)-1].(workshop.StaffAdded); !ok || added.SubjectID != again.Subject {
		t.Fatalf("last event = %#v", evs[len(evs)-1])
	}
}
