package br

// maxOdometerKm bounds readings: even long-haul trucks rarely pass 2 million
// km, so anything above is a typo (an extra digit, metres instead of km)
// that would otherwise poison maintenance-interval calculations.
const maxOdometerKm = 2_000_000

// Odometer is a vehicle odometer reading in whole kilometres, between 0 and
// 2,000,000 inclusive. The zero value is a valid reading of 0 km.
type Odometer struct {
	km int64
}

// NewOdometerKm returns a reading of km kilometres; values outside
// 0..2,000,000 are out_of_range (field "mileage_km").
func NewOdometerKm(km int64) (Odometer, error) {
	if km < 0 || km > maxOdometerKm {
		return Odometer{}, newError(fieldMileageKm, CodeOutOfRange, "mileage must be between 0 and 2,000,000 km")
	}
	return Odometer{km: km}, nil
}

// Km returns the reading in kilometres.
func (o Odometer) Km() int64 { return o.km }

// Before reports whether o is a strictly lower reading than other. Service
// orders use it to detect a mileage going backwards (typo or tampering).
func (o Odometer) Before(other Odometer) bool { return o.km < other.km }
