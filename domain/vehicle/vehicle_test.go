package vehicle_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/domain/vehicle"
)

var (
	vehID   = uuid.MustParse("0196a2f0-0000-7000-8000-000000000101")
	maria   = uuid.MustParse("0196a2f0-0000-7000-8000-000000000001")
	joao    = uuid.MustParse("0196a2f0-0000-7000-8000-000000000002")
	t0      = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	t1      = t0.Add(30 * 24 * time.Hour)
	t2      = t1.Add(30 * 24 * time.Hour)
	gol     = vehicle.Registered{CustomerID: maria, Plate: "BRA2E19", Make: "Volkswagen", Model: "Gol", Year: 2019, Color: "Prata", RegisteredAt: t0}
	reading = vehicle.MileageRecorded{CustomerID: maria, Km: 45210, Source: "manual", ReadAt: t0}
)

func ptr[T any](v T) *T { return &v }

func given(events ...es.Event) *vehicle.Vehicle {
	v := vehicle.Blank(vehID)
	for i, e := range events {
		v.Apply(e)
		v.Recorder().Replayed(int64(i + 1))
	}
	return v
}

func requireEvents(t *testing.T, v *vehicle.Vehicle, want []es.Event) {
	t.Helper()
	got := v.Recorder().PopEvents()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("events:\n got  %#v\n want %#v", got, want)
	}
}

func requireFieldCodes(t *testing.T, err error, want []string) {
	t.Helper()
	var ve *errs.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *errs.ValidationError", err, err)
	}
	got := make([]string, 0, len(ve.Fields))
	for _, f := range ve.Fields {
		if f.Message == "" {
			t.Errorf("field %s code %s has no message", f.Field, f.Code)
		}
		got = append(got, f.Field+":"+f.Code)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("errors = %v\nwant     %v", got, want)
	}
}

func TestVehicle_Register(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   vehicle.RegisterInput
		want []es.Event
	}{
		{
			name: "API example with initial mileage",
			in:   vehicle.RegisterInput{Plate: "BRA2E19", Make: "Volkswagen", Model: "Gol", Year: 2019, Color: "Prata", MileageKm: ptr[int64](45210)},
			want: []es.Event{gol, reading},
		},
		{
			name: "old plate, trimmed text, no colour or mileage",
			in:   vehicle.RegisterInput{Plate: "abc-1234", Make: " Fiat ", Model: "Uno \"Mille\"", Year: 1995},
			want: []es.Event{vehicle.Registered{CustomerID: maria, Plate: "ABC1234", Make: "Fiat", Model: `Uno "Mille"`, Year: 1995, RegisteredAt: t0}},
		},
		{
			name: "bounds: year 1900 and next year, 0 km, 60 and 40 characters",
			in: vehicle.RegisterInput{
				Plate: "abc1d23", Make: strings.Repeat("é", 60), Model: "<script>x</script>", Year: 2026,
				Color: strings.Repeat("ç", 40), MileageKm: ptr[int64](0),
			},
			want: []es.Event{
				vehicle.Registered{CustomerID: maria, Plate: "ABC1D23", Make: strings.Repeat("é", 60), Model: "<script>x</script>", Year: 2026, Color: strings.Repeat("ç", 40), RegisteredAt: t0},
				vehicle.MileageRecorded{CustomerID: maria, Km: 0, Source: "manual", ReadAt: t0},
			},
		},
		{
			name: "year 1900, SQL-looking model",
			in:   vehicle.RegisterInput{Plate: "ABC1234", Make: "Ford", Model: "'; DROP TABLE x; --", Year: 1900},
			want: []es.Event{vehicle.Registered{CustomerID: maria, Plate: "ABC1234", Make: "Ford", Model: "'; DROP TABLE x; --", Year: 1900, RegisteredAt: t0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := vehicle.Register(vehID, maria, tt.in, t0)
			if err != nil {
				t.Fatalf("Register: %v", err)
			}
			requireEvents(t, v, tt.want)
		})
	}
}

