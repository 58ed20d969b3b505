// Package eventcodec turns domain events into stored payloads and back: a
// registry of event types by their stable names, upcasters from old schema
// versions, and a hook where personal-field encryption plugs in.
package eventcodec

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/es"
)

// Upcaster turns a payload of schema From into schema From+1.
type Upcaster func(payload json.RawMessage) (json.RawMessage, error)

// PayloadContext tells a payload hook which record a payload belongs to, so
// encryption can bind ciphertexts to tenant, subject and field.
type PayloadContext struct {
	Tenant    string
	StreamID  string
	EventType string
	// Personal lists the JSON fields (top-level, or paths such as
	// "Items[].Description") the event type marks personal and the payload
	// holds sealed: for a stored payload, those of its schema.
	Personal []string
	// Subject returns the data subject (e.g. the customer id) of the payload,
	// or "" when the payload carries no personal data of anyone.
	Subject string
}

// PayloadHook transforms encoded payloads before storage and after load.
// The default is the identity; the privacy adapter replaces it.
type PayloadHook interface {
	// Seal runs before storage on a payload encoded at the current schema.
	Seal(ctx context.Context, pc PayloadContext, payload []byte) ([]byte, error)
	// Open runs after load, before upcasting.
	Open(ctx context.Context, pc PayloadContext, payload []byte) ([]byte, error)
}

type identityHook struct{}

func (identityHook) Seal(_ context.Context, _ PayloadContext, p []byte) ([]byte, error) {
	return p, nil
}
func (identityHook) Open(_ context.Context, _ PayloadContext, p []byte) ([]byte, error) {
	return p, nil
}

type entry struct {
	schema      int
	decode      func(json.RawMessage) (es.Event, error)
	personal    []string
	subjectJSON string
	// sealedFrom: personal fields older schemas stored in the clear, with
	// the first schema that seals them (es.EventSpec.SealedFrom).
	sealedFrom map[string]int
}

// personalAt lists the personal fields sealed in payloads of schema.
func (e *entry) personalAt(schema int) []string {
	if len(e.sealedFrom) == 0 {
		return e.personal
	}
	var out []string
	for _, f := range e.personal {
		if from, ok := e.sealedFrom[f]; !ok || schema >= from {
			out = append(out, f)
		}
	}
	return out
}

// Codec knows every event type the system may load.
type Codec struct {
	types     map[string]*entry
	upcasters map[string]map[int]Upcaster
	hook      PayloadHook
}

// New returns an empty codec with the identity payload hook.
func New() *Codec {
	return &Codec{types: map[string]*entry{}, upcasters: map[string]map[int]Upcaster{}, hook: identityHook{}}
}

// SetPayloadHook installs the hook (e.g. field encryption).
func (r *Codec) SetPayloadHook(h PayloadHook) { r.hook = h }

// Option configures a registered event type.
type Option func(*entry)

// Schema sets the current schema version of the type (default 1).
func Schema(v int) Option { return func(e *entry) { e.schema = v } }

// Personal marks top-level payload fields that hold personal data of the
// subject named by the JSON field subjectField (e.g. "CustomerID").
func Personal(subjectField string, fields ...string) Option {
	return func(e *entry) { e.subjectJSON = subjectField; e.personal = append(e.personal, fields...) }
}

// SealedFrom marks personal fields that payloads of schemas before the given
// one stored in the clear: they are opened only in newer payloads.
func SealedFrom(fields map[string]int) Option {
	return func(e *entry) { e.sealedFrom = fields }
}

// Register adds event type E under E's EventName. Registering the same name
// twice is a programming error and panics at start-up. Domain events are
// registered through their package's catalogue (RegisterCatalogues); Register
// is for event types that have none, such as test fixtures.
func Register[E es.Event](r *Codec, opts ...Option) {
	var zero E
	r.register(zero.EventName(), func(b json.RawMessage) (es.Event, error) {
		var ev E
		if err := json.Unmarshal(b, &ev); err != nil {
			return nil, err
		}
		return ev, nil
	}, opts...)
}

// RegisterCatalogues adds every event type of the catalogues, with the
// personal fields, data subject and upcasters each spec declares. An invalid
// catalogue or a name registered twice panics at start-up.
func RegisterCatalogues(r *Codec, catalogues ...es.Catalogue) {
	for _, c := range catalogues {
		if err := c.Validate(); err != nil {
			panic("eventcodec: " + err.Error())
		}
		for _, spec := range c {
			registerSpec(r, spec)
		}
	}
}

