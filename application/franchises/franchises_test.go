package franchises_test

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/application/franchises"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/internal/accountstest"
	"github.com/torquehq/torque/application/internal/eventstoretest"
	"github.com/torquehq/torque/application/memberships"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/franchise"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/domain/workshop"
)

// franchiseStreams returns every franchise stream stored in its own tenant.
func franchiseStreams(store *eventstoretest.MemStore) map[uuid.UUID][]eventsourcing.Recorded {
	out := map[uuid.UUID][]eventsourcing.Recorded{}
	for _, recs := range store.Streams() {
		if len(recs) > 0 && recs[0].Stream.Type == franchise.StreamType && recs[0].Tenant.UUID() == recs[0].Stream.ID {
			out[recs[0].Stream.ID] = recs
		}
	}
	return out
}

// directory projects the franchise streams on every read: the read model
// once the projection caught up.
type directory struct {
	store *eventstoretest.MemStore
	shops map[uuid.UUID]workshops.WorkshopView
}

func (d directory) Franchise(_ context.Context, id uuid.UUID) (franchises.FranchiseView, error) {
	recs := franchiseStreams(d.store)[id]
	if len(recs) == 0 {
		return franchises.FranchiseView{}, errs.ErrNotFound
	}
	v := franchises.FranchiseView{ID: id}
	state := map[uuid.UUID]string{}
	for _, r := range recs {
		switch e := r.Event.(type) {
		case franchise.Created:
			v.Name = e.Name
		case franchise.ManagerAdded:
			v.Managers = append(v.Managers, e.IdentityID)
		case franchise.WorkshopInvited:
			state[e.WorkshopID] = "invited"
		case franchise.WorkshopJoined:
			state[e.WorkshopID] = "member"
		case franchise.WorkshopRemoved:
			delete(state, e.WorkshopID)
		}
	}
	sort.Strings(v.Managers)
	for wid, st := range state {
		ws := d.shops[wid]
		v.Workshops = append(v.Workshops, franchises.FranchiseWorkshop{WorkshopID: wid, Slug: ws.Slug, Name: ws.Name, State: st})
	}
	sort.Slice(v.Workshops, func(i, j int) bool { return v.Workshops[i].Name < v.Workshops[j].Name })
	return v, nil
}

func (d directory) FranchisesManagedBy(_ context.Context, identityID string) ([]uuid.UUID, error) {
	var out []uuid.UUID
	for id, recs := range franchiseStreams(d.store) {
		for _, r := range recs {
			if e, ok := r.Event.(franchise.ManagerAdded); ok && e.IdentityID == identityID {
				out = append(out, id)
			}
		}
	}
	return out, nil
}

func (d directory) WorkshopBySlug(_ context.Context, slug string) (workshops.WorkshopView, error) {
	for _, ws := range d.shops {
		if ws.Slug == slug {
			return ws, nil
		}
	}
	return workshops.WorkshopView{}, errs.ErrNotFound
}

type memberList map[string][]memberships.MembershipView

func (m memberList) MembershipsOf(_ context.Context, identityID string) ([]memberships.MembershipView, error) {
	return m[identityID], nil
}

// The cast: Alice owns workshop A and creates the franchise; Bruno owns
// workshop B, which she invites; Caio is only a mechanic somewhere.
var (
	alice = memberships.Caller{IdentityID: "alice", Email: "alice@example.com", Name: "Alice"}
	bruno = memberships.Caller{IdentityID: "bruno", Email: "bruno@example.com", Name: "Bruno"}
	caio  = memberships.Caller{IdentityID: "caio", Email: "caio@example.com", Name: "Caio"}
)