func TestVehicle_Register_validation(t *testing.T) {
	t.Parallel()
	ok := vehicle.RegisterInput{Plate: "BRA2E19", Make: "VW", Model: "Gol", Year: 2019}
	with := func(f func(*vehicle.RegisterInput)) vehicle.RegisterInput { in := ok; f(&in); return in }
	tests := []struct {
		name     string
		customer uuid.UUID
		in       vehicle.RegisterInput
		want     []string
	}{
		{"missing plate", maria, with(func(in *vehicle.RegisterInput) { in.Plate = " " }), []string{"plate:required"}},
		{"plate length", maria, with(func(in *vehicle.RegisterInput) { in.Plate = "AB1234" }), []string{"plate:invalid_length"}},
		{"plate shape", maria, with(func(in *vehicle.RegisterInput) { in.Plate = "1BC1234" }), []string{"plate:invalid_format"}},
		{"plate characters", maria, with(func(in *vehicle.RegisterInput) { in.Plate = "ABC.1234" }), []string{"plate:invalid_format"}},
		{"missing make", maria, with(func(in *vehicle.RegisterInput) { in.Make = "" }), []string{"make:required"}},
		{"make too long", maria, with(func(in *vehicle.RegisterInput) { in.Make = strings.Repeat("a", 61) }), []string{"make:too_long"}},
		{"model with control", maria, with(func(in *vehicle.RegisterInput) { in.Model = "Gol\n" + "G5" }), []string{"model:invalid_format"}},
		{"missing year", maria, with(func(in *vehicle.RegisterInput) { in.Year = 0 }), []string{"year:required"}},
		{"year too old", maria, with(func(in *vehicle.RegisterInput) { in.Year = 1899 }), []string{"year:out_of_range"}},
		{"year after next", maria, with(func(in *vehicle.RegisterInput) { in.Year = 2027 }), []string{"year:out_of_range"}},
		{"colour too long", maria, with(func(in *vehicle.RegisterInput) { in.Color = strings.Repeat("a", 41) }), []string{"color:too_long"}},
		{"negative mileage", maria, with(func(in *vehicle.RegisterInput) { in.MileageKm = ptr[int64](-1) }), []string{"mileage_km:out_of_range"}},
		{"absurd mileage", maria, with(func(in *vehicle.RegisterInput) { in.MileageKm = ptr[int64](2_000_001) }), []string{"mileage_km:out_of_range"}},
		{"no owner", uuid.Nil, ok, []string{"customer_id:required"}},
		{
			name: "every field at fault", customer: uuid.Nil,
			in: vehicle.RegisterInput{Year: 3000, Color: "a\x00", MileageKm: ptr[int64](-5)},
			want: []string{
				"customer_id:required", "plate:required", "make:required", "model:required",
				"year:out_of_range", "color:invalid_format", "mileage_km:out_of_range",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := vehicle.Register(vehID, tt.customer, tt.in, t0)
			if v != nil {
				t.Fatal("Register returned a vehicle along with the error")
			}
			requireFieldCodes(t, err, tt.want)
		})
	}
}

func TestVehicle_Correct(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		patch  vehicle.Patch
		want   []es.Event
		fields []string
	}{
		{name: "empty patch"},
		{name: "same values", patch: vehicle.Patch{Plate: ptr("bra-2e19"), Make: ptr(" Volkswagen"), Year: ptr(2019), Color: ptr("Prata ")}},
		{
			name:  "new Mercosul plate and model",
			patch: vehicle.Patch{Plate: ptr("ABC1C34"), Model: ptr("Gol G5")},
			want: []es.Event{vehicle.Corrected{
				CustomerID: maria, Changed: []string{"plate", "model"}, Plate: "ABC1C34", Model: "Gol G5", CorrectedAt: t1,
			}},
		},
		{
			name:  "year and colour cleared",
			patch: vehicle.Patch{Make: ptr("VW"), Year: ptr(2020), Color: ptr("")},
			want: []es.Event{vehicle.Corrected{
				CustomerID: maria, Changed: []string{"make", "year", "color"}, Make: "VW", Year: 2020, CorrectedAt: t1,
			}},
		},
		{name: "cannot clear make or plate", patch: vehicle.Patch{Plate: ptr(""), Make: ptr(" ")}, fields: []string{"plate:required", "make:required"}},
		{name: "bad year and model", patch: vehicle.Patch{Model: ptr(strings.Repeat("m", 61)), Year: ptr(1800)}, fields: []string{"model:too_long", "year:out_of_range"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := given(gol, reading)
			err := v.Correct(tt.patch, t1)
			if tt.fields != nil {
				requireFieldCodes(t, err, tt.fields)
			} else if err != nil {
				t.Fatalf("Correct: %v", err)
			}
			requireEvents(t, v, tt.want)
		})
	}
}

