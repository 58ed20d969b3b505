// Package vehicle holds the Vehicle aggregate: a customer's car with its
// plate, description and odometer readings. A vehicle keeps its history
// across owners; TransferTo changes the owner.
//
// Commands take plain input, validate all of it before recording and report
// every bad field at once in an *errs.ValidationError named with the API
// field names (FieldPlate...).
package vehicle

import (
	"errors"
	"fmt"
	"github.com/torquehq/torque/domain/validate"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
)

// StreamType names vehicle streams in the event store.
const StreamType = "vehicle"

// RegisterInput is a new vehicle as received from the API, JSON-decoded but
// not validated.
type RegisterInput struct {
	Plate string // old "ABC-1234" or Mercosul "ABC1D23"
	Make  string
	Model string
	Year  int
	Color string // optional
	// MileageKm is the optional initial odometer reading (nil: unknown).
	MileageKm *int64
}

// Patch is a partial update of the vehicle: a nil field is left as it is.
// Plate, make, model and year cannot be removed; a pointer to "" (or to a
// blank string) clears Color, so the interfaces layer passes JSON null for
// color as "".
type Patch struct {
	Plate *string
	Make  *string
	Model *string
	Year  *int
	Color *string
}

// MileageSource tells where an odometer reading comes from.
type MileageSource struct{ s string }

// Sources of readings.
var (
	SourceServiceOrder = MileageSource{s: "service_order"}
	SourceManual       = MileageSource{s: "manual"}
)

// ParseMileageSource parses "service_order" or "manual"; errors are on the
// field "source".
func ParseMileageSource(s string) (MileageSource, error) {
	switch src := (MileageSource{s: strings.TrimSpace(s)}); src {
	case SourceServiceOrder, SourceManual:
		return src, nil
	case MileageSource{}:
		return MileageSource{}, errs.Invalid(FieldSource, br.CodeRequired, "source is required")
	}
	return MileageSource{}, errs.Invalid(FieldSource, br.CodeUnknownValue, "source must be service_order or manual")
}

// String returns the stable name, e.g. "manual".
func (s MileageSource) String() string { return s.s }

// Reading is one odometer reading.
type Reading struct {
	Km     int64
	At     time.Time
	Source MileageSource
	// NewOdometer marks the first reading after the odometer was replaced.
	NewOdometer bool
}

// Vehicle is the aggregate. Use Register for a new vehicle or Blank to load
// one.
type Vehicle struct {
	rec          es.Recorder
	id           uuid.UUID
	registered   bool
	customerID   uuid.UUID
	plate        string
	make         string
	model        string
	year         int
	color        string
	registeredAt time.Time
	readings     []Reading
	// replaced is set by OdometerReplaced until the next reading.
	replaced bool
}

// Blank returns an empty vehicle ready to have its events applied.
func Blank(id uuid.UUID) *Vehicle {
	v := &Vehicle{id: id}
	v.rec = es.NewRecorder(v.Apply)
	return v
}

// Register validates in and records a vehicle owned by customerID
// (Registered, then MileageRecorded with source "manual" when an initial
// reading is given). The year may be at most now's year + 1.
func Register(id, customerID uuid.UUID, in RegisterInput, now time.Time) (*Vehicle, error) {
	if id == uuid.Nil {
		return nil, errors.New("register vehicle: nil id")
	}
	var col errs.Collector
	if customerID == uuid.Nil {
		col.Add(FieldCustomerID, br.CodeRequired, "customer_id is required")
	}
	plate := parsePlate(&col, in.Plate)
	mk := requiredText(&col, FieldMake, in.Make, maxMakeModelRunes)
	model := requiredText(&col, FieldModel, in.Model, maxMakeModelRunes)
	year := parseYear(&col, in.Year, now)
	color := validate.FreeText(&col, FieldColor, in.Color, maxColorRunes, false)
	var odo br.Odometer
	if in.MileageKm != nil {
		var err error
		if odo, err = br.NewOdometerKm(*in.MileageKm); err != nil {
			validate.AddBR(&col, FieldMileageKm, err)
		}
	}
	if err := col.Err(); err != nil {
		return nil, err
	}

	now = now.UTC()
	v := Blank(id)
	v.rec.Record(Registered{
		CustomerID: customerID, Plate: plate, Make: mk, Model: model,
		Year: int64(year), Color: color, RegisteredAt: now,
	})
	if in.MileageKm != nil {
		v.rec.Record(MileageRecorded{CustomerID: customerID, Km: odo.Km(), Source: SourceManual.String(), ReadAt: now})
	}
	return v, nil
}

// Correct applies a partial update. It records one Corrected with the
// fields whose normalised value changed, or nothing when none did.
func (v *Vehicle) Correct(p Patch, now time.Time) error {
	if err := v.checkRegistered(); err != nil {
		return err
	}
	var col errs.Collector
	ev := Corrected{CustomerID: v.customerID, CorrectedAt: now.UTC()}
	if p.Plate != nil {
		if s := parsePlate(&col, *p.Plate); s != "" && s != v.plate {
			ev.Changed, ev.Plate = append(ev.Changed, FieldPlate), s
		}
	}
	if p.Make != nil {
		if s := requiredText(&col, FieldMake, *p.Make, maxMakeModelRunes); s != v.make {
			ev.Changed, ev.Make = append(ev.Changed, FieldMake), s
		}
	}
	if p.Model != nil {
		if s := requiredText(&col, FieldModel, *p.Model, maxMakeModelRunes); s != v.model {
			ev.Changed, ev.Model = append(ev.Changed, FieldModel), s
		}
	}
	if p.Year != nil {
		if y := parseYear(&col, *p.Year, now); y != v.year {
			ev.Changed, ev.Year = append(ev.Changed, FieldYear), int64(y)
		}
	}
	if p.Color != nil {
		if s := validate.FreeText(&col, FieldColor, *p.Color, maxColorRunes, false); s != v.color {
			ev.Changed, ev.Color = append(ev.Changed, FieldColor), s
		}
	}
	if err := col.Err(); err != nil {
		return err
	}
	if len(ev.Changed) > 0 {
		v.rec.Record(ev)
	}
	return nil
}

