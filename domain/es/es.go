// Package es holds the few event-sourcing types the domain needs: the Event
// contract and a Recorder that aggregates embed to collect new events.
// It deliberately has no storage concerns; those live in infrastructure.
package es

// Event is a domain fact. EventName is the stable, versioned name under which
// the event is stored (e.g. "customer.registered.v1"); it never derives from the
// Go type name, so renaming a type is not a data migration.
type Event interface {
	EventName() string
}

// Aggregate is what the generic repository needs from an event-sourced
// aggregate: apply a stored event to rebuild state, and hand over the events a
// command recorded.
type Aggregate interface {
	// Apply mutates state from a fact; it must not validate or fail, because the
	// fact already happened.
	Apply(Event)
	// Recorder exposes the aggregate's event recorder.
	Recorder() *Recorder
}

// Recorder collects the events recorded by commands and tracks the version of
// the aggregate as loaded from the store.
type Recorder struct {
	version int64
	pending []Event
	apply   func(Event)
}

// NewRecorder binds a recorder to the aggregate's apply function so Record
// both applies and remembers the event.
func NewRecorder(apply func(Event)) Recorder {
	return Recorder{apply: apply}
}

// Record applies e to the aggregate and keeps it for saving.
func (r *Recorder) Record(e Event) {
	if r.apply != nil {
		r.apply(e)
	}
	r.pending = append(r.pending, e)
}

// PopEvents returns the events recorded since the last call and forgets them.
func (r *Recorder) PopEvents() []Event {
	out := r.pending
	r.pending = nil
	return out
}

// Pending returns the recorded events without forgetting them.
func (r *Recorder) Pending() []Event { return r.pending }

// Version is the version of the last stored event applied (0 for a new aggregate).
func (r *Recorder) Version() int64 { return r.version }

// Replayed marks that a stored event with the given version was applied.
func (r *Recorder) Replayed(version int64) { r.version = version }