func TestVehicle_Correct_appliesToState(t *testing.T) {
	t.Parallel()
	v := given(gol, vehicle.Corrected{
		CustomerID: maria, Changed: []string{"plate", "make", "model", "year", "color"},
		Plate: "ABC1C34", Make: "VW", Model: "Gol G5", Year: 2020, CorrectedAt: t1,
	})
	if v.Plate() != "ABC1C34" || v.Make() != "VW" || v.Model() != "Gol G5" || v.Year() != 2020 || v.Color() != "" {
		t.Fatalf("state = %+v", v)
	}
}

func TestVehicle_RecordMileage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		given    []es.Event
		km       int64
		source   string
		replaced bool
		want     []es.Event
		fields   []string
	}{
		{
			name: "first reading", given: []es.Event{gol}, km: 1000, source: "service_order",
			want: []es.Event{vehicle.MileageRecorded{CustomerID: maria, Km: 1000, Source: "service_order", ReadAt: t1}},
		},
		{
			name: "higher reading", given: []es.Event{gol, reading}, km: 50000, source: "manual",
			want: []es.Event{vehicle.MileageRecorded{CustomerID: maria, Km: 50000, Source: "manual", ReadAt: t1}},
		},
		{
			name: "same reading", given: []es.Event{gol, reading}, km: 45210, source: "service_order",
			want: []es.Event{vehicle.MileageRecorded{CustomerID: maria, Km: 45210, Source: "service_order", ReadAt: t1}},
		},
		{
			name: "rollback refused", given: []es.Event{gol, reading}, km: 45209, source: "service_order",
			fields: []string{"mileage_km:odometer_rollback"},
		},
		{
			name: "rollback accepted with a replaced odometer", given: []es.Event{gol, reading}, km: 12, source: "manual", replaced: true,
			want: []es.Event{
				vehicle.OdometerReplaced{CustomerID: maria, PreviousKm: 45210, ReplacedAt: t1},
				vehicle.MileageRecorded{CustomerID: maria, Km: 12, Source: "manual", ReadAt: t1},
			},
		},
		{
			name:  "compared with the reading after a replacement",
			given: []es.Event{gol, reading, vehicle.OdometerReplaced{CustomerID: maria, PreviousKm: 45210, ReplacedAt: t0}, vehicle.MileageRecorded{CustomerID: maria, Km: 10, Source: "manual", ReadAt: t0}},
			km:    500, source: "manual",
			want: []es.Event{vehicle.MileageRecorded{CustomerID: maria, Km: 500, Source: "manual", ReadAt: t1}},
		},
		{
			name: "after a transfer, events name the new owner", given: []es.Event{gol, reading, vehicle.Transferred{CustomerID: joao, PreviousCustomerID: maria, Plate: "BRA2E19", TransferredAt: t0}},
			km: 46000, source: "service_order",
			want: []es.Event{vehicle.MileageRecorded{CustomerID: joao, Km: 46000, Source: "service_order", ReadAt: t1}},
		},
		{name: "negative", given: []es.Event{gol, reading}, km: -1, source: "manual", fields: []string{"mileage_km:out_of_range"}},
		{name: "absurd even with replacement", given: []es.Event{gol}, km: 3_000_000, source: "manual", replaced: true, fields: []string{"mileage_km:out_of_range"}},
		{name: "unknown source", given: []es.Event{gol}, km: 1, source: "telemetry", fields: []string{"source:unknown_value"}},
		{name: "missing source and rollback", given: []es.Event{gol, reading}, km: 1, fields: []string{"source:required", "mileage_km:odometer_rollback"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := given(tt.given...)
			err := v.RecordMileage(tt.km, t1, tt.source, tt.replaced)
			if tt.fields != nil {
				requireFieldCodes(t, err, tt.fields)
			} else if err != nil {
				t.Fatalf("RecordMileage: %v", err)
			}
			requireEvents(t, v, tt.want)
		})
	}
}

