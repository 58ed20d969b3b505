package reports_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/franchises"
	"github.com/torquehq/torque/application/memberships"
	"github.com/torquehq/torque/application/reports"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
)

type fakeStore struct {
	scopes []reports.Scope
	pid    uuid.UUID
}

func (f *fakeStore) Satisfaction(_ context.Context, s reports.Scope) (reports.Satisfaction, error) {
	f.scopes = append(f.scopes, s)
	return reports.Satisfaction{}, nil
}

func (f *fakeStore) Frequency(_ context.Context, s reports.Scope, _ time.Time) (reports.Frequency, error) {
	f.scopes = append(f.scopes, s)
	return reports.Frequency{Overdue: []reports.Overdue{{CustomerPID: f.pid}, {CustomerPID: uuid.New()}}}, nil
}

func (f *fakeStore) TopServices(_ context.Context, s reports.Scope) ([]reports.ServiceFigure, error) {
	f.scopes = append(f.scopes, s)
	return nil, nil
}

func (f *fakeStore) MaintenanceTrends(_ context.Context, s reports.Scope) (reports.Trends, error) {
	f.scopes = append(f.scopes, s)
	return reports.Trends{}, nil
}

func (f *fakeStore) Comparison(_ context.Context, s reports.Scope) ([]reports.WorkshopFigures, error) {
	f.scopes = append(f.scopes, s)
	out := make([]reports.WorkshopFigures, len(s.WorkshopIDs))
	for i, id := range s.WorkshopIDs {
		out[i] = reports.WorkshopFigures{WorkshopID: id, Orders: int64(i + 1)}
	}
	return out, nil
}

type pseudo struct{}

func (pseudo) Customer(w, c uuid.UUID) uuid.UUID { return uuid.NewSHA1(w, c[:]) }

type dir struct{ ids []uuid.UUID }

func (d dir) CustomerIDs(context.Context) ([]uuid.UUID, error) { return d.ids, nil }
func (d dir) CustomersByID(_ context.Context, ids []uuid.UUID, _ bool) ([]customers.Customer, error) {
	out := []customers.Customer{}
	for _, id := range ids {
		out = append(out, customers.Customer{ID: id, Name: "Maria"})
	}
	return out, nil
}

type wsDir struct{}

func (wsDir) WorkshopByID(_ context.Context, id uuid.UUID) (workshops.WorkshopView, error) {
	return workshops.WorkshopView{ID: id, TimeZone: "America/Manaus"}, nil
}

type frDir struct {
	manager string
	fv      franchises.FranchiseView
}

func (f frDir) Franchise(context.Context, uuid.UUID) (franchises.FranchiseView, error) {
	return f.fv, nil
}
func (f frDir) FranchisesManagedBy(_ context.Context, id string) ([]uuid.UUID, error) {
	if id == f.manager {
		return []uuid.UUID{f.fv.ID}, nil
	}
	return nil, nil
}

// members maps an identity to its memberships.
type members map[string][]memberships.MembershipView

func (m members) MembershipsOf(_ context.Context, id string) ([]memberships.MembershipView, error) {
	return m[id], nil
}

func as(w uuid.UUID, role authz.Role) context.Context {
	tid, _ := tenant.FromUUID(w)
	return authz.WithPrincipal(tenant.WithTenant(context.Background(), tid), authz.Principal{IdentityID: "x", Tenant: tid, Role: role})
}

