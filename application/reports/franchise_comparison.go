package reports

import (
	"context"
	"fmt"
	"sort"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/franchises"
	"github.com/torquehq/torque/application/memberships"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/workshop"
)

// FranchiseComparison compares the member shops of a franchise: orders,
// revenue, average ticket, NPS, return rate, reminder conversion, service mix
// and each figure's percentile among the shops. No personal data. Allowed to
// the franchise's managers, and to the owners of its member shops when the
// franchise shares the comparison with them (franchise setting
// ShareComparisonWithMembers). Anyone else, including those owners while
// the setting is off, gets not found, exactly like another tenant's data.
func (u *UseCases) FranchiseComparison(ctx context.Context, by memberships.Caller, id uuid.UUID, in PeriodInput) (Comparison, error) {
	managed, err := u.d.Franchises.FranchisesManagedBy(ctx, by.IdentityID)
	if err != nil {
		return Comparison{}, err
	}
	manager := false
	for _, f := range managed {
		manager = manager || f == id
	}
	notFound := fmt.Errorf("franchise: %w", errs.ErrNotFound)
	ctx = usecase.InOwnTenant(ctx, id)
	fv, err := u.d.Franchises.Franchise(ctx, id)
	if err != nil {
		if !manager {
			return Comparison{}, notFound
		}
		return Comparison{}, err
	}
	if !manager {
		if !fv.ShareComparisonWithMembers {
			return Comparison{}, notFound
		}
		owner, err := u.ownsMemberShop(ctx, by, fv)
		if err != nil {
			return Comparison{}, err
		}
		if !owner {
			return Comparison{}, notFound
		}
	}
	// The period is read in the time zone of the franchise's first shop (the
	// default zone when none): shops of one franchise share a country.
	var ids []uuid.UUID
	meta := map[uuid.UUID][2]string{}
	tz := ""
	for _, w := range fv.Workshops {
		if w.State != "member" {
			continue
		}
		ids = append(ids, w.WorkshopID)
		meta[w.WorkshopID] = [2]string{w.Slug, w.Name}
		if tz == "" {
			if wv, err := u.d.Workshops.WorkshopByID(ctx, w.WorkshopID); err == nil {
				tz = wv.TimeZone
			}
		}
	}
	loc := location(tz)
	from, to, err := in.resolve(u.base.Now(), loc)
	if err != nil {
		return Comparison{}, err
	}
	out := Comparison{FranchiseID: id, Name: fv.Name, Managed: manager, ShareWithMembers: fv.ShareComparisonWithMembers}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := u.d.Store.Comparison(ctx, Scope{WorkshopIDs: ids, From: from, To: to, TimeZone: loc.String()})
	if err != nil {
		return Comparison{}, err
	}
	for i := range rows {
		m := meta[rows[i].WorkshopID]
		rows[i].Slug, rows[i].Name = m[0], m[1]
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Slug < rows[j].Slug })
	Percentiles(rows)
	out.Workshops = rows
	return out, nil
}

// ownsMemberShop reports whether the caller is the owner of a member shop
// of the franchise.
func (u *UseCases) ownsMemberShop(ctx context.Context, by memberships.Caller, fv franchises.FranchiseView) (bool, error) {
	ms, err := u.d.Memberships.MembershipsOf(ctx, by.IdentityID)
	if err != nil {
		return false, err
	}
	for _, m := range ms {
		if m.Role != workshop.RoleOwner.String() {
			continue
		}
		for _, w := range fv.Workshops {
			if w.WorkshopID == m.WorkshopID && w.State == "member" {
				return true, nil
			}
		}
	}
	return false, nil
}

// Percentiles sets each shop's percentile per figure: the share of shops
// (itself included) whose figure is at or below its own, 0..100.
func Percentiles(rows []WorkshopFigures) {
	figures := map[string]func(w WorkshopFigures) float64{
		"orders":              func(w WorkshopFigures) float64 { return float64(w.Orders) },
		"revenue_cents":       func(w WorkshopFigures) float64 { return float64(w.RevenueCents) },
		"avg_ticket_cents":    func(w WorkshopFigures) float64 { return float64(w.AvgTicketCents) },
		"nps":                 func(w WorkshopFigures) float64 { return w.NPS },
		"return_rate":         func(w WorkshopFigures) float64 { return w.ReturnRate },
		"reminder_conversion": func(w WorkshopFigures) float64 { return w.ReminderConversion },
	}
	for i := range rows {
		rows[i].Percentile = map[string]float64{}
	}
	for name, f := range figures {
		for i := range rows {
			n := 0
			for j := range rows {
				if f(rows[j]) <= f(rows[i]) {
					n++
				}
			}
			rows[i].Percentile[name] = round1(100 * float64(n) / float64(len(rows)))
		}
	}
}

func round1(x float64) float64 {
	if x < 0 {
		return -round1(-x)
	}
	return float64(int64(x*10+0.5)) / 10
}

// FranchiseRef names a franchise.
type FranchiseRef struct {
	ID   uuid.UUID
	Name string
}

// ManagedFranchises lists the franchises the caller manages (for the
// dashboards' index). Permission: none beyond being signed in; the list is
// the caller's own.
func (u *UseCases) ManagedFranchises(ctx context.Context, by memberships.Caller) ([]FranchiseRef, error) {
	ids, err := u.d.Franchises.FranchisesManagedBy(ctx, by.IdentityID)
	if err != nil {
		return nil, err
	}
	out := make([]FranchiseRef, 0, len(ids))
	for _, id := range ids {
		ref := FranchiseRef{ID: id, Name: id.String()}
		if fv, err := u.d.Franchises.Franchise(usecase.InOwnTenant(ctx, id), id); err == nil && fv.Name != "" {
			ref.Name = fv.Name
		}
		out = append(out, ref)
	}
	return out, nil
}
