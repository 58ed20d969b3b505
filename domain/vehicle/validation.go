package vehicle

import (
	"time"

	"github.com/torquehq/torque/domain/validate"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
)

// Stable error codes this package adds to those of domain/br, which it also
// uses.
const (
	// CodeTooLong means a text is longer than its field allows.
	CodeTooLong = "too_long"
	// CodeOdometerRollback means a reading is below the last one and the
	// odometer was not reported as replaced.
	CodeOdometerRollback = "odometer_rollback"
	// CodeSameOwner means a transfer to the customer who already owns the
	// vehicle.
	CodeSameOwner = "same_owner"
)

// API names of the vehicle's fields, used in validation errors and in
// Corrected.Changed.
const (
	FieldPlate      = "plate"
	FieldMake       = "make"
	FieldModel      = "model"
	FieldYear       = "year"
	FieldColor      = "color"
	FieldMileageKm  = "mileage_km"
	FieldSource     = "source"
	FieldCustomerID = "customer_id"
)

// Limits, in characters.
const (
	maxMakeModelRunes = 60
	maxColorRunes     = 40
	minYear           = 1900
)

// requiredText is freeText for a field that cannot be empty.
func requiredText(col *errs.Collector, field, s string, maxRunes int) string {
	s = validate.FreeText(col, field, s, maxRunes, false)
	if s == "" {
		col.Add(field, br.CodeRequired, field+" is required")
	}
	return s
}

func parsePlate(col *errs.Collector, s string) string {
	p, err := br.ParsePlate(s)
	if err != nil {
		validate.AddBR(col, FieldPlate, err)
		return ""
	}
	return p.String()
}

// parseYear checks a model year: 1900 up to next year's models, which are
// on sale from mid-year. 0 is what JSON decoding leaves for a missing year.
func parseYear(col *errs.Collector, year int, now time.Time) int {
	switch {
	case year == 0:
		col.Add(FieldYear, br.CodeRequired, "year is required")
	case year < minYear || year > now.Year()+1:
		col.Add(FieldYear, br.CodeOutOfRange, "year must be between 1900 and next year")
	}
	return year
}
