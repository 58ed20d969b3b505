package httpapi

import (
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/vehicles"
)

type vehicleJSON struct {
	ID           uuid.UUID `json:"id"`
	CustomerID   uuid.UUID `json:"customer_id"`
	Plate        *string   `json:"plate"`
	Make         string    `json:"make"`
	Model        string    `json:"model"`
	Year         int       `json:"year"`
	Color        *string   `json:"color"`
	MileageKm    *int64    `json:"mileage_km"`
	RegisteredAt time.Time `json:"created_at"`
	Version      int64     `json:"version"`
}

func toVehicleJSON(v vehicles.Vehicle) vehicleJSON {
	return vehicleJSON{ID: v.ID, CustomerID: v.CustomerID, Plate: opt(v.Plate), Make: v.Make, Model: v.Model, Year: v.Year,
		Color: opt(v.Color), MileageKm: v.MileageKm, RegisteredAt: v.RegisteredAt.UTC(), Version: v.Version}
}

type readingJSON struct {
	MileageKm   int64     `json:"mileage_km"`
	ReadAt      time.Time `json:"read_at"`
	Source      string    `json:"source"`
	NewOdometer bool      `json:"new_odometer"`
}

func toReadingsJSON(rs []vehicles.OdometerReading) []readingJSON {
	out := []readingJSON{}
	for _, r := range rs {
		out = append(out, readingJSON{MileageKm: r.Km, ReadAt: r.ReadAt.UTC(), Source: r.Source, NewOdometer: r.NewOdometer})
	}
	return out
}