type fixture struct {
	uc     *franchises.UseCases
	store  *eventstoretest.MemStore
	ids    *accountstest.Identities
	mailer *accountstest.Mailer
	a, b   uuid.UUID
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{store: eventstoretest.NewMemStore(), ids: accountstest.NewIdentities(), mailer: &accountstest.Mailer{},
		a: uuid.Must(uuid.NewV7()), b: uuid.Must(uuid.NewV7())}
	shops := map[uuid.UUID]workshops.WorkshopView{
		f.a: {ID: f.a, Slug: "oficina-a", Name: "Oficina A"},
		f.b: {ID: f.b, Slug: "oficina-b", Name: "Oficina B"},
	}
	for id, owner := range map[uuid.UUID]memberships.Caller{f.a: alice, f.b: bruno} {
		accountstest.OpenWorkshop(t, f.store, id, workshop.CreateInput{Slug: shops[id].Slug, Name: shops[id].Name,
			Plan: "franchise", OwnerIdentityID: owner.IdentityID, OwnerEmail: owner.Email, OwnerName: owner.Name}, time.Now())
	}
	members := memberList{
		"alice": {{WorkshopID: f.a, WorkshopSlug: "oficina-a", Role: "owner"}},
		"bruno": {{WorkshopID: f.b, WorkshopSlug: "oficina-b", Role: "owner"}},
		"caio":  {{WorkshopID: f.b, WorkshopSlug: "oficina-b", Role: "mechanic"}},
	}
	d := directory{store: f.store, shops: shops}
	var err error
	f.uc, err = franchises.New(usecase.Base{}, franchises.Deps{Store: f.store, Directory: d, Memberships: members,
		Workshops: d, Identities: f.ids, Mailer: f.mailer})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// in is a request of by, with role, inside workshop id.
func in(id uuid.UUID, by memberships.Caller, role authz.Role) context.Context {
	t, _ := tenant.FromUUID(id)
	return authz.WithPrincipal(accountstest.InTenant(id), authz.Principal{IdentityID: by.IdentityID, Email: by.Email, Name: by.Name,
		Tenant: t, Role: role})
}

func (f *fixture) franchiseOfWorkshop(t *testing.T, id uuid.UUID) uuid.UUID {
	t.Helper()
	return accountstest.Workshop(t, f.store, id).FranchiseID()
}

func states(v franchises.FranchiseView) map[string]string {
	out := map[string]string{}
	for _, w := range v.Workshops {
		out[w.Slug] = w.State
	}
	return out
}

func (f *fixture) create(t *testing.T) franchises.FranchiseView {
	t.Helper()
	v, err := f.uc.CreateFranchise(context.Background(), alice, "  Rede Boa  ")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCreateFranchise(t *testing.T) {
	f := newFixture(t)
	v := f.create(t)
	if v.Name != "Rede Boa" || !slices.Equal(v.Managers, []string{"alice"}) || len(v.Workshops) != 0 {
		t.Errorf("franchise = %+v", v)
	}
	got, err := f.uc.GetFranchise(context.Background(), alice, v.ID)
	if err != nil || got.Name != "Rede Boa" {
		t.Errorf("the creator reads it back: %+v, %v", got, err)
	}
}

func TestOnlyWorkshopOwnersCreateFranchises(t *testing.T) {
	f := newFixture(t)
	if _, err := f.uc.CreateFranchise(context.Background(), caio, "Rede do Caio"); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("mechanic creates a franchise: %v, want forbidden", err)
	}
	var ve *errs.ValidationError
	if _, err := f.uc.CreateFranchise(context.Background(), alice, "  "); !errors.As(err, &ve) {
		t.Errorf("franchise without name: %v, want validation", err)
	}
	if len(franchiseStreams(f.store)) != 0 {
		t.Error("a refused franchise was stored")
	}
}

func TestOthersDoNotSeeAFranchise(t *testing.T) {
	f := newFixture(t)
	v := f.create(t)
	ctx := context.Background()
	if _, err := f.uc.GetFranchise(ctx, bruno, v.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("another owner reads it: %v, want not found", err)
	}
	if _, err := f.uc.InviteWorkshop(ctx, bruno, v.ID, "oficina-b"); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("another owner invites: %v, want not found", err)
	}
	if err := f.uc.RemoveWorkshop(ctx, bruno, v.ID, f.a); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("another owner removes: %v, want not found", err)
	}
	if _, err := f.uc.AddFranchiseManager(ctx, bruno, v.ID, "bruno@example.com", "Bruno"); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("another owner makes themself manager: %v, want not found", err)
	}
	if got, _ := f.uc.GetFranchise(ctx, alice, v.ID); len(got.Workshops) != 0 || len(got.Managers) != 1 {
		t.Errorf("refused requests changed the franchise: %+v", got)
	}
}

