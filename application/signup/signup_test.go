package signup_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/billing"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/internal/accountstest"
	"github.com/torquehq/torque/application/internal/eventstoretest"
	"github.com/torquehq/torque/application/signup"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/domain/workshop"
)

// slugs holds reservations; Release fails on a cancelled ctx, as a real
// database call would.
type slugs struct {
	held map[string]uuid.UUID
}

func (s *slugs) Reserve(_ context.Context, slug string, id uuid.UUID) error {
	if _, ok := s.held[slug]; ok {
		return errs.ErrConflict
	}
	s.held[slug] = id
	return nil
}

func (s *slugs) Release(ctx context.Context, slug string, id uuid.UUID) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.held[slug] == id {
		delete(s.held, slug)
	}
	return nil
}

// identities creates staff identities; createErr makes CreateStaff fail
// (after cancelling the request when cancel is set).
type identities struct {
	identity.Directory
	byID      map[string]identity.Identity
	createErr error
	cancel    context.CancelFunc
	passwords map[string]string
	// taken are addresses that already have an identity (conflict);
	// weak is a password the provider's policy refuses.
	taken map[string]bool
	weak  string
}

func (d *identities) CreateStaff(_ context.Context, email, name, password string) (identity.Identity, error) {
	if d.cancel != nil {
		d.cancel()
	}
	if d.createErr != nil {
		return identity.Identity{}, d.createErr
	}
	if d.taken[email] {
		return identity.Identity{}, errs.ErrConflict
	}
	if password != "" && password == d.weak {
		return identity.Identity{}, errs.Invalid("password", "too_similar", "too similar")
	}
	id := identity.Identity{ID: "id-" + email, Schema: identity.SchemaStaff, Email: email, Name: name, Active: true}
	d.byID[id.ID], d.passwords[id.ID] = id, password
	return id, nil
}

func (d *identities) Delete(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	delete(d.byID, id)
	return nil
}

// lateDirectory is a read model that has not caught up yet.
type lateDirectory struct{}

func (lateDirectory) WorkshopByID(context.Context, uuid.UUID) (workshops.WorkshopView, error) {
	return workshops.WorkshopView{}, errs.ErrNotFound
}

type checkouts struct {
	got []billing.SignupCheckoutInput
	err error
}

func (c *checkouts) StartSignupCheckout(ctx context.Context, in billing.SignupCheckoutInput) (string, error) {
	if t, err := tenant.FromContext(ctx); err != nil || t.UUID() != in.WorkshopID {
		return "", errors.New("checkout must run in the new workshop's tenant")
	}
	c.got = append(c.got, in)
	if c.err != nil {
		return "", c.err
	}
	return "https://checkout.example/" + in.WorkshopID.String(), nil
}

type fixture struct {
	uc        *signup.UseCases
	store     *eventstoretest.MemStore
	slugs     *slugs
	ids       *identities
	checkouts *checkouts
	mailer    *accountstest.Mailer
	id        uuid.UUID
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{store: eventstoretest.NewMemStore(), slugs: &slugs{held: map[string]uuid.UUID{}},
		ids: &identities{byID: map[string]identity.Identity{}, passwords: map[string]string{}, taken: map[string]bool{}}, checkouts: &checkouts{},
		mailer: &accountstest.Mailer{}, id: uuid.Must(uuid.NewV7())}
	clock := func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }
	uc, err := signup.New(usecase.Base{Clock: clock, NewID: func() uuid.UUID { return f.id }},
		signup.Deps{Store: f.store, Slugs: f.slugs, Identities: f.ids, Workshops: lateDirectory{}, Checkouts: f.checkouts,
			Mailer: f.mailer, PublicURL: "https://torque.example"})
	if err != nil {
		t.Fatal(err)
	}
	f.uc = uc
	return f
}

func (f *fixture) workshop(t *testing.T) *workshop.Workshop {
	t.Helper()
	return accountstest.Workshop(t, f.store, f.id)
}

func valid() signup.Input {
	return signup.Input{WorkshopName: "Oficina do Zé", Slug: "oficina-do-ze", Plan: "pro",
		OwnerName: "  José Silva ", OwnerEmail: "ze@example.com", OwnerPass: "segredo-forte"}
}

