package eventcodec_test

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/torquehq/torque/application/eventsourcing"
	"github.com/torquehq/torque/domain/es"
	"github.com/torquehq/torque/infrastructure/eventcodec"
)

const (
	tenantID  = "0190d9a0-0000-7000-8000-000000000001"
	streamID  = "0190d9a0-0000-7000-8000-0000000000aa"
	subjectID = "0190d9a0-0000-7000-8000-0000000000bb"
)

// bayOpened has gone through three shapes: schema 1 {"Label"}, schema 2
// {"Name"} (renamed), schema 3 {"Name", "Bays"} (added, 1 for old events).
type bayOpened struct {
	Name string
	Bays int
}

func (bayOpened) EventName() string { return "bay.opened.v1" }

// noteTaken carries personal data of OwnerID in Text and Phone only.
type noteTaken struct {
	OwnerID string
	Text    string
	Phone   string
	Topic   string
}

func (noteTaken) EventName() string { return "bay.note_taken.v1" }

type bayClosed struct{ Reason string }

func (bayClosed) EventName() string { return "bay.closed.v1" }

func editJSON(edit func(m map[string]any)) es.Upcaster {
	return func(p []byte) ([]byte, error) {
		var m map[string]any
		if err := json.Unmarshal(p, &m); err != nil {
			return nil, err
		}
		edit(m)
		return json.Marshal(m)
	}
}

var (
	renameLabel = editJSON(func(m map[string]any) { m["Name"] = m["Label"]; delete(m, "Label") })
	defaultBays = editJSON(func(m map[string]any) { m["Bays"] = 1 })
	catalogue   = es.Catalogue{
		{Event: bayOpened{}, Upcasters: []es.Upcaster{renameLabel, defaultBays}},
		{Event: noteTaken{}, Subject: "OwnerID", Personal: []string{"Text", "Phone"}},
		{Event: bayClosed{}},
	}
)

func decode(t *testing.T, r *eventcodec.Codec, eventType string, schema int, payload string) (es.Event, error) {
	t.Helper()
	return r.Decode(context.Background(), tenantID, streamID, eventType, schema, []byte(payload))
}

func TestCodec_UpcastsOldSchemaOnDecode(t *testing.T) {
	t.Parallel()
	r := eventcodec.New()
	eventcodec.RegisterCatalogues(r, catalogue)

	cases := map[int]string{
		1: `{"Label":"Box 3"}`,         // both upcasters run, in order
		2: `{"Name":"Box 3"}`,          // only 2→3 runs
		3: `{"Name":"Box 3","Bays":1}`, // current: decoded as stored
	}
	for schema, payload := range cases {
		got, err := decode(t, r, "bay.opened.v1", schema, payload)
		if err != nil {
			t.Fatalf("schema %d: %v", schema, err)
		}
		if want := (bayOpened{Name: "Box 3", Bays: 1}); got != want {
			t.Errorf("schema %d decoded as %#v, want %#v", schema, got, want)
		}
	}

	enc, err := r.Encode(context.Background(), tenantID, streamID, bayOpened{Name: "Box 4", Bays: 2})
	if err != nil {
		t.Fatal(err)
	}
	if enc.Schema != 3 || enc.Type != "bay.opened.v1" || string(enc.Payload) != `{"Name":"Box 4","Bays":2}` {
		t.Fatalf("encoded %+v (%s), want schema 3 of the current shape", enc, enc.Payload)
	}
}

func TestCodec_ChainsUpcastersRegisteredOneByOne(t *testing.T) {
	t.Parallel()
	r := eventcodec.New()
	eventcodec.Register[bayOpened](r, eventcodec.Schema(3))
	var steps []int
	r.RegisterUpcaster("bay.opened.v1", 2, func(p json.RawMessage) (json.RawMessage, error) {
		steps = append(steps, 2)
		return defaultBays(p)
	})
	r.RegisterUpcaster("bay.opened.v1", 1, func(p json.RawMessage) (json.RawMessage, error) {
		steps = append(steps, 1)
		return renameLabel(p)
	})
	got, err := decode(t, r, "bay.opened.v1", 1, `{"Label":"Box 9"}`)
	if err != nil {
		t.Fatal(err)
	}
	if got != (bayOpened{Name: "Box 9", Bays: 1}) || !slices.Equal(steps, []int{1, 2}) {
		t.Fatalf("decoded %#v through steps %v, want 1 then 2", got, steps)
	}
}

