package crypto

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// rewritePathsReference is the decode-and-re-marshal implementation
// rewritePaths replaced, kept as the reference its results are checked
// against (FuzzRewritePaths) and measured against (BenchmarkRewritePaths).
func rewritePathsReference(payload []byte, paths []string, fn func(path string, v json.RawMessage) (json.RawMessage, error)) ([]byte, error) {
	fields, err := referenceDecodeObject(payload)
	if err != nil {
		return nil, err
	}
	changed := false
	for _, p := range paths {
		c, err := referenceRewriteIn(fields, referenceParsePath(p), "", fn)
		if err != nil {
			return nil, err
		}
		changed = changed || c
	}
	if !changed {
		return payload, nil
	}
	return json.Marshal(fields)
}

type referenceStep struct {
	name  string
	array bool
}

func referenceParsePath(p string) []referenceStep {
	var out []referenceStep
	for _, part := range strings.Split(p, ".") {
		name, array := strings.CutSuffix(part, "[]")
		out = append(out, referenceStep{name: name, array: array})
	}
	return out
}

// referenceRewriteIn applies the path steps to the object fields, in place.
func referenceRewriteIn(fields map[string]json.RawMessage, steps []referenceStep, prefix string, fn func(string, json.RawMessage) (json.RawMessage, error)) (bool, error) {
	st := steps[0]
	v, ok := fields[st.name]
	if !ok || referenceIsNull(v) {
		return false, nil
	}
	at := prefix + st.name
	var err error
	switch {
	case !st.array && len(steps) == 1:
		fields[st.name], err = fn(at, v)
		return err == nil, err
	case !st.array:
		inner, err := referenceDecodeObject(v)
		if err != nil {
			return false, fmt.Errorf("%s: %w", at, err)
		}
		c, err := referenceRewriteIn(inner, steps[1:], at+".", fn)
		if err != nil || !c {
			return false, err
		}
		fields[st.name], err = json.Marshal(inner)
		return true, err
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(v, &elems); err != nil {
		return false, fmt.Errorf("%s: not an array", at)
	}
	changed := false
	for i, e := range elems {
		ei := fmt.Sprintf("%s[%d]", at, i)
		if len(steps) == 1 {
			if referenceIsNull(e) {
				continue
			}
			if elems[i], err = fn(ei, e); err != nil {
				return false, err
			}
			changed = true
			continue
		}
		inner, err := referenceDecodeObject(e)
		if err != nil {
			return false, fmt.Errorf("%s: %w", ei, err)
		}
		c, err := referenceRewriteIn(inner, steps[1:], ei+".", fn)
		if err != nil {
			return false, err
		}
		if c {
			if elems[i], err = json.Marshal(inner); err != nil {
				return false, err
			}
			changed = true
		}
	}
	if !changed {
		return false, nil
	}
	fields[st.name], err = json.Marshal(elems)
	return true, err
}

func referenceDecodeObject(payload []byte) (map[string]json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(payload, &fields); err != nil || fields == nil {
		return nil, errors.New("payload with personal fields is not a JSON object")
	}
	return fields, nil
}

func referenceIsNull(v json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(v), []byte("null")) }

// sealLike wraps a value as the hook seals it, {"enc": ..., "t": ...}, with
// the value's canonical form in base64 so that two implementations passing
// the same value with different spacing or key order agree.
func sealLike(v json.RawMessage) (json.RawMessage, error) {
	c, err := canonicalJSON(v)
	if err != nil {
		return nil, err
	}
	return json.Marshal(sealedField{Enc: base64.StdEncoding.EncodeToString(c), T: jsonKind(v)})
}

// canonicalJSON decodes v (numbers as written) and encodes it again.
func canonicalJSON(v []byte) ([]byte, error) {
	var x any
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	if err := dec.Decode(&x); err != nil {
		return nil, err
	}
	return json.Marshal(x)
}

type rewriteFunc func([]byte, []string, func(string, json.RawMessage) (json.RawMessage, error)) ([]byte, error)

