package reminders

import (
	"context"
	"errors"

	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/maintenance"
)

// RecomputeDue recomputes the due points of the vehicles whose history
// changed, in every workshop, with each workshop's catalogue (its own
// services and intervals). Run by the worker, not on behalf of a person:
// no permission. It returns how many vehicles it recomputed; a workshop's
// failure is reported after the others ran.
func (u *UseCases) RecomputeDue(ctx context.Context) (int, error) {
	ids, err := u.d.Tenants.Workshops(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	var failed []error
	for _, id := range ids {
		n, err := u.recomputeTenant(usecase.InOwnTenant(ctx, id))
		total += n
		if err != nil {
			failed = append(failed, err)
		}
	}
	return total, errors.Join(failed...)
}

func (u *UseCases) recomputeTenant(ctx context.Context) (int, error) {
	cat, err := u.d.Catalogs.Catalog(ctx)
	if err != nil {
		return 0, err
	}
	predict := u.predictor(cat)
	total := 0
	for {
		n, err := u.d.Due.RecomputeDirty(ctx, u.cfg.Batch, predict)
		total += n
		if err != nil || n < u.cfg.Batch {
			return total, err
		}
	}
}

// refresh recomputes one batch of the tenant's changed vehicles before a
// read, so the read shows the latest orders and readings.
func (u *UseCases) refresh(ctx context.Context) error {
	cat, err := u.d.Catalogs.Catalog(ctx)
	if err != nil {
		return err
	}
	_, err = u.d.Due.RecomputeDirty(ctx, u.cfg.Batch, u.predictor(cat))
	return err
}

func (u *UseCases) predictor(cat catalog.Catalog) func(History) []maintenance.Due {
	ivs := maintenance.IntervalsOf(cat, nil)
	return func(h History) []maintenance.Due {
		return maintenance.Predict(maintenance.Input{Readings: h.Readings, Done: h.Done, Intervals: ivs,
			FleetKmPerDay: u.cfg.FleetKmPerDay})
	}
}