func TestCodec_DecodeFailsWithoutAPathToTheCurrentSchema(t *testing.T) {
	t.Parallel()
	r := eventcodec.New()
	eventcodec.Register[bayOpened](r, eventcodec.Schema(3))
	r.RegisterUpcaster("bay.opened.v1", 2, func(p json.RawMessage) (json.RawMessage, error) { return p, nil })

	if _, err := decode(t, r, "bay.opened.v1", 1, `{"Label":"x"}`); err == nil || !strings.Contains(err.Error(), "no upcaster from schema 1") {
		t.Errorf("missing step: err = %v", err)
	}
	if _, err := decode(t, r, "bay.opened.v1", 4, `{"Name":"x"}`); err == nil || !strings.Contains(err.Error(), "newer than this binary's 3") {
		t.Errorf("newer schema: err = %v", err)
	}
	failing := eventcodec.New()
	eventcodec.RegisterCatalogues(failing, es.Catalogue{{Event: bayOpened{}, Upcasters: []es.Upcaster{
		func([]byte) ([]byte, error) { return nil, errors.New("corrupt label") },
	}}})
	if _, err := decode(t, failing, "bay.opened.v1", 1, `{"Label":"x"}`); err == nil || !strings.Contains(err.Error(), "upcast bay.opened.v1 from schema 1: corrupt label") {
		t.Errorf("failing upcaster: err = %v", err)
	}
}

func TestCodec_UnknownTypeErrorNamesTheType(t *testing.T) {
	t.Parallel()
	r := eventcodec.New()
	eventcodec.RegisterCatalogues(r, catalogue)
	_, err := decode(t, r, "bay.vanished.v1", 1, `{}`)
	var unknown *eventsourcing.UnknownEventTypeError
	if !errors.As(err, &unknown) || unknown.Type != "bay.vanished.v1" || !strings.Contains(err.Error(), "bay.vanished.v1") {
		t.Fatalf("decode of an unknown type: err = %v", err)
	}
	narrow := eventcodec.New()
	_, err = narrow.Encode(context.Background(), tenantID, streamID, bayClosed{})
	if !errors.As(err, &unknown) || unknown.Type != "bay.closed.v1" {
		t.Fatalf("encode of an unknown type: err = %v", err)
	}
	if r.Known("bay.vanished.v1") || !r.Known("bay.closed.v1") {
		t.Fatal("Known disagrees with the registered types")
	}
	if got := r.Types(); !slices.Equal(got, []string{"bay.closed.v1", "bay.note_taken.v1", "bay.opened.v1"}) {
		t.Fatalf("Types = %v", got)
	}
}

// markingHook seals by prefixing exactly the fields the context declares
// personal, and records the contexts it was given.
type markingHook struct{ seen []eventcodec.PayloadContext }

func (h *markingHook) transform(pc eventcodec.PayloadContext, payload []byte, f func(string) string) ([]byte, error) {
	h.seen = append(h.seen, pc)
	if len(pc.Personal) == 0 {
		return payload, nil
	}
	var m map[string]any
	if err := json.Unmarshal(payload, &m); err != nil {
		return nil, err
	}
	for _, field := range pc.Personal {
		if s, ok := m[field].(string); ok {
			m[field] = f(s)
		}
	}
	return json.Marshal(m)
}

func (h *markingHook) Seal(_ context.Context, pc eventcodec.PayloadContext, p []byte) ([]byte, error) {
	return h.transform(pc, p, func(s string) string { return "sealed(" + pc.Subject + "):" + s })
}

func (h *markingHook) Open(_ context.Context, pc eventcodec.PayloadContext, p []byte) ([]byte, error) {
	return h.transform(pc, p, func(s string) string { return strings.TrimPrefix(s, "sealed("+pc.Subject+"):") })
}

