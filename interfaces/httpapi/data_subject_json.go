package httpapi

import (
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/datasubject"
)

type consentJSON struct {
	Purpose string    `json:"purpose"`
	Channel string    `json:"channel"`
	Granted bool      `json:"granted"`
	Source  string    `json:"source"`
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
}

func toConsentsJSON(cs []datasubject.Consent) []consentJSON {
	out := []consentJSON{}
	for _, c := range cs {
		out = append(out, consentJSON{Purpose: c.Purpose, Channel: c.Channel, Granted: c.Granted, Source: c.Source,
			At: c.At.UTC(), Actor: c.Actor})
	}
	return out
}

type exportJSON struct {
	GeneratedAt   time.Time          `json:"generated_at"`
	Customer      customerJSON       `json:"customer"`
	Vehicles      []exportVehicle    `json:"vehicles"`
	ServiceOrders []serviceOrderJSON `json:"service_orders"`
	Notes         []noteJSON         `json:"notes"`
	Consents      []consentJSON      `json:"consents"`
	Messages      []messageJSON      `json:"messages"`
}

type exportVehicle struct {
	vehicleJSON
	Readings []readingJSON `json:"odometer_readings"`
}

type messageJSON struct {
	ID       uuid.UUID `json:"id"`
	Channel  string    `json:"channel"`
	Template string    `json:"template"`
	SentAt   time.Time `json:"sent_at"`
	Status   string    `json:"status"`
}
