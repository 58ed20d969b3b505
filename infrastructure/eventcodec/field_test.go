package eventcodec

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
)

// stringFieldReference is the decoding stringField replaced: the payload
// into a map, then the field into a string.
func stringFieldReference(payload []byte, name string) (string, bool, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(payload, &probe); err != nil {
		return "", false, err
	}
	v, ok := probe[name]
	if !ok {
		return "", false, nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", false, err
	}
	return s, true, nil
}

var stringFieldSeeds = []string{
	`{"CustomerID":"0194f3a2-7c1e-7b3d-9a4f-2c8e5d6b7a10","Note":"x"}`,
	`{"Note":{"CustomerID":"inner"},"Items":[{"CustomerID":"x"}]}`,
	` { "Customer\u0049D" : "escaped" } `,
	`{"CustomerID":null}`,
	`{"CustomerID":7}`,
	`{"CustomerID":{"a":1}}`,
	`{"CustomerID":"a","CustomerID":"b"}`,
	`{"X":1,"X":2,"CustomerID":"a"}`,
	`{"CustomerID":"a"} {}`,
	`{"CustomerID":"a",}`,
	`{"CustomerID":"a\ud800"}`,
	"{\"CustomerID\":\"\xff\"}",
	`[]`,
	`null`,
	`"CustomerID"`,
	``,
}

func TestStringField(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in, value string
		found     bool
		err       error
	}{
		{in: stringFieldSeeds[0], value: "0194f3a2-7c1e-7b3d-9a4f-2c8e5d6b7a10", found: true},
		{in: stringFieldSeeds[1]},
		{in: stringFieldSeeds[2], value: "escaped", found: true},
		{in: stringFieldSeeds[3], found: true},
		{in: stringFieldSeeds[4], err: errNotString},
		{in: stringFieldSeeds[6], err: jsontext.ErrDuplicateName},
		{in: stringFieldSeeds[7], err: jsontext.ErrDuplicateName},
		{in: `null`},
		{in: "{\"CustomerID\":\"a\xff\"}", value: "a\ufffd", found: true},
	} {
		value, found, err := stringField([]byte(c.in), "CustomerID")
		if value != c.value || found != c.found || !errors.Is(err, c.err) {
			t.Errorf("%s: got %q %v %v, want %q %v %v", c.in, value, found, err, c.value, c.found, c.err)
		}
	}
	for _, in := range []string{`{"CustomerID":"a"} {}`, `{"CustomerID":"a",}`, `[]`, `"CustomerID"`, ``} {
		if _, _, err := stringField([]byte(in), "CustomerID"); err == nil || errors.Is(err, errNotString) {
			t.Errorf("%q: error %v, want invalid JSON", in, err)
		}
	}
}

// stringField reads what the map decoding read, except that it refuses a
// name twice in one object.
func FuzzStringField(f *testing.F) {
	for _, s := range stringFieldSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		value, found, err := stringField(payload, "CustomerID")
		if errors.Is(err, jsontext.ErrDuplicateName) {
			return
		}
		want, wantFound, wantErr := stringFieldReference(payload, "CustomerID")
		if value != want || found != wantFound || (err == nil) != (wantErr == nil) {
			t.Fatalf("%q: got %q %v %v, reference %q %v %v", payload, value, found, err, want, wantFound, wantErr)
		}
	})
}

func BenchmarkStringField(b *testing.B) {
	payload := []byte(`{"CustomerID":"0194f3a2-7c1e-7b3d-9a4f-2c8e5d6b7a10","VehicleID":"0194f3a2-7c1e-7b3d-9a4f-2c8e5d6b7a11",` +
		`"Number":1042,"MileageKm":87250,"HasMileage":true,"Description":{"enc":"v1.Qm9hIHRhcmRlLCBlc3RlIMOpIHVtIHRleHRvIGNpZnJhZG8gZGUgZXhlbXBsbw","t":"s"}` +
		`,"Items":[{"Line":1,"Service":"s","Description":{"enc":"v1.Qm9hIHRhcmRl","t":"s"},"Quantity":1}],"TotalCents":36000,"OpenedAt":"2026-03-10T12:00:00Z"}`)
	for _, impl := range []struct {
		name string
		read func([]byte, string) (string, bool, error)
	}{{"map", stringFieldReference}, {"jsontext", stringField}} {
		b.Run(impl.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := impl.read(payload, "CustomerID"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
