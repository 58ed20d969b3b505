package es

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
)

// Upcaster turns a stored payload (a JSON object) of one schema into the
// next schema of the same event type. It must produce the complete shape of
// the next schema and nothing else, because the payload is then decoded as if
// it had been stored that way.
type Upcaster func(payload []byte) ([]byte, error)

// DeriveField is the Upcaster that adds field to a payload, computed by
// derive from the payload's string field from (e.g. a data subject derived
// from an identity id) and leaves everything else as it was.
func DeriveField(field, from string, derive func(string) any) Upcaster {
	return func(p []byte) ([]byte, error) {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(p, &m); err != nil {
			return nil, err
		}
		var v string
		if err := json.Unmarshal(m[from], &v); err != nil {
			return nil, fmt.Errorf("%s: %w", from, err)
		}
		b, err := json.Marshal(derive(v))
		if err != nil {
			return nil, err
		}
		m[field] = b
		return json.Marshal(m)
	}
}

// EventSpec declares one event type of a domain package: the type itself,
// the personal data it carries and how older stored shapes of it are read.
type EventSpec struct {
	// Event is a zero value of the event type; its EventName is the type
	// under which the event is stored.
	Event Event
	// Subject is the top-level field naming the data subject (e.g.
	// "CustomerID") whose personal data the Personal fields are, so that
	// they are encrypted under that person's key. Empty means the stream id
	// names the subject. Only meaningful with Personal fields.
	Subject string
	// Personal lists the fields holding personal data of Subject: top-level
	// fields ("Note"), or paths into objects and arrays ("Item.Description",
	// "Items[].Description": "[]" means every element).
	Personal []string
	// SealedFrom names the Personal fields that earlier schemas stored in the
	// clear, with the first schema that stores them sealed. Payloads of older
	// schemas are opened without them, so events stored before a field was
	// marked personal still load; marking a field later therefore comes with
	// an upcaster (a schema bump), usually the identity.
	SealedFrom map[string]int
	// Upcasters read older stored shapes: Upcasters[i] turns schema i+1 into
	// schema i+2. The current schema is therefore len(Upcasters)+1; adding an
	// upcaster is what bumps the schema.
	Upcasters []Upcaster
}

// Name is the stored type name of the event (its EventName).
func (s EventSpec) Name() string { return s.Event.EventName() }

// Schema is the current schema version of the event's stored payload.
func (s EventSpec) Schema() int { return len(s.Upcasters) + 1 }

// Catalogue lists every event type of one domain package. It is the single
// place an event type is declared: codec registration, personal-field
// encryption and the projections' handled types all derive from it.
type Catalogue []EventSpec

// Names returns the stored type names of the catalogue, in its order.
func (c Catalogue) Names() []string {
	out := make([]string, len(c))
	for i, s := range c {
		out[i] = s.Name()
	}
	return out
}

// Names returns the stored type names of several catalogues, in order; a
// projection applying every event of some packages returns it from Handles.
func Names(cs ...Catalogue) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Names()...)
	}
	return out
}

// NamesOf returns the stored type names of the given events, for a
// projection that handles only some events of a package.
func NamesOf(events ...Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.EventName()
	}
	return out
}

// eventNamePattern is "<stream>.<fact>.v<N>", lower-case snake case.
var eventNamePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.v[1-9][0-9]*$`)

// Validate checks the catalogue: well-formed unique names, and Subject and
// Personal naming top-level JSON fields of the event type, which the
// encryption relies on. Registration refuses an invalid catalogue.
func (c Catalogue) Validate() error {
	var problems []error
	seen := map[string]bool{}
	for i, s := range c {
		if s.Event == nil {
			problems = append(problems, fmt.Errorf("entry %d has no Event", i))
			continue
		}
		name := s.Name()
		if !eventNamePattern.MatchString(name) {
			problems = append(problems, fmt.Errorf("%s: name is not <stream>.<fact>.v<N>", name))
		}
		if seen[name] {
			problems = append(problems, fmt.Errorf("%s: listed twice", name))
		}
		seen[name] = true
		for j, up := range s.Upcasters {
			if up == nil {
				problems = append(problems, fmt.Errorf("%s: upcaster from schema %d is nil", name, j+1))
			}
		}
		if s.Subject != "" && len(s.Personal) == 0 {
			problems = append(problems, fmt.Errorf("%s: Subject %s without Personal fields", name, s.Subject))
		}
		fields, ok := jsonFields(reflect.TypeOf(s.Event))
		if !ok {
			if len(s.Personal) > 0 {
				problems = append(problems, fmt.Errorf("%s: personal fields need a struct event", name))
			}
			continue
		}
		if s.Subject != "" && !fields[s.Subject] {
			problems = append(problems, fmt.Errorf("%s: subject %s is not a field of %T", name, s.Subject, s.Event))
		}
		for _, f := range s.Personal {
			if !fields[topField(f)] {
				problems = append(problems, fmt.Errorf("%s: personal %s is not a field of %T", name, f, s.Event))
			}
		}
		for f, from := range s.SealedFrom {
			if !slices.Contains(s.Personal, f) {
				problems = append(problems, fmt.Errorf("%s: SealedFrom names %s, which is not Personal", name, f))
			}
			if from < 2 || from > s.Schema() {
				problems = append(problems, fmt.Errorf("%s: %s sealed from schema %d, outside 2..%d", name, f, from, s.Schema()))
			}
		}
	}
	if err := errors.Join(problems...); err != nil {
		return fmt.Errorf("event catalogue: %w", err)
	}
	return nil
}

// PersonalAt returns the Personal fields that payloads stored at the given
// schema hold sealed (every one but those SealedFrom a later schema).
func (s EventSpec) PersonalAt(schema int) []string {
	var out []string
	for _, f := range s.Personal {
		if from, ok := s.SealedFrom[f]; !ok || schema >= from {
			out = append(out, f)
		}
	}
	return out
}

// topField is the top-level field a personal path starts with.
func topField(path string) string {
	if i := strings.IndexAny(path, ".["); i >= 0 {
		return path[:i]
	}
	return path
}

// jsonFields returns the top-level JSON keys encoding/json writes for a
// struct type t: exported fields, under their json tag name when they have one.
// Events hold primitive fields without tags or embedding; embedded structs are
// followed anyway so that a future one does not hide its fields.
func jsonFields(t reflect.Type) (map[string]bool, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil, false
	}
	out := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case tag == "-":
		case f.Anonymous && tag == "":
			if inner, ok := jsonFields(f.Type); ok {
				for k := range inner {
					out[k] = true
				}
			}
		case !f.IsExported():
		case tag != "":
			out[tag] = true
		default:
			out[f.Name] = true
		}
	}
	return out, true
}