func TestFrequency_NamesOverdueCustomersForStaffWhoMayReadThem(t *testing.T) {
	w, c := uuid.New(), uuid.New()
	st := &fakeStore{pid: pseudo{}.Customer(w, c)}
	u, err := reports.New(usecase.Base{}, reports.Deps{Store: st, Pseudonyms: pseudo{}, Customers: dir{ids: []uuid.UUID{uuid.New(), c}},
		Workshops: wsDir{}, Franchises: frDir{}, Memberships: members{}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := u.Frequency(as(w, authz.RoleOwner), reports.PeriodInput{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Overdue[0].CustomerID != c || f.Overdue[0].Name != "Maria" || f.Overdue[1].CustomerID != uuid.Nil || f.Overdue[1].Name != "" {
		t.Fatalf("overdue: %+v", f.Overdue)
	}
	if s := st.scopes[0]; len(s.WorkshopIDs) != 1 || s.WorkshopIDs[0] != w || s.TimeZone != "America/Manaus" {
		t.Fatalf("scope: %+v", s)
	}
	if _, err := u.TopServices(as(w, authz.RoleMechanic), reports.PeriodInput{}); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("mechanic: %v", err)
	}
}

func TestFranchiseComparison_OnlyItsManagersAndOnlyMemberShops(t *testing.T) {
	member, invited := uuid.New(), uuid.New()
	fv := franchises.FranchiseView{ID: uuid.New(), Name: "Rede", Workshops: []franchises.FranchiseWorkshop{
		{WorkshopID: member, Slug: "a", Name: "A", State: "member"}, {WorkshopID: invited, Slug: "b", Name: "B", State: "invited"}}}
	st := &fakeStore{}
	u, _ := reports.New(usecase.Base{}, reports.Deps{Store: st, Pseudonyms: pseudo{}, Customers: dir{}, Workshops: wsDir{},
		Franchises: frDir{manager: "gestora", fv: fv}, Memberships: members{"dono-de-a": {{WorkshopID: member, Role: "owner"}}}})
	if _, err := u.FranchiseComparison(context.Background(), memberships.Caller{IdentityID: "dono-de-a"}, fv.ID, reports.PeriodInput{}); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("a member shop's owner: %v, want not found", err)
	}
	c, err := u.FranchiseComparison(context.Background(), memberships.Caller{IdentityID: "gestora"}, fv.ID, reports.PeriodInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Workshops) != 1 || c.Workshops[0].Slug != "a" || len(st.scopes[0].WorkshopIDs) != 1 || st.scopes[0].WorkshopIDs[0] != member {
		t.Fatalf("comparison: %+v (scope %+v)", c.Workshops, st.scopes)
	}
}

func TestFranchiseComparison_OwnersOfMemberShopsOnlyWhenTheFranchiseShares(t *testing.T) {
	member, invited, other := uuid.New(), uuid.New(), uuid.New()
	fv := franchises.FranchiseView{ID: uuid.New(), Name: "Rede", ShareComparisonWithMembers: true, Workshops: []franchises.FranchiseWorkshop{
		{WorkshopID: member, Slug: "a", Name: "A", State: "member"}, {WorkshopID: invited, Slug: "b", Name: "B", State: "invited"}}}
	ms := members{
		"dono-de-a":     {{WorkshopID: member, Role: "owner"}},
		"mecanico-de-a": {{WorkshopID: member, Role: "mechanic"}},
		"gerente-de-a":  {{WorkshopID: member, Role: "manager"}},
		"dono-de-b":     {{WorkshopID: invited, Role: "owner"}},
		"dono-de-outra": {{WorkshopID: other, Role: "owner"}},
	}
	for _, share := range []bool{true, false} {
		fv.ShareComparisonWithMembers = share
		u, _ := reports.New(usecase.Base{}, reports.Deps{Store: &fakeStore{}, Pseudonyms: pseudo{}, Customers: dir{}, Workshops: wsDir{},
			Franchises: frDir{manager: "gestora", fv: fv}, Memberships: ms})
		for who := range ms {
			c, err := u.FranchiseComparison(context.Background(), memberships.Caller{IdentityID: who}, fv.ID, reports.PeriodInput{})
			if share && who == "dono-de-a" {
				if err != nil || len(c.Workshops) != 1 || c.Managed || !c.ShareWithMembers {
					t.Fatalf("owner of a member shop, sharing on: %+v, %v", c, err)
				}
				continue
			}
			if !errors.Is(err, errs.ErrNotFound) {
				t.Fatalf("%s (sharing %v): %v, want not found", who, share, err)
			}
		}
		if c, err := u.FranchiseComparison(context.Background(), memberships.Caller{IdentityID: "gestora"}, fv.ID, reports.PeriodInput{}); err != nil || !c.Managed {
			t.Fatalf("manager (sharing %v): %+v %v", share, c, err)
		}
	}
}