// RecordMileage records an odometer reading of km taken at at, from source
// ("service_order" or "manual"). A reading below the last one is refused
// (field mileage_km, code odometer_rollback) because it is usually a typo
// or tampering, unless odometerReplaced says the odometer was replaced or
// reset: then OdometerReplaced is recorded before the reading.
//
// "Last" is the last reading recorded, whatever its date: readings are
// compared in the order the workshop entered them.
func (v *Vehicle) RecordMileage(km int64, at time.Time, source string, odometerReplaced bool) error {
	if err := v.checkRegistered(); err != nil {
		return err
	}
	var col errs.Collector
	odo, odoErr := br.NewOdometerKm(km)
	if odoErr != nil {
		validate.AddBR(&col, FieldMileageKm, odoErr)
	}
	src, err := ParseMileageSource(source)
	validate.AddFieldErrors(&col, err)
	last, hasLast := v.MileageKm()
	if odoErr == nil && hasLast && odo.Km() < last && !odometerReplaced {
		col.Add(FieldMileageKm, CodeOdometerRollback,
			fmt.Sprintf("reading of %d km is below the last reading of %d km", odo.Km(), last))
	}
	if err := col.Err(); err != nil {
		return err
	}
	at = at.UTC()
	if odometerReplaced {
		v.rec.Record(OdometerReplaced{CustomerID: v.customerID, PreviousKm: last, ReplacedAt: at})
	}
	v.rec.Record(MileageRecorded{CustomerID: v.customerID, Km: odo.Km(), Source: src.String(), ReadAt: at})
	return nil
}

// TransferTo records that the vehicle now belongs to newCustomerID; it keeps
// its readings and service history.
func (v *Vehicle) TransferTo(newCustomerID uuid.UUID, now time.Time) error {
	if err := v.checkRegistered(); err != nil {
		return err
	}
	switch newCustomerID {
	case uuid.Nil:
		return errs.Invalid(FieldCustomerID, br.CodeRequired, "customer_id is required")
	case v.customerID:
		return errs.Invalid(FieldCustomerID, CodeSameOwner, "the vehicle already belongs to this customer")
	}
	v.rec.Record(Transferred{
		CustomerID: newCustomerID, PreviousCustomerID: v.customerID, Plate: v.plate, TransferredAt: now.UTC(),
	})
	return nil
}

func (v *Vehicle) checkRegistered() error {
	if !v.registered {
		return fmt.Errorf("vehicle %s: %w", v.id, errs.ErrNotFound)
	}
	return nil
}

// Apply implements es.Aggregate. It never validates or re-parses stored
// values, so a placeholder plate applies like any other.
func (v *Vehicle) Apply(e es.Event) {
	switch e := e.(type) {
	case Registered:
		v.registered = true
		v.customerID = e.CustomerID
		v.plate, v.make, v.model, v.year, v.color = e.Plate, e.Make, e.Model, int(e.Year), e.Color
		v.registeredAt = e.RegisteredAt
	case Corrected:
		for _, f := range e.Changed {
			switch f {
			case FieldPlate:
				v.plate = e.Plate
			case FieldMake:
				v.make = e.Make
			case FieldModel:
				v.model = e.Model
			case FieldYear:
				v.year = int(e.Year)
			case FieldColor:
				v.color = e.Color
			}
		}
	case MileageRecorded:
		v.readings = append(v.readings, Reading{
			Km: e.Km, At: e.ReadAt, Source: MileageSource{s: e.Source}, NewOdometer: v.replaced,
		})
		v.replaced = false
	case OdometerReplaced:
		v.replaced = true
	case Transferred:
		v.customerID = e.CustomerID
		v.plate = e.Plate
	}
}

// Recorder implements es.Aggregate.
func (v *Vehicle) Recorder() *es.Recorder { return &v.rec }

// ID returns the vehicle id.
func (v *Vehicle) ID() uuid.UUID { return v.id }

// CustomerID returns the current owner.
func (v *Vehicle) CustomerID() uuid.UUID { return v.customerID }

// Plate returns the normalised plate, e.g. "BRA2E19".
func (v *Vehicle) Plate() string { return v.plate }

// Make returns the make, e.g. "Volkswagen".
func (v *Vehicle) Make() string { return v.make }

// Model returns the model, e.g. "Gol".
func (v *Vehicle) Model() string { return v.model }

// Year returns the model year.
func (v *Vehicle) Year() int { return v.year }

// Color returns the colour ("" when unknown).
func (v *Vehicle) Color() string { return v.color }

// RegisteredAt returns when the vehicle was registered.
func (v *Vehicle) RegisteredAt() time.Time { return v.registeredAt }

// MileageKm returns the last odometer reading; ok is false when there is
// none.
func (v *Vehicle) MileageKm() (km int64, ok bool) {
	if len(v.readings) == 0 {
		return 0, false
	}
	return v.readings[len(v.readings)-1].Km, true
}

// Readings returns every odometer reading in the order recorded (a fresh
// slice).
func (v *Vehicle) Readings() []Reading { return append([]Reading(nil), v.readings...) }
