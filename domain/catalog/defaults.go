package catalog

// The default service codes of the API contract. They are stable
// identifiers: reports compare them across workshops and franchises.
var (
	OilChange          = ServiceCode{s: "oil_change"}
	OilFilter          = ServiceCode{s: "oil_filter"}
	AirFilter          = ServiceCode{s: "air_filter"}
	FuelFilter         = ServiceCode{s: "fuel_filter"}
	CabinFilter        = ServiceCode{s: "cabin_filter"}
	SparkPlugs         = ServiceCode{s: "spark_plugs"}
	BrakePads          = ServiceCode{s: "brake_pads"}
	BrakeFluid         = ServiceCode{s: "brake_fluid"}
	TimingBelt         = ServiceCode{s: "timing_belt"}
	AlignmentBalancing = ServiceCode{s: "alignment_balancing"}
	Tires              = ServiceCode{s: "tires"}
	Battery            = ServiceCode{s: "battery"}
	Suspension         = ServiceCode{s: "suspension"}
	Coolant            = ServiceCode{s: "coolant"}
	ACService          = ServiceCode{s: "ac_service"}
	Inspection         = ServiceCode{s: "inspection"}
	Diagnostics        = ServiceCode{s: "diagnostics"}
	Other              = ServiceCode{s: "other"}
)

// defaults is the default catalogue in display order. Intervals follow the
// usual recommendations of Brazilian manufacturers' manuals for passenger
// cars under normal use; they only seed reminders, so a conservative
// "whichever comes first" value is preferred. Wear items without a fixed
// period (brake pads, suspension) are due by distance only.
var defaults = [...]struct {
	code     ServiceCode
	label    string
	interval Interval
}{
	{OilChange, "Troca de óleo", Interval{km: 10_000, months: 12}},
	{OilFilter, "Filtro de óleo", Interval{km: 10_000, months: 12}},
	{AirFilter, "Filtro de ar", Interval{km: 15_000, months: 12}},
	{FuelFilter, "Filtro de combustível", Interval{km: 20_000, months: 24}},
	{CabinFilter, "Filtro de cabine (ar-condicionado)", Interval{km: 10_000, months: 12}},
	{SparkPlugs, "Velas de ignição", Interval{km: 40_000, months: 36}},
	{BrakePads, "Pastilhas de freio", Interval{km: 30_000}},
	{BrakeFluid, "Fluido de freio", Interval{months: 24}},
	{TimingBelt, "Correia dentada", Interval{km: 50_000, months: 48}},
	{AlignmentBalancing, "Alinhamento e balanceamento", Interval{km: 10_000}},
	{Tires, "Pneus", Interval{km: 50_000, months: 60}},
	{Battery, "Bateria", Interval{months: 36}},
	{Suspension, "Suspensão", Interval{km: 50_000}},
	{Coolant, "Líquido de arrefecimento", Interval{km: 40_000, months: 24}},
	{ACService, "Ar-condicionado", Interval{months: 12}},
	{Inspection, "Revisão / inspeção", Interval{km: 10_000, months: 12}},
	{Diagnostics, "Diagnóstico", Interval{}},
	{Other, "Outro", Interval{}},
}

// defaultIndex answers "is this a default code?" for WithCustom.
var defaultIndex = func() map[ServiceCode]struct{} {
	m := make(map[ServiceCode]struct{}, len(defaults))
	for _, d := range defaults {
		m[d.code] = struct{}{}
	}
	return m
}()