func TestNewNamesMissingPorts(t *testing.T) {
	_, err := signup.New(usecase.Base{}, signup.Deps{})
	for _, port := range []string{"Store", "Slugs", "Identities", "Workshops", "Checkouts"} {
		if err == nil || !strings.Contains(err.Error(), "signup: "+port+" is required") {
			t.Errorf("New without ports: %v, want it to name %s", err, port)
		}
	}
}

func TestSignUpOpensTheWorkshopInTrialWithItsOwner(t *testing.T) {
	f := newFixture(t)
	res, err := f.uc.SignUpWorkshop(context.Background(), valid())
	if err != nil {
		t.Fatal(err)
	}
	ws := res.Workshop
	if ws.ID != f.id || ws.Slug != "oficina-do-ze" || ws.Name != "Oficina do Zé" || ws.Plan != "pro" || ws.Status != "trialing" {
		t.Errorf("workshop = %+v", ws)
	}
	if res.CheckoutURL != "https://checkout.example/"+f.id.String() {
		t.Errorf("checkout URL = %q", res.CheckoutURL)
	}
	if f.slugs.held["oficina-do-ze"] != f.id {
		t.Errorf("the slug is not held by the new workshop: %v", f.slugs.held)
	}
	owner, ok := f.ids.byID["id-ze@example.com"]
	if !ok || owner.Name != "José Silva" || f.ids.passwords[owner.ID] != "segredo-forte" {
		t.Fatalf("owner identity = %+v (ok %v)", owner, ok)
	}
	m, ok := f.workshop(t).Member(owner.ID)
	if !ok || m.Role != workshop.RoleOwner {
		t.Errorf("owner membership = %+v (ok %v), want owner", m, ok)
	}
	if len(f.checkouts.got) != 1 {
		t.Fatalf("checkouts = %+v", f.checkouts.got)
	}
	if got := f.checkouts.got[0]; got.Owner.Email != "ze@example.com" || got.Plan != "pro" || got.WorkshopName != "Oficina do Zé" {
		t.Errorf("checkout input = %+v", got)
	}
}

func TestSignUpRefusesATakenSlug(t *testing.T) {
	f := newFixture(t)
	other := uuid.Must(uuid.NewV7())
	f.slugs.held["oficina-do-ze"] = other
	_, err := f.uc.SignUpWorkshop(context.Background(), valid())
	var ce *errs.ConflictError
	if !errors.As(err, &ce) || ce.Field != "slug" || ce.Code != "taken" {
		t.Fatalf("err = %v, want conflict slug/taken", err)
	}
	if len(f.ids.byID) != 0 || f.slugs.held["oficina-do-ze"] != other {
		t.Errorf("a refused signup changed something: identities %v, slugs %v", f.ids.byID, f.slugs.held)
	}
}

func TestSignUpReportsEveryBadFieldBeforeDoingAnything(t *testing.T) {
	f := newFixture(t)
	in := signup.Input{WorkshopName: "", Slug: "Not A Slug!", Plan: "gold", OwnerName: " ", OwnerEmail: "not-an-email", OwnerPass: "short"}
	_, err := f.uc.SignUpWorkshop(context.Background(), in)
	var ve *errs.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want validation", err)
	}
	got := map[string]string{}
	for _, fe := range ve.Fields {
		got[fe.Field] = fe.Code
	}
	for field, code := range map[string]string{"owner.name": "required", "owner.password": "weak_password"} {
		if got[field] != code {
			t.Errorf("%s: code %q, want %q (all: %v)", field, got[field], code, got)
		}
	}
	for _, field := range []string{"owner.email", "slug", "workshop_name", "plan"} {
		if got[field] == "" {
			t.Errorf("%s not reported (all: %v)", field, got)
		}
	}
	if len(f.slugs.held) != 0 || len(f.ids.byID) != 0 || len(f.store.Streams()) != 0 {
		t.Error("an invalid signup had side effects")
	}
}

