package serviceorder

import (
	"errors"
	"strconv"
	"strings"

	"github.com/torquehq/torque/domain/validate"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/catalog"
	"github.com/torquehq/torque/domain/errs"
)

// Stable error codes this package adds to those of domain/br, which it also
// uses.
const (
	// CodeTooLong means a text is longer than its field allows.
	CodeTooLong = "too_long"
	// CodeTooMany means a list has more entries than allowed.
	CodeTooMany = "too_many"
)

// API names of the fields, used in validation errors. Item fields are
// prefixed with "items[i]." in Open and bare in AddItem.
const (
	FieldCustomerID     = "customer_id"
	FieldVehicleID      = "vehicle_id"
	FieldNumber         = "number"
	FieldMileageKm      = "mileage_km"
	FieldDescription    = "description"
	FieldItems          = "items"
	FieldService        = "service"
	FieldQuantity       = "quantity"
	FieldUnitPriceCents = "unit_price_cents"
	FieldStatus         = "status"
	FieldNote           = "note"
	FieldMechanicID     = "mechanic_id"
)

// Limits.
const (
	maxItems                = 100
	maxQuantity             = 10_000
	maxDescriptionRunes     = 2000
	maxItemDescriptionRunes = 500
	maxNoteRunes            = 1000
	maxMechanicIDLen        = 100
)

// parseID parses a required UUID; the nil UUID counts as missing.
func parseID(col *errs.Collector, field, s string) uuid.UUID {
	s = strings.TrimSpace(s)
	if s == "" {
		col.Add(field, br.CodeRequired, field+" is required")
		return uuid.Nil
	}
	id, err := uuid.Parse(s)
	switch {
	case err != nil:
		col.Add(field, br.CodeInvalidFormat, field+" must be a UUID")
	case id == uuid.Nil:
		col.Add(field, br.CodeRequired, field+" is required")
	}
	return id
}

// parseItem validates one item; prefix is "items[i]." in Open and "" in
// AddItem. It returns the item without its line number, and whether it is
// valid (every error also goes to col).
func parseItem(col *errs.Collector, prefix string, in ItemInput, services ServiceLookup) (LineItem, bool) {
	before := collected(col)

	code, err := catalog.ParseServiceCode(in.Service)
	var ve *errs.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			col.Add(prefix+FieldService, f.Code, f.Message)
		}
	} else if _, known := services.Lookup(code); !known {
		col.Add(prefix+FieldService, br.CodeUnknownValue,
			"service "+strconv.Quote(code.String())+" is not in the workshop's catalogue")
	}
	description := validate.FreeText(col, prefix+FieldDescription, in.Description, maxItemDescriptionRunes, false)

	quantityOK := in.Quantity >= 1 && in.Quantity <= maxQuantity
	if !quantityOK {
		col.Add(prefix+FieldQuantity, br.CodeOutOfRange, "quantity must be between 1 and 10,000")
	}
	price, err := br.NewMoneyCents(in.UnitPriceCents)
	if err != nil {
		validate.AddBR(col, prefix+FieldUnitPriceCents, err)
	}
	var total br.Money
	if quantityOK && err == nil {
		if total, err = price.Mul(in.Quantity); err != nil {
			col.Add(prefix+FieldUnitPriceCents, br.CodeOutOfRange, "quantity × unit price is too large")
		}
	}
	if collected(col) > before {
		return LineItem{}, false
	}
	return LineItem{
		Service:        code.String(),
		Description:    description,
		Quantity:       in.Quantity,
		UnitPriceCents: price.Cents(),
		TotalCents:     total.Cents(),
	}, true
}

// collected counts the errors in col so far.
func collected(col *errs.Collector) int {
	var ve *errs.ValidationError
	if errors.As(col.Err(), &ve) {
		return len(ve.Fields)
	}
	return 0
}