// rewriteRecorded runs a rewrite with sealLike, recording each call as
// "path=canonical value".
func rewriteRecorded(rewrite rewriteFunc, payload []byte, paths []string) ([]byte, []string, error) {
	var calls []string
	out, err := rewrite(payload, paths, func(path string, v json.RawMessage) (json.RawMessage, error) {
		c, err := canonicalJSON(v)
		if err != nil {
			return nil, fmt.Errorf("fn got invalid JSON at %s: %q", path, v)
		}
		calls = append(calls, path+"="+string(c))
		return sealLike(v)
	})
	return out, calls, err
}

var (
	fuzzPaths       = []string{"Note", "Item.Description", "Items[].Description", "Items[].Parts[].Name"}
	overlappingPath = []string{"Item", "Item.Description", "Items[]", "Items[].Parts[].Name", "Note", "Note"}
)

// checkAgainstReference fails when rewritePaths and the reference disagree on
// payload: error or not, the calls of fn, the decoded result.
func checkAgainstReference(t *testing.T, payload []byte, paths []string) {
	t.Helper()
	in := bytes.Clone(payload)
	got, gotCalls, gotErr := rewriteRecorded(rewritePaths, payload, paths)
	if !bytes.Equal(in, payload) {
		t.Fatalf("rewritePaths modified its input")
	}
	want, wantCalls, wantErr := rewriteRecorded(rewritePathsReference, payload, paths)
	if errors.Is(gotErr, errDuplicateKey) {
		return // refused on purpose; the reference keeps the last one
	}
	if (gotErr == nil) != (wantErr == nil) {
		t.Fatalf("paths %q on %q:\n error %v\n reference error %v", paths, payload, gotErr, wantErr)
	}
	if !reflect.DeepEqual(gotCalls, wantCalls) {
		t.Fatalf("paths %q on %q:\n calls %q\n reference calls %q", paths, payload, gotCalls, wantCalls)
	}
	if gotErr != nil {
		if gotErr.Error() != wantErr.Error() {
			t.Fatalf("paths %q on %q:\n error %v\n reference error %v", paths, payload, gotErr, wantErr)
		}
		return
	}
	if len(gotCalls) == 0 && !bytes.Equal(got, payload) {
		t.Fatalf("no value named, but the payload changed: %q", got)
	}
	g, err := canonicalJSON(got)
	if err != nil || !json.Valid(got) {
		t.Fatalf("paths %q on %q: invalid result %q (%v)", paths, payload, got, err)
	}
	w, err := canonicalJSON(want)
	if err != nil {
		t.Fatalf("reference result %q: %v", want, err)
	}
	if !bytes.Equal(g, w) {
		t.Fatalf("paths %q on %q:\n result    %s\n reference %s", paths, payload, got, want)
	}
}

var rewriteSeeds = []string{
	`{"CustomerID":"00000000-0000-7000-8000-000000000001","Number":3,"Note":"Cliente pediu desconto","Items":[{"Line":1,"Service":"brakes","Description":"Pastilha p/ Sr. Anésio","Quantity":1},{"Line":2,"Description":null},{"Line":3}],"TotalCents":9,"OpenedAt":"2025-03-14T19:30:00Z"}`,
	`{"CustomerID":"x","Item":{"Line":2,"Service":"oil","Description":"Troca de óleo <urgente> & \"rápida\"","Quantity":1},"AddedAt":"2025-03-14T19:30:00Z"}`,
	`{"Note":{"enc":"v1.abc","t":"s"},"Items":[{"Description":{"enc":"v1.def","t":"s"},"Parts":[{"Name":"Pastilha"},{"Name":null},{"Name":["a",{"b":1}]}]}]}`,
	` { "Note" : "a\u00e9\n" , "Items" : [ ] , "Item" : null } `,
	`{"Items":[{"Parts":[]},{"Parts":null},{"Description":"","Parts":[{"Name":1e5},{"Name":-0.5},{"Name":true}]}]}`,
	`{"Items":{"Description":"not an array"}}`,
	`{"Items":[null]}`,
	`{"Items":[{"Parts":[5]}]}`,
	`{"Item":"not an object"}`,
	`{"Item":[{"Description":"x"}]}`,
	`{"Note":"a","Note":"b"}`,
	`{"Note":"a","N\u006fte":"b"}`,
	`{"Item":{"Description":"a","Description":"b"}}`,
	`{"Items":[{"Description":"a"},{"Description":"a","Description":"b"}]}`,
	`{"Other":1,"Other":2,"Note":"a"}`,
	`{"Note":"a"`,
	`[{"Note":"a"}]`,
	`null`,
	`{"Note":"a"} x`,
	`{"Note":01}`,
	"{\"Note\":\"\xff\xfe\"}",
	`{"Note":"\ud800"}`,
	`{}`,
}

