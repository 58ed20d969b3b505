package staff_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/internal/accountstest"
	"github.com/torquehq/torque/application/internal/eventstoretest"
	"github.com/torquehq/torque/application/staff"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/domain/workshop"
)

// roster reads the staff straight from the workshop aggregate: the read
// model as it is once the projection caught up.
type roster struct {
	repo *eventsourcing.Repository[*workshop.Workshop]
}

func (r roster) Staff(ctx context.Context) ([]staff.Member, error) {
	t, err := tenant.FromContext(ctx)
	if err != nil {
		return nil, err
	}
	w, err := r.repo.Load(ctx, t.UUID())
	if err != nil {
		return nil, err
	}
	var out []staff.Member
	for _, m := range w.Staff() {
		out = append(out, staff.Member{IdentityID: m.IdentityID, Email: m.Email, Name: m.Name, Role: m.Role.String()})
	}
	return out, nil
}

type directory struct{ ws workshops.WorkshopView }

func (d directory) WorkshopByID(_ context.Context, id uuid.UUID) (workshops.WorkshopView, error) {
	if id != d.ws.ID {
		return workshops.WorkshopView{}, errs.ErrNotFound
	}
	return d.ws, nil
}

type fixture struct {
	uc     *staff.UseCases
	store  *eventstoretest.MemStore
	ids    *accountstest.Identities
	mailer *accountstest.Mailer
	id     uuid.UUID
}