func TestCodec_PersonalFieldHookSeesDeclaredFieldsOnly(t *testing.T) {
	t.Parallel()
	r := eventcodec.New()
	eventcodec.RegisterCatalogues(r, catalogue)
	hook := &markingHook{}
	r.SetPayloadHook(hook)
	ctx := context.Background()

	note := noteTaken{OwnerID: subjectID, Text: "prefers mornings", Phone: "+5511999990000", Topic: "visit"}
	enc, err := r.Encode(ctx, tenantID, streamID, note)
	if err != nil {
		t.Fatal(err)
	}
	var stored map[string]string
	if err := json.Unmarshal(enc.Payload, &stored); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"OwnerID": subjectID, "Topic": "visit",
		"Text": "sealed(" + subjectID + "):prefers mornings", "Phone": "sealed(" + subjectID + "):+5511999990000",
	}
	if !maps.Equal(stored, want) {
		t.Fatalf("stored %v, want only Text and Phone sealed for the subject: %v", stored, want)
	}
	got, err := r.Decode(ctx, tenantID, streamID, enc.Type, enc.Schema, enc.Payload)
	if err != nil || got != note {
		t.Fatalf("decoded %#v, %v; want %#v", got, err, note)
	}

	// A type without personal fields reaches the hook with none and no subject.
	if _, err := r.Encode(ctx, tenantID, streamID, bayClosed{Reason: "done"}); err != nil {
		t.Fatal(err)
	}
	last := hook.seen[len(hook.seen)-1]
	if len(last.Personal) != 0 || last.Subject != "" || last.EventType != "bay.closed.v1" || last.Tenant != tenantID || last.StreamID != streamID {
		t.Fatalf("context for an event without personal fields: %+v", last)
	}
	for _, pc := range hook.seen[:2] {
		if !slices.Equal(pc.Personal, []string{"Phone", "Text"}) || pc.Subject != subjectID {
			t.Fatalf("context for noteTaken: %+v", pc)
		}
	}
}

func TestCodec_PersonalFieldsWithoutSubjectFieldBelongToTheStream(t *testing.T) {
	t.Parallel()
	r := eventcodec.New()
	eventcodec.RegisterCatalogues(r, es.Catalogue{{Event: noteTaken{}, Personal: []string{"Text"}}})
	hook := &markingHook{}
	r.SetPayloadHook(hook)
	enc, err := r.Encode(context.Background(), tenantID, streamID, noteTaken{OwnerID: subjectID, Text: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if hook.seen[0].Subject != streamID || !strings.Contains(string(enc.Payload), `"sealed(`+streamID+`):x"`) {
		t.Fatalf("subject %q, payload %s; want the stream id as subject", hook.seen[0].Subject, enc.Payload)
	}
}

func TestRegisterCatalogues_DecodesToTheSameTypeAsRegister(t *testing.T) {
	t.Parallel()
	viaCatalogue, viaGeneric := eventcodec.New(), eventcodec.New()
	eventcodec.RegisterCatalogues(viaCatalogue, es.Catalogue{{Event: bayClosed{}}})
	eventcodec.Register[bayClosed](viaGeneric)
	a, errA := decode(t, viaCatalogue, "bay.closed.v1", 1, `{"Reason":"r"}`)
	b, errB := decode(t, viaGeneric, "bay.closed.v1", 1, `{"Reason":"r"}`)
	if errA != nil || errB != nil || a != b {
		t.Fatalf("catalogue decoded %#v (%v), Register decoded %#v (%v)", a, errA, b, errB)
	}
	if _, ok := a.(bayClosed); !ok {
		t.Fatalf("decoded %T, want the value type bayClosed", a)
	}
}

func TestRegisterCatalogues_PanicsOnInvalidOrDuplicateTypes(t *testing.T) {
	t.Parallel()
	mustPanic := func(name, want string, f func()) {
		t.Helper()
		defer func() {
			if p := recover(); p == nil || !strings.Contains(p.(string), want) {
				t.Errorf("%s: panic %v, want one containing %q", name, p, want)
			}
		}()
		f()
	}
	mustPanic("duplicate", "registered twice: bay.closed.v1", func() {
		r := eventcodec.New()
		eventcodec.RegisterCatalogues(r, es.Catalogue{{Event: bayClosed{}}}, es.Catalogue{{Event: bayClosed{}}})
	})
	mustPanic("invalid", "personal Name is not a field", func() {
		eventcodec.RegisterCatalogues(eventcodec.New(), es.Catalogue{{Event: noteTaken{}, Subject: "OwnerID", Personal: []string{"Name"}}})
	})
}
