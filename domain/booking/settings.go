package booking

import (
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/es"
)

// SettingsStreamType names the booking-settings stream of a workshop.
const SettingsStreamType = "booking_settings"

// Defaults of a workshop that never saved its settings.
const (
	DefaultBays           = 1
	DefaultSlotMinutes    = 30
	DefaultServiceMinutes = 60 // a catalogue service without its own duration
)

// Limits of the settings.
const (
	MaxBays           = 50
	MinSlotMinutes    = 5
	MaxSlotMinutes    = 240
	MaxServiceMinutes = 12 * 60
)

// Field names (the API's).
const (
	FieldBays           = "bays"
	FieldSlotMinutes    = "slot_minutes"
	FieldServiceMinutes = "service_minutes"
)

var settingsNamespace = uuid.MustParse("6f1c2d8e-5b8a-4c59-9a53-2f4f0d7b0b11")

// SettingsStreamID is the id of workshop's settings stream.
func SettingsStreamID(workshop uuid.UUID) uuid.UUID {
	return uuid.NewSHA1(settingsNamespace, append(workshop[:], []byte("settings")...))
}

// SettingsData are the booking settings as values.
type SettingsData struct {
	Bays           int
	SlotMinutes    int
	ServiceMinutes map[string]int
}

// DefaultSettings are the settings of a workshop that never saved any.
func DefaultSettings() SettingsData {
	return SettingsData{Bays: DefaultBays, SlotMinutes: DefaultSlotMinutes, ServiceMinutes: map[string]int{}}
}

// Minutes returns how long service takes (DefaultServiceMinutes when the
// workshop set no duration).
func (s SettingsData) Minutes(service string) int {
	if m, ok := s.ServiceMinutes[service]; ok {
		return m
	}
	return DefaultServiceMinutes
}

// Duration is the time booked for services: the sum of their minutes
// rounded up to whole slots (at least one slot).
func (s SettingsData) Duration(services []string) time.Duration {
	total := 0
	for _, sv := range services {
		total += s.Minutes(sv)
	}
	slot := s.SlotMinutes
	if slot <= 0 {
		slot = DefaultSlotMinutes
	}
	slots := (total + slot - 1) / slot
	if slots < 1 {
		slots = 1
	}
	return time.Duration(slots*slot) * time.Minute
}

// ServiceCatalog tells whether a service code exists in the workshop's
// catalogue.
type ServiceCatalog interface {
	Has(code string) bool
}

// Settings is the aggregate of a workshop's booking settings.
type Settings struct {
	rec  es.Recorder
	id   uuid.UUID
	data SettingsData
	set  bool
}

// BlankSettings returns settings ready to have events applied; until then
// they hold the defaults.
func BlankSettings(id uuid.UUID) *Settings {
	s := &Settings{id: id, data: DefaultSettings()}
	s.rec = es.NewRecorder(s.Apply)
	return s
}

// Change validates in and records it. Unknown services (not in services)
// and out-of-range numbers are reported per field.
func (s *Settings) Change(in SettingsData, services ServiceCatalog, now time.Time) error {
	var c errs.Collector
	if in.Bays < 1 || in.Bays > MaxBays {
		c.Add(FieldBays, br.CodeOutOfRange, fmt.Sprintf("bays must be 1 to %d", MaxBays))
	}
	if in.SlotMinutes < MinSlotMinutes || in.SlotMinutes > MaxSlotMinutes || in.SlotMinutes%5 != 0 {
		c.Add(FieldSlotMinutes, br.CodeOutOfRange, fmt.Sprintf("slot_minutes must be a multiple of 5 from %d to %d", MinSlotMinutes, MaxSlotMinutes))
	}
	codes := make([]string, 0, len(in.ServiceMinutes))
	for code := range in.ServiceMinutes {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	durations := make([]ServiceDuration, 0, len(codes))
	for _, code := range codes {
		m := in.ServiceMinutes[code]
		field := FieldServiceMinutes + "." + code
		switch {
		case services == nil || !services.Has(code):
			c.Add(field, br.CodeUnknownValue, "not a service of this workshop's catalogue")
		case m < 1 || m > MaxServiceMinutes:
			c.Add(field, br.CodeOutOfRange, fmt.Sprintf("minutes must be 1 to %d", MaxServiceMinutes))
		default:
			durations = append(durations, ServiceDuration{Service: code, Minutes: m})
		}
	}
	if err := c.Err(); err != nil {
		return err
	}
	s.rec.Record(SettingsChanged{Bays: in.Bays, SlotMinutes: in.SlotMinutes, ServiceMinutes: durations, ChangedAt: now.UTC()})
	return nil
}

// Apply implements es.Aggregate.
func (s *Settings) Apply(e es.Event) {
	if e, ok := e.(SettingsChanged); ok {
		m := make(map[string]int, len(e.ServiceMinutes))
		for _, d := range e.ServiceMinutes {
			m[d.Service] = d.Minutes
		}
		s.data = SettingsData{Bays: e.Bays, SlotMinutes: e.SlotMinutes, ServiceMinutes: m}
		s.set = true
	}
}

// Recorder implements es.Aggregate.
func (s *Settings) Recorder() *es.Recorder { return &s.rec }

// Data returns the settings (the defaults until saved once).
func (s *Settings) Data() SettingsData {
	out := s.data
	out.ServiceMinutes = make(map[string]int, len(s.data.ServiceMinutes))
	for k, v := range s.data.ServiceMinutes {
		out.ServiceMinutes[k] = v
	}
	return out
}