// newFixture opens "Oficina Boa" owned by owner-1, with a mechanic (mech-1).
func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{store: eventstoretest.NewMemStore(), ids: accountstest.NewIdentities(), mailer: &accountstest.Mailer{},
		id: uuid.Must(uuid.NewV7())}
	accountstest.OpenWorkshop(t, f.store, f.id, workshop.CreateInput{Slug: "oficina-boa", Name: "Oficina Boa", Plan: "basic",
		OwnerIdentityID: "owner-1", OwnerEmail: "dona@example.com", OwnerName: "Dona Ana"}, time.Now(),
		func(w *workshop.Workshop) error {
			return w.AddStaff("mech-1", "mec@example.com", "Mecânico Beto", workshop.RoleMechanic)
		})
	repo := eventsourcing.NewRepository(f.store, workshop.StreamType, workshop.Blank)
	var err error
	f.uc, err = staff.New(usecase.Base{}, staff.Deps{Store: f.store, Roster: roster{repo},
		Workshops:  directory{workshops.WorkshopView{ID: f.id, Slug: "oficina-boa", Name: "Oficina Boa"}},
		Identities: f.ids, Mailer: f.mailer, PublicURL: "https://torque.example", InviteTTL: 48 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// ctx is a request of identity acting with role in the workshop.
func (f *fixture) ctx(identityID string, role authz.Role) context.Context {
	tid, _ := tenant.FromUUID(f.id)
	return authz.WithPrincipal(accountstest.InTenant(f.id),
		authz.Principal{IdentityID: identityID, Name: "Dona Ana", Email: "dona@example.com", Tenant: tid, Role: role})
}

func (f *fixture) owner() context.Context { return f.ctx("owner-1", authz.RoleOwner) }

// roles lists the staff as identity → role, as the owner sees it.
func (f *fixture) roles(t *testing.T) map[string]string {
	t.Helper()
	list, err := f.uc.ListStaff(f.owner())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range list {
		out[m.IdentityID] = m.Role
	}
	return out
}

func TestInviteStaffCreatesTheAccountAndSendsTheLink(t *testing.T) {
	f := newFixture(t)
	m, err := f.uc.InviteStaff(f.owner(), staff.InviteInput{Name: " Carla ", Email: "Carla@Example.com", Role: "advisor"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Email != "carla@example.com" || m.Name != "Carla" || m.Role != "advisor" || !m.Invited {
		t.Errorf("member = %+v", m)
	}
	if f.roles(t)[m.IdentityID] != "advisor" {
		t.Errorf("staff = %v, want %s as advisor", f.roles(t), m.IdentityID)
	}
	if len(f.mailer.Sent) != 1 {
		t.Fatalf("mails = %+v", f.mailer.Sent)
	}
	got := f.mailer.Sent[0]
	if got.To != "carla@example.com" || !strings.Contains(got.Subject, "Oficina Boa") ||
		!strings.Contains(got.Text, accountstest.RecoveryCode) || !strings.Contains(got.Text, "https://torque.example/recovery?flow="+m.IdentityID) ||
		!strings.Contains(got.Text, "48") {
		t.Errorf("invitation = %+v", got)
	}
}

func TestInviteStaffTellsSomeoneWithAnAccountTheyWereAdded(t *testing.T) {
	f := newFixture(t)
	f.ids.ByEmail["carla@example.com"] = identity.Identity{ID: "carla", Email: "carla@example.com", Name: "Carla", Verified: true}
	m, err := f.uc.InviteStaff(f.owner(), staff.InviteInput{Name: "Carla", Email: "carla@example.com", Role: "manager"})
	if err != nil {
		t.Fatal(err)
	}
	if m.IdentityID != "carla" || f.ids.Created != 0 {
		t.Errorf("member %+v, %d accounts created; want the existing account", m, f.ids.Created)
	}
	if len(f.mailer.Sent) != 1 || !strings.Contains(f.mailer.Sent[0].Text, "https://torque.example/login") ||
		strings.Contains(f.mailer.Sent[0].Text, accountstest.RecoveryCode) {
		t.Errorf("mails = %+v, want a login link and no recovery code", f.mailer.Sent)
	}
}

func TestInviteStaffValidatesTheForm(t *testing.T) {
	f := newFixture(t)
	_, err := f.uc.InviteStaff(f.owner(), staff.InviteInput{Name: " ", Email: "nope", Role: "boss"})
	var ve *errs.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want validation", err)
	}
	var fields []string
	for _, fe := range ve.Fields {
		fields = append(fields, fe.Field)
	}
	if slices.Sort(fields); !slices.Equal(fields, []string{"email", "name", "role"}) {
		t.Errorf("fields = %v", fields)
	}
	if f.ids.Created != 0 || len(f.mailer.Sent) != 0 {
		t.Error("an invalid invitation had side effects")
	}
}

func TestInviteStaffPermissions(t *testing.T) {
	f := newFixture(t)
	if _, err := f.uc.InviteStaff(f.ctx("mech-1", authz.RoleMechanic), staff.InviteInput{Name: "X", Email: "x@example.com",
		Role: "mechanic"}); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("mechanic invites: %v, want forbidden", err)
	}
	if _, err := f.uc.InviteStaff(f.ctx("mgr", authz.RoleManager), staff.InviteInput{Name: "X", Email: "x@example.com",
		Role: "owner"}); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("manager makes an owner: %v, want forbidden", err)
	}
	if f.ids.Created != 0 {
		t.Error("a refused invitation created an account")
	}
}

func TestInviteStaffRefusesSomeoneAlreadyOnTheStaff(t *testing.T) {
	f := newFixture(t)
	f.ids.ByEmail["mec@example.com"] = identity.Identity{ID: "mech-1", Email: "mec@example.com", Verified: true}
	_, err := f.uc.InviteStaff(f.owner(), staff.InviteInput{Name: "Beto", Email: "mec@example.com", Role: "advisor"})
	var ce *errs.ConflictError
	if !errors.As(err, &ce) || ce.Field != "email" || ce.Code != "duplicate" {
		t.Fatalf("err = %v, want conflict email/duplicate", err)
	}
	if len(f.ids.Deleted) != 0 || f.roles(t)["mech-1"] != "mechanic" {
		t.Error("a duplicate invitation changed the existing member")
	}
}

func TestInviteStaffLeavesNoAccountBehindWhenItFails(t *testing.T) {
	f := newFixture(t)
	f.store.FailAppend = errors.New("database is gone")
	if _, err := f.uc.InviteStaff(f.owner(), staff.InviteInput{Name: "Carla", Email: "carla@example.com", Role: "advisor"}); err == nil {
		t.Fatal("invitation succeeded without being stored")
	}
	if !slices.Equal(f.ids.Deleted, []string{"new-1"}) || len(f.mailer.Sent) != 0 {
		t.Errorf("deleted %v, mails %v: want the new account deleted and no e-mail", f.ids.Deleted, f.mailer.Sent)
	}
}

func TestInviteStaffSucceedsWhenTheEmailFails(t *testing.T) {
	f := newFixture(t)
	f.mailer.Err = errors.New("smtp: 421")
	m, err := f.uc.InviteStaff(f.owner(), staff.InviteInput{Name: "Carla", Email: "carla@example.com", Role: "advisor"})
	if err != nil || f.roles(t)[m.IdentityID] != "advisor" {
		t.Errorf("err = %v, staff %v: the member must be added anyway", err, f.roles(t))
	}
}

func TestChangeStaffRole(t *testing.T) {
	f := newFixture(t)
	if err := f.uc.ChangeStaffRole(f.ctx("mgr", authz.RoleManager), "mech-1", "advisor"); err != nil {
		t.Fatalf("manager promotes a mechanic: %v", err)
	}
	if got := f.roles(t)["mech-1"]; got != "advisor" {
		t.Errorf("role = %q, want advisor", got)
	}
	if err := f.uc.ChangeStaffRole(f.ctx("mgr", authz.RoleManager), "mech-1", "owner"); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("manager grants owner: %v, want forbidden", err)
	}
	if err := f.uc.ChangeStaffRole(f.ctx("mgr", authz.RoleManager), "owner-1", "manager"); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("manager demotes the owner: %v, want forbidden", err)
	}
	if err := f.uc.ChangeStaffRole(f.ctx("mech-1", authz.RoleMechanic), "mech-1", "manager"); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("mechanic promotes themself: %v, want forbidden", err)
	}
	if err := f.uc.ChangeStaffRole(f.owner(), "nobody", "manager"); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("unknown member: %v, want not found", err)
	}
	if got := f.roles(t); got["mech-1"] != "advisor" || got["owner-1"] != "owner" {
		t.Errorf("refused changes changed roles: %v", got)
	}
}