func TestInviteAcceptAndRemoveAWorkshop(t *testing.T) {
	f := newFixture(t)
	v := f.create(t)
	ctx := context.Background()
	v, err := f.uc.InviteWorkshop(ctx, alice, v.ID, "oficina-b")
	if err != nil {
		t.Fatal(err)
	}
	if got := states(v); got["oficina-b"] != "invited" {
		t.Errorf("after the invitation: %v", got)
	}
	if f.franchiseOfWorkshop(t, f.b) != uuid.Nil {
		t.Error("an invitation alone put the workshop in the franchise")
	}
	// Only the owner of the invited workshop accepts.
	if err := f.uc.AcceptFranchise(in(f.b, caio, authz.RoleMechanic), v.ID); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("mechanic accepts: %v, want forbidden", err)
	}
	if err := f.uc.AcceptFranchise(in(f.b, bruno, authz.RoleOwner), v.ID); err != nil {
		t.Fatalf("owner accepts: %v", err)
	}
	v, _ = f.uc.GetFranchise(ctx, alice, v.ID)
	if got := states(v); got["oficina-b"] != "member" {
		t.Errorf("after acceptance: %v", got)
	}
	if f.franchiseOfWorkshop(t, f.b) != v.ID {
		t.Error("the workshop does not know its franchise")
	}
	if err := f.uc.RemoveWorkshop(ctx, alice, v.ID, f.b); err != nil {
		t.Fatal(err)
	}
	v, _ = f.uc.GetFranchise(ctx, alice, v.ID)
	if len(v.Workshops) != 0 || f.franchiseOfWorkshop(t, f.b) != uuid.Nil {
		t.Errorf("after removal: franchise %v, workshop's franchise %v", states(v), f.franchiseOfWorkshop(t, f.b))
	}
}

func TestAcceptingNeedsAnInvitation(t *testing.T) {
	f := newFixture(t)
	v := f.create(t)
	if err := f.uc.AcceptFranchise(in(f.b, bruno, authz.RoleOwner), v.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("accept without invitation: %v, want not found", err)
	}
	if f.franchiseOfWorkshop(t, f.b) != uuid.Nil {
		t.Error("the workshop joined without invitation")
	}
}

func TestRemovingAnInvitedWorkshopWithdrawsTheInvitation(t *testing.T) {
	f := newFixture(t)
	v := f.create(t)
	ctx := context.Background()
	if _, err := f.uc.InviteWorkshop(ctx, alice, v.ID, "oficina-b"); err != nil {
		t.Fatal(err)
	}
	if err := f.uc.RemoveWorkshop(ctx, alice, v.ID, f.b); err != nil {
		t.Fatal(err)
	}
	if err := f.uc.AcceptFranchise(in(f.b, bruno, authz.RoleOwner), v.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("accepting a withdrawn invitation: %v, want not found", err)
	}
}

func TestInviteAnUnknownSlug(t *testing.T) {
	f := newFixture(t)
	v := f.create(t)
	_, err := f.uc.InviteWorkshop(context.Background(), alice, v.ID, "nao-existe")
	var ve *errs.ValidationError
	if !errors.As(err, &ve) || ve.Fields[0].Field != "workshop_slug" {
		t.Errorf("err = %v, want validation on workshop_slug", err)
	}
}

