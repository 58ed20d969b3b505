package workshop

import (
	"fmt"
	"sort"

	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/errs"
)

// CustomService is one of the workshop's own catalogue entries.
type CustomService struct {
	Code           string
	Label          string
	IntervalKm     int64
	IntervalMonths int
}

// DefineService adds or redefines a service of the workshop's own. The
// default codes cannot be redefined (catalog.WithCustom refuses them).
func (w *Workshop) DefineService(code, label string, intervalKm int64, intervalMonths int) error {
	if err := w.requireWritable(); err != nil {
		return err
	}
	cat, err := w.Catalog().WithCustom(code, label, intervalKm, intervalMonths)
	if err != nil {
		return err
	}
	c, _ := catalog.ParseServiceCode(code)
	s, _ := cat.Lookup(c)
	next := CustomService{Code: s.Code().String(), Label: s.Label(), IntervalKm: s.Interval().Km(), IntervalMonths: s.Interval().Months()}
	if cur, ok := w.services[next.Code]; ok && cur == next {
		return nil
	}
	w.rec.Record(ServiceDefined(next))
	return nil
}

// RemoveService removes a service of the workshop's own.
func (w *Workshop) RemoveService(code string) error {
	if err := w.requireWritable(); err != nil {
		return err
	}
	if _, ok := w.services[code]; !ok {
		return fmt.Errorf("service %s: %w", code, errs.ErrNotFound)
	}
	w.rec.Record(ServiceRemoved{Code: code})
	return nil
}

// CustomServices lists the workshop's own services by code.
func (w *Workshop) CustomServices() []CustomService {
	out := make([]CustomService, 0, len(w.services))
	for _, s := range w.services {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// Catalog is the default catalogue plus the workshop's own services.
func (w *Workshop) Catalog() catalog.Catalog {
	return BuildCatalog(w.CustomServices())
}

// BuildCatalog adds custom services to the default catalogue; entries that
// no longer validate are skipped (the catalogue must always load).
func BuildCatalog(custom []CustomService) catalog.Catalog {
	cat := catalog.Default()
	for _, s := range custom {
		if next, err := cat.WithCustom(s.Code, s.Label, s.IntervalKm, s.IntervalMonths); err == nil {
			cat = next
		}
	}
	return cat
}