func registerSpec(r *Codec, spec es.EventSpec) {
	name := spec.Name()
	opts := []Option{Schema(spec.Schema())}
	if len(spec.Personal) > 0 {
		opts = append(opts, Personal(spec.Subject, spec.Personal...), SealedFrom(spec.SealedFrom))
	}
	// Decoded events have the prototype's dynamic type, exactly as Register[E]
	// would give them, so Apply's type switches see no difference.
	t := reflect.TypeOf(spec.Event)
	r.register(name, func(b json.RawMessage) (es.Event, error) {
		v := reflect.New(t)
		if err := json.Unmarshal(b, v.Interface()); err != nil {
			return nil, err
		}
		return v.Elem().Interface().(es.Event), nil
	}, opts...)
	for i, up := range spec.Upcasters {
		r.RegisterUpcaster(name, i+1, func(p json.RawMessage) (json.RawMessage, error) { return up(p) })
	}
}

func (r *Codec) register(name string, decode func(json.RawMessage) (es.Event, error), opts ...Option) {
	if _, dup := r.types[name]; dup {
		panic("eventcodec: event type registered twice: " + name)
	}
	e := &entry{schema: 1, decode: decode}
	for _, o := range opts {
		o(e)
	}
	sort.Strings(e.personal)
	r.types[name] = e
}

// RegisterUpcaster adds the step from schema `from` to `from+1` of eventType.
func (r *Codec) RegisterUpcaster(eventType string, from int, up Upcaster) {
	if r.upcasters[eventType] == nil {
		r.upcasters[eventType] = map[int]Upcaster{}
	}
	r.upcasters[eventType][from] = up
}

// Known reports whether the type is registered.
func (r *Codec) Known(eventType string) bool { _, ok := r.types[eventType]; return ok }

// Types lists the registered event types, sorted.
func (r *Codec) Types() []string {
	out := make([]string, 0, len(r.types))
	for name := range r.types {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Encoded is a payload ready for storage.
type Encoded struct {
	Type    string
	Schema  int
	Payload json.RawMessage
}

// Encode marshals e at its current schema and seals personal fields.
func (r *Codec) Encode(ctx context.Context, tenantID, streamID string, e es.Event) (Encoded, error) {
	name := e.EventName()
	ent, ok := r.types[name]
	if !ok {
		return Encoded{}, &eventsourcing.UnknownEventTypeError{Type: name}
	}
	raw, err := json.Marshal(e)
	if err != nil {
		return Encoded{}, fmt.Errorf("encode %s: %w", name, err)
	}
	pc, err := r.payloadContext(ent, tenantID, streamID, name, raw, ent.personal)
	if err != nil {
		return Encoded{}, err
	}
	sealed, err := r.hook.Seal(ctx, pc, raw)
	if err != nil {
		return Encoded{}, fmt.Errorf("seal %s: %w", name, err)
	}
	return Encoded{Type: name, Schema: ent.schema, Payload: sealed}, nil
}

// Decode opens, upcasts and unmarshals a stored payload.
func (r *Codec) Decode(ctx context.Context, tenantID, streamID, eventType string, schema int, payload []byte) (es.Event, error) {
	ent, ok := r.types[eventType]
	if !ok {
		return nil, &eventsourcing.UnknownEventTypeError{Type: eventType}
	}
	pc, err := r.payloadContext(ent, tenantID, streamID, eventType, payload, ent.personalAt(schema))
	if err != nil {
		return nil, err
	}
	opened, err := r.hook.Open(ctx, pc, payload)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", eventType, err)
	}
	cur := json.RawMessage(opened)
	for s := schema; s < ent.schema; s++ {
		up, ok := r.upcasters[eventType][s]
		if !ok {
			return nil, fmt.Errorf("decode %s: no upcaster from schema %d", eventType, s)
		}
		if cur, err = up(cur); err != nil {
			return nil, fmt.Errorf("upcast %s from schema %d: %w", eventType, s, err)
		}
	}
	if schema > ent.schema {
		return nil, fmt.Errorf("decode %s: stored schema %d is newer than this binary's %d", eventType, schema, ent.schema)
	}
	ev, err := ent.decode(cur)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", eventType, err)
	}
	return ev, nil
}

func (r *Codec) payloadContext(ent *entry, tenantID, streamID, name string, raw []byte, personal []string) (PayloadContext, error) {
	pc := PayloadContext{Tenant: tenantID, StreamID: streamID, EventType: name, Personal: personal}
	if len(personal) == 0 {
		return pc, nil
	}
	pc.Subject = streamID
	if ent.subjectJSON != "" {
		subject, found, err := stringField(raw, ent.subjectJSON)
		switch {
		case errors.Is(err, errNotString):
			return pc, fmt.Errorf("%s: subject field %s: %w", name, ent.subjectJSON, err)
		case err != nil:
			return pc, fmt.Errorf("%s: payload is not an object: %w", name, err)
		case found:
			pc.Subject = subject
		}
	}
	return pc, nil
}