func TestAddFranchiseManager(t *testing.T) {
	f := newFixture(t)
	v := f.create(t)
	ctx := context.Background()
	// A new person gets an account and an invitation with the recovery code.
	v, err := f.uc.AddFranchiseManager(ctx, alice, v.ID, "Dora@Example.com", " Dora ")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(v.Managers, []string{"alice", "new-1"}) {
		t.Errorf("managers = %v", v.Managers)
	}
	if len(f.mailer.Sent) != 1 || f.mailer.Sent[0].To != "dora@example.com" || !strings.Contains(f.mailer.Sent[0].Subject, "Rede Boa") ||
		!strings.Contains(f.mailer.Sent[0].Text, accountstest.RecoveryCode) {
		t.Errorf("mails = %+v", f.mailer.Sent)
	}
	// The new manager manages it.
	if _, err := f.uc.GetFranchise(ctx, memberships.Caller{IdentityID: "new-1"}, v.ID); err != nil {
		t.Errorf("new manager reads the franchise: %v", err)
	}
	// Bruno already has an account: no e-mail, no new account.
	f.ids.ByEmail["bruno@example.com"] = identity.Identity{ID: "bruno", Email: "bruno@example.com", Name: "Bruno", Verified: true}
	if v, err = f.uc.AddFranchiseManager(ctx, alice, v.ID, "bruno@example.com", "Bruno"); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(v.Managers, "bruno") || f.ids.Created != 1 || len(f.mailer.Sent) != 1 {
		t.Errorf("managers %v, %d accounts, %d mails", v.Managers, f.ids.Created, len(f.mailer.Sent))
	}
	if _, err := f.uc.AddFranchiseManager(ctx, alice, v.ID, "bruno@example.com", "Bruno"); !errors.Is(err, errs.ErrConflict) {
		t.Errorf("adding a manager twice: %v, want conflict", err)
	}
}

func TestAddFranchiseManagerValidates(t *testing.T) {
	f := newFixture(t)
	v := f.create(t)
	for _, tc := range []struct{ email, name, field string }{{"nope", "Dora", "email"}, {"dora@example.com", " ", "name"}} {
		_, err := f.uc.AddFranchiseManager(context.Background(), alice, v.ID, tc.email, tc.name)
		var ve *errs.ValidationError
		if !errors.As(err, &ve) || ve.Fields[0].Field != tc.field {
			t.Errorf("%q/%q: %v, want validation on %s", tc.email, tc.name, err, tc.field)
		}
	}
	if f.ids.Created != 0 {
		t.Error("an invalid request created an account")
	}
}

// Issue 10 item 17: `{}` (the nil franchise id) is a validation error naming
// the field, not a panic (500).
func TestAcceptingWithoutFranchiseIDIsInvalid(t *testing.T) {
	f := newFixture(t)
	err := f.uc.AcceptFranchise(in(f.b, bruno, authz.RoleOwner), uuid.Nil)
	var ve *errs.ValidationError
	if !errors.As(err, &ve) || ve.Fields[0].Field != "franchise_id" {
		t.Fatalf("accept with the nil id: %v, want a validation error on franchise_id", err)
	}
}

func TestAddFranchiseManagerNeedsAVerifiedAddressAndSecuresUnverifiedAccounts(t *testing.T) {
	f := newFixture(t)
	v := f.create(t)
	f.ids.Unverified["alice"] = true
	if _, err := f.uc.AddFranchiseManager(context.Background(), alice, v.ID, "dora@example.com", "Dora"); !errors.Is(err, errs.ErrEmailUnverified) {
		t.Fatalf("unverified manager adds a manager: %v, want ErrEmailUnverified", err)
	}
	delete(f.ids.Unverified, "alice")
	f.ids.ByEmail["eva@example.com"] = identity.Identity{ID: "squatter", Email: "eva@example.com", Name: "Eva"}
	if _, err := f.uc.AddFranchiseManager(context.Background(), alice, v.ID, "eva@example.com", "Eva"); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.ids.Reset, []string{"squatter"}) || len(f.mailer.Sent) != 1 ||
		!strings.Contains(f.mailer.Sent[0].Text, accountstest.RecoveryCode) {
		t.Errorf("reset %v, mails %+v: want the unverified account reset and a code mailed", f.ids.Reset, f.mailer.Sent)
	}
}