func TestVehicle_Readings(t *testing.T) {
	t.Parallel()
	v := given(gol)
	if _, ok := v.MileageKm(); ok {
		t.Fatal("mileage without readings")
	}
	steps := []struct {
		km       int64
		at       time.Time
		replaced bool
	}{{45210, t0, false}, {50000, t1, false}, {20, t2, true}}
	for _, s := range steps {
		if err := v.RecordMileage(s.km, s.at, "manual", s.replaced); err != nil {
			t.Fatal(err)
		}
	}
	want := []vehicle.Reading{
		{Km: 45210, At: t0, Source: vehicle.SourceManual},
		{Km: 50000, At: t1, Source: vehicle.SourceManual},
		{Km: 20, At: t2, Source: vehicle.SourceManual, NewOdometer: true},
	}
	loaded := given(append([]es.Event{gol}, v.Recorder().PopEvents()...)...)
	for _, x := range []*vehicle.Vehicle{v, loaded} {
		if got := x.Readings(); !reflect.DeepEqual(got, want) {
			t.Fatalf("readings = %+v", got)
		}
		if km, ok := x.MileageKm(); !ok || km != 20 {
			t.Fatalf("MileageKm = %d, %v", km, ok)
		}
	}
}

func TestVehicle_TransferTo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		to     uuid.UUID
		want   []es.Event
		fields []string
	}{
		{
			name: "to another customer", to: joao,
			want: []es.Event{vehicle.Transferred{CustomerID: joao, PreviousCustomerID: maria, Plate: "BRA2E19", TransferredAt: t1}},
		},
		{name: "to the same owner", to: maria, fields: []string{"customer_id:same_owner"}},
		{name: "to nobody", to: uuid.Nil, fields: []string{"customer_id:required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := given(gol, reading)
			err := v.TransferTo(tt.to, t1)
			if tt.fields != nil {
				requireFieldCodes(t, err, tt.fields)
			} else if err != nil {
				t.Fatalf("TransferTo: %v", err)
			}
			requireEvents(t, v, tt.want)
		})
	}
}

func TestVehicle_TransferTo_keepsHistory(t *testing.T) {
	t.Parallel()
	v := given(gol, reading, vehicle.Transferred{CustomerID: joao, PreviousCustomerID: maria, Plate: "BRA2E19", TransferredAt: t1})
	if v.CustomerID() != joao || v.Plate() != "BRA2E19" || len(v.Readings()) != 1 || v.Make() != "Volkswagen" {
		t.Fatalf("state = %+v", v)
	}
}

func TestVehicle_unregisteredRefusesCommands(t *testing.T) {
	t.Parallel()
	v := given()
	for name, err := range map[string]error{
		"Correct":       v.Correct(vehicle.Patch{Make: ptr("VW")}, t1),
		"RecordMileage": v.RecordMileage(1, t1, "manual", false),
		"TransferTo":    v.TransferTo(joao, t1),
	} {
		if !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("%s: err = %v, want ErrNotFound", name, err)
		}
	}
	requireEvents(t, v, nil)
}

func TestVehicle_Apply_erasedPlaceholder(t *testing.T) {
	t.Parallel()
	const gone = "[removido]"
	v := given(
		vehicle.Registered{CustomerID: maria, Plate: gone, Make: "VW", Model: "Gol", Year: 2019, RegisteredAt: t0},
		vehicle.Corrected{CustomerID: maria, Changed: []string{"plate", "unknown"}, Plate: gone, CorrectedAt: t0},
		vehicle.MileageRecorded{CustomerID: maria, Km: 10, Source: "future_source", ReadAt: t0},
	)
	if v.Plate() != gone {
		t.Fatalf("plate = %q", v.Plate())
	}
	v.Apply(vehicle.Transferred{CustomerID: joao, PreviousCustomerID: maria, Plate: "BRA2E19", TransferredAt: t1})
	if v.Plate() != "BRA2E19" || v.CustomerID() != joao {
		t.Fatalf("after transfer: %q %s", v.Plate(), v.CustomerID())
	}
}

func TestVehicle_EventNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		e    es.Event
		name string
	}{
		{vehicle.Registered{}, "vehicle.registered.v1"},
		{vehicle.Corrected{}, "vehicle.corrected.v1"},
		{vehicle.MileageRecorded{}, "vehicle.mileage_recorded.v1"},
		{vehicle.OdometerReplaced{}, "vehicle.odometer_replaced.v1"},
		{vehicle.Transferred{}, "vehicle.transferred.v1"},
	}
	for _, tt := range tests {
		if got := tt.e.EventName(); got != tt.name {
			t.Errorf("%T.EventName() = %q, want %q", tt.e, got, tt.name)
		}
	}
}