func TestTheLastOwnerKeepsTheWorkshop(t *testing.T) {
	f := newFixture(t)
	var ve *errs.ValidationError
	err := f.uc.ChangeStaffRole(f.owner(), "owner-1", "manager")
	if !errors.As(err, &ve) || ve.Fields[0].Code != "last_owner" {
		t.Errorf("last owner steps down: %v, want last_owner", err)
	}
	err = f.uc.RemoveStaff(f.owner(), "owner-1")
	if !errors.As(err, &ve) || ve.Fields[0].Code != "last_owner" {
		t.Errorf("last owner leaves: %v, want last_owner", err)
	}
	// With a second owner the first may step down.
	if err := f.uc.ChangeStaffRole(f.owner(), "mech-1", "owner"); err != nil {
		t.Fatal(err)
	}
	if err := f.uc.ChangeStaffRole(f.owner(), "owner-1", "manager"); err != nil {
		t.Errorf("one of two owners steps down: %v", err)
	}
	if got := f.roles(t); got["owner-1"] != "manager" || got["mech-1"] != "owner" {
		t.Errorf("roles = %v", got)
	}
}

func TestRemoveStaff(t *testing.T) {
	f := newFixture(t)
	if err := f.uc.RemoveStaff(f.ctx("mgr", authz.RoleManager), "owner-1"); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("manager removes the owner: %v, want forbidden", err)
	}
	if err := f.uc.RemoveStaff(f.ctx("mech-1", authz.RoleMechanic), "mech-1"); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("mechanic removes: %v, want forbidden", err)
	}
	if err := f.uc.RemoveStaff(f.ctx("mgr", authz.RoleManager), "mech-1"); err != nil {
		t.Fatalf("manager removes a mechanic: %v", err)
	}
	if got := f.roles(t); len(got) != 1 || got["owner-1"] != "owner" {
		t.Errorf("staff = %v, want the owner only", got)
	}
	if err := f.uc.RemoveStaff(f.owner(), "mech-1"); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("removing twice: %v, want not found", err)
	}
}

func TestMechanicsDoNotSeeTheStaffList(t *testing.T) {
	f := newFixture(t)
	if _, err := f.uc.ListStaff(f.ctx("mech-1", authz.RoleMechanic)); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("mechanic lists staff: %v, want forbidden", err)
	}
}

// Account pre-takeover (issue 10 item 2): an account whose address was never
// verified may have been opened by anyone with the invitee's address. The
// invitation takes it away from whoever holds it (credentials reset) and
// mails the address a code, exactly as for a new account.
func TestInviteStaffTakesAnUnverifiedAccountAwayFromItsHolder(t *testing.T) {
	f := newFixture(t)
	f.ids.ByEmail["joao@oficina.com.br"] = identity.Identity{ID: "squatter", Email: "joao@oficina.com.br", Name: "João"}
	m, err := f.uc.InviteStaff(f.owner(), staff.InviteInput{Name: "João", Email: "joao@oficina.com.br", Role: "manager"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.ids.Reset, []string{"squatter"}) || m.IdentityID != "squatter" || f.ids.Created != 0 {
		t.Errorf("reset %v, member %+v: want the unverified account's credentials reset before it is attached", f.ids.Reset, m)
	}
	if len(f.mailer.Sent) != 1 || !strings.Contains(f.mailer.Sent[0].Text, accountstest.RecoveryCode) {
		t.Errorf("mails = %+v, want the invitation with a code to the address", f.mailer.Sent)
	}
}

func TestInviteStaffNeedsTheInvitersVerifiedAddress(t *testing.T) {
	f := newFixture(t)
	f.ids.Unverified["owner-1"] = true
	_, err := f.uc.InviteStaff(f.owner(), staff.InviteInput{Name: "Carla", Email: "carla@example.com", Role: "advisor"})
	if !errors.Is(err, errs.ErrEmailUnverified) {
		t.Fatalf("unverified owner invites: %v, want ErrEmailUnverified", err)
	}
	if f.ids.Created != 0 || len(f.mailer.Sent) != 0 {
		t.Error("a refused invitation had side effects")
	}
}