func TestRewritePaths_agreesWithReference(t *testing.T) {
	t.Parallel()
	for _, p := range rewriteSeeds {
		checkAgainstReference(t, []byte(p), fuzzPaths)
		checkAgainstReference(t, []byte(p), overlappingPath)
	}
}

func TestRewritePaths_keepsKeyOrderAndSpacing(t *testing.T) {
	t.Parallel()
	in := `{"Z":1, "Note": "a", "Items": [ {"Description":"b", "Line":1}, {"Line":2} ], "A":"<&>"}`
	got, calls, err := rewriteRecorded(rewritePaths, []byte(in), fuzzPaths)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Z":1, "Note": ` + string(must(sealLike([]byte(`"a"`)))) +
		`, "Items": [ {"Description":` + string(must(sealLike([]byte(`"b"`)))) + `, "Line":1}, {"Line":2} ], "A":"<&>"}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if w := []string{`Note="a"`, `Items[0].Description="b"`}; !reflect.DeepEqual(calls, w) {
		t.Errorf("calls %q, want %q", calls, w)
	}
}

func must(v []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return v
}

func TestRewritePaths_unchangedIsTheSamePayload(t *testing.T) {
	t.Parallel()
	in := []byte(`{"Note":"","Items":[{"Description":null}],"Other":"x"}`)
	out, err := rewritePaths(in, fuzzPaths, func(_ string, v json.RawMessage) (json.RawMessage, error) { return v, nil })
	if err != nil || &out[0] != &in[0] || len(out) != len(in) {
		t.Fatalf("got %q %v, want the input itself", out, err)
	}
}

// A key that appears twice would be decoded as its last copy; sealing one
// copy could leave the other in the clear, so such payloads are refused.
// encoding/json never writes one, so any name twice in one object is refused,
// whether a path names it or not.
func TestRewritePaths_duplicateKeysAreRefused(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`{"Note":"Maria","Note":"Maria"}`,
		`{"Note":"Maria","N\u006fte":null}`,
		`{"Note":null,"Note":"Maria"}`,
		`{"Item":{"Description":"Maria"},"Item":{"Description":"Maria"}}`,
		`{"Item":{"Description":"Maria","Description":"x"}}`,
		`{"Items":[{"Description":"ok"},{"Description":"Maria","Description":"x"}]}`,
		`{"Items":[{"Parts":[{"Name":"Maria","Name":"x"}]}]}`,
		`{"X":1,"X":2,"Note":"Maria"}`,
		`{"Item":{"Y":{"Z":1,"Z":2},"Description":"Maria"}}`,
	} {
		out, err := rewritePaths([]byte(in), fuzzPaths, sealAt)
		if !errors.Is(err, errDuplicateKey) || out != nil {
			t.Errorf("%s: got %q, %v; want errDuplicateKey", in, out, err)
		}
	}
	_, err := rewritePaths([]byte(`{"Item":{"Description":"a","Description":"b"}}`), fuzzPaths, sealAt)
	if want := "/Item/Description: " + errDuplicateKey.Error(); err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

func TestRewritePaths_errors(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`[]`:                                 "payload with personal fields is not a JSON object",
		`{"Note":"a",}`:                      "payload with personal fields is not a JSON object",
		`{"Items":{}}`:                       "Items: not an array",
		`{"Item":[]}`:                        "Item: payload with personal fields is not a JSON object",
		`{"Items":[{},null]}`:                "Items[1]: payload with personal fields is not a JSON object",
		`{"Items":[{"Parts":[{},{},"x"]}]}`:  "Items[0].Parts[2]: payload with personal fields is not a JSON object",
		`{"Items":[{"Parts":{"Name":"x"}}]}`: "Items[0].Parts: not an array",
		`{"Items":[{"Description":"x"},{"Parts":1}]}`: "Items[1].Parts: not an array",
	} {
		_, err := rewritePaths([]byte(in), fuzzPaths, sealAt)
		if err == nil || err.Error() != want {
			t.Errorf("%s: error %v, want %q", in, err, want)
		}
	}
	_, err := rewritePaths([]byte(`{"Note":"a"}`), fuzzPaths, func(string, json.RawMessage) (json.RawMessage, error) {
		return json.RawMessage(`{"enc":`), nil
	})
	if err == nil {
		t.Error("an invalid replacement was spliced in")
	}
}

func FuzzRewritePaths(f *testing.F) {
	for _, s := range rewriteSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		checkAgainstReference(t, payload, fuzzPaths)
		checkAgainstReference(t, payload, overlappingPath)
	})
}

// benchmarkOrder is a service order as events store it: a few top-level
// fields, a personal description and three items with personal descriptions.
func benchmarkOrder(desc func(i int) string) []byte {
	var items []string
	for i := range 3 {
		items = append(items, fmt.Sprintf(`{"Line":%d,"Service":"service-%d","Description":%s,"Quantity":1,"UnitPriceCents":12000,"TotalCents":12000}`, i+1, i, desc(i)))
	}
	return []byte(`{"CustomerID":"0194f3a2-7c1e-7b3d-9a4f-2c8e5d6b7a10","VehicleID":"0194f3a2-7c1e-7b3d-9a4f-2c8e5d6b7a11",` +
		`"Number":1042,"MileageKm":87250,"HasMileage":true,"Description":` + desc(-1) +
		`,"Items":[` + strings.Join(items, ",") + `],"TotalCents":36000,"OpenedAt":"2026-03-10T12:00:00Z"}`)
}

// BenchmarkRewritePaths measures the scan and splice of rewritePaths against
// the decode and re-marshal it replaced, sealing a clear service order and
// opening a sealed one (fn itself is a constant, so only the rewrite counts).
func BenchmarkRewritePaths(b *testing.B) {
	paths := []string{"Description", "Items[].Description"}
	sealed := json.RawMessage(`{"enc":"v1.Qm9hIHRhcmRlLCBlc3RlIMOpIHVtIHRleHRvIGNpZnJhZG8gZGUgZXhlbXBsbw","t":"s"}`)
	clear := json.RawMessage(`"Barulho na roda dianteira quando freia"`)
	inputs := map[string]struct {
		payload []byte
		repl    json.RawMessage
	}{
		"seal": {benchmarkOrder(func(int) string { return string(clear) }), sealed},
		"open": {benchmarkOrder(func(int) string { return string(sealed) }), clear},
	}
	for _, dir := range []string{"seal", "open"} {
		in := inputs[dir]
		fn := func(string, json.RawMessage) (json.RawMessage, error) { return in.repl, nil }
		for _, impl := range []struct {
			name    string
			rewrite rewriteFunc
		}{{"reference", rewritePathsReference}, {"jsontext", rewritePaths}} {
			b.Run(dir+"/"+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(in.payload)))
				for b.Loop() {
					if _, err := impl.rewrite(in.payload, paths, fn); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func sealAt(_ string, v json.RawMessage) (json.RawMessage, error) { return sealLike(v) }