func TestSignUpGivesTheSlugBackWhenTheOwnerCannotBeCreated(t *testing.T) {
	for name, tc := range map[string]struct {
		err      error
		conflict bool
	}{
		"provider is down":  {err: errors.New("kratos: 503")},
		"request cancelled": {err: context.Canceled},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			f.ids.createErr = tc.err
			if name == "request cancelled" {
				f.ids.cancel = cancel
			}
			_, err := f.uc.SignUpWorkshop(ctx, valid())
			var ce *errs.ConflictError
			if tc.conflict != (errors.As(err, &ce) && ce.Field == "owner.email" && ce.Code == "taken") {
				t.Errorf("err = %v, conflict on owner.email wanted: %v", err, tc.conflict)
			}
			if err == nil {
				t.Fatal("signup succeeded")
			}
			if _, held := f.slugs.held["oficina-do-ze"]; held {
				t.Error("the slug stays reserved after a failed signup")
			}
		})
	}
}

func TestSignUpUndoesTheOwnerAndSlugWhenTheWorkshopCannotBeStored(t *testing.T) {
	f := newFixture(t)
	f.store.FailAppend = errors.New("database is gone")
	_, err := f.uc.SignUpWorkshop(context.Background(), valid())
	if err == nil {
		t.Fatal("signup succeeded without a stored workshop")
	}
	if len(f.ids.byID) != 0 {
		t.Errorf("the owner identity was left behind: %v", f.ids.byID)
	}
	if len(f.slugs.held) != 0 {
		t.Errorf("the slug stays reserved: %v", f.slugs.held)
	}
	if len(f.checkouts.got) != 0 {
		t.Error("a checkout was started for a workshop that does not exist")
	}
}

func TestSignUpKeepsTheWorkshopInTrialWhenBillingIsDown(t *testing.T) {
	f := newFixture(t)
	f.checkouts.err = errors.New("stripe: 500")
	res, err := f.uc.SignUpWorkshop(context.Background(), valid())
	if err != nil {
		t.Fatalf("signup failed because billing is down: %v", err)
	}
	if res.CheckoutURL != "" || res.Workshop.Status != "trialing" {
		t.Errorf("result = %+v, want a trialing workshop without checkout URL", res)
	}
	if _, ok := f.ids.byID["id-ze@example.com"]; !ok || f.slugs.held["oficina-do-ze"] != f.id {
		t.Error("billing trouble undid the signup")
	}
}

// Signup must not tell whether an address already has an account (issue 10
// item 5): the answer has the same shape as a new signup's, nothing is
// created, the slug stays taken, and the address's holder is told by e-mail.
func TestSignUpWithAKnownAddressAnswersLikeASignup(t *testing.T) {
	f := newFixture(t)
	in := valid()
	f.ids.taken[strings.ToLower(in.OwnerEmail)] = true
	res, err := f.uc.SignUpWorkshop(context.Background(), in)
	if err != nil {
		t.Fatalf("signup with a known address: %v, want the answer of a signup", err)
	}
	if res.Workshop.Slug != in.Slug || res.Workshop.Name != in.WorkshopName || res.Workshop.Status != "trialing" {
		t.Errorf("answer = %+v, want the workshop asked for", res.Workshop)
	}
	if len(f.store.Streams()) != 0 || len(f.checkouts.got) != 0 {
		t.Error("a signup with a known address created a workshop or a checkout")
	}
	if _, held := f.slugs.held[in.Slug]; !held {
		t.Error("the slug was given back: asking for it again would reveal the address is known")
	}
	if len(f.ids.byID) != 0 {
		t.Errorf("identities left behind: %v", f.ids.byID)
	}
	if len(f.mailer.Sent) != 1 || f.mailer.Sent[0].To != strings.ToLower(in.OwnerEmail) ||
		!strings.Contains(f.mailer.Sent[0].Text, "https://torque.example/recovery") {
		t.Errorf("mails = %+v, want one notice to the address's holder", f.mailer.Sent)
	}
	// The password policy answers the same whether or not the address is known.
	for _, taken := range []bool{true, false} {
		g := newFixture(t)
		g.ids.taken[strings.ToLower(in.OwnerEmail)] = taken
		g.ids.weak = in.OwnerPass
		_, err := g.uc.SignUpWorkshop(context.Background(), in)
		var ve *errs.ValidationError
		if !errors.As(err, &ve) || ve.Fields[0].Field != "owner.password" {
			t.Errorf("weak password, address known=%v: %v, want 422 on owner.password", taken, err)
		}
		if _, held := g.slugs.held[in.Slug]; held {
			t.Errorf("weak password, address known=%v: the slug stays reserved", taken)
		}
	}
}
