package security_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// operation is one API operation that takes a request body, read from the
// served OpenAPI document (so a new endpoint is fuzzed without a change here).
type operation struct {
	Method, Path string
	// ContentTypes the operation documents (first: the one fuzzed bodies use).
	ContentTypes []string
	// Params are the path parameters' schemas, by name.
	Params map[string]map[string]any
	// Schema of the JSON body (nil for images), and the documented examples.
	Schema   map[string]any
	Examples []any
}

// Name is how seeds refer to the operation: "POST /api/v1/signup".
func (o operation) Name() string { return o.Method + " " + o.Path }

func (o operation) isJSON() bool {
	for _, c := range o.ContentTypes {
		if strings.Contains(c, "json") {
			return true
		}
	}
	return false
}

// document is the served OpenAPI document, enough of it to list operations
// and make sample bodies.
type document struct {
	raw map[string]any
}

func parseDocument(body []byte) (*document, error) {
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, err
	}
	if _, ok := raw["paths"].(map[string]any); !ok {
		return nil, fmt.Errorf("no paths in the OpenAPI document")
	}
	return &document{raw: raw}, nil
}

// resolve follows a local $ref ("#/components/schemas/X").
func (d *document) resolve(v map[string]any) map[string]any {
	for i := 0; i < 10 && v != nil; i++ {
		ref, ok := v["$ref"].(string)
		if !ok {
			return v
		}
		var cur any = d.raw
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			m, _ := cur.(map[string]any)
			cur = m[part]
		}
		v, _ = cur.(map[string]any)
	}
	return v
}

// operations lists every operation with a request body, sorted by name.
func (d *document) operations() []operation {
	var ops []operation
	paths := d.raw["paths"].(map[string]any)
	for path, item := range paths {
		pi, _ := item.(map[string]any)
		shared, _ := pi["parameters"].([]any)
		for method, raw := range pi {
			op, ok := raw.(map[string]any)
			if !ok || method == "parameters" {
				continue
			}
			rb := d.resolve(asMap(op["requestBody"]))
			if rb == nil {
				continue
			}
			o := operation{Method: strings.ToUpper(method), Path: path, Params: map[string]map[string]any{}}
			content := asMap(rb["content"])
			for ct := range content {
				o.ContentTypes = append(o.ContentTypes, ct)
			}
			sort.Strings(o.ContentTypes)
			// application/json first when there is a choice.
			sort.SliceStable(o.ContentTypes, func(i, j int) bool { return o.ContentTypes[i] == "application/json" })
			for _, ct := range o.ContentTypes {
				js := asMap(content[ct])
				if js == nil || !strings.Contains(ct, "json") {
					continue
				}
				if o.Schema == nil {
					o.Schema = d.resolve(asMap(js["schema"]))
				}
				if ex, ok := js["example"]; ok {
					o.Examples = append(o.Examples, ex)
				}
				names := make([]string, 0)
				for name := range asMap(js["examples"]) {
					names = append(names, name)
				}
				sort.Strings(names)
				for _, name := range names {
					if ex := d.resolve(asMap(asMap(js["examples"])[name])); ex != nil {
						if v, ok := ex["value"]; ok {
							o.Examples = append(o.Examples, v)
						}
					}
				}
			}
			params, _ := op["parameters"].([]any)
			for _, p := range append(append([]any{}, shared...), params...) {
				pm := d.resolve(asMap(p))
				if pm == nil || pm["in"] != "path" {
					continue
				}
				name, _ := pm["name"].(string)
				o.Params[name] = d.resolve(asMap(pm["schema"]))
			}
			ops = append(ops, o)
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].Name() < ops[j].Name() })
	return ops
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }

// sample builds a plausible value of schema: the shape a client would send,
// the starting point the fuzzer mutates.
func (d *document) sample(schema map[string]any, depth int) any {
	s := d.resolve(schema)
	if s == nil || depth > 6 {
		return nil
	}
	if ex, ok := s["example"]; ok {
		return ex
	}
	for _, k := range []string{"allOf", "oneOf", "anyOf"} {
		if list, ok := s[k].([]any); ok && len(list) > 0 {
			if k == "allOf" {
				out := map[string]any{}
				for _, part := range list {
					if m, ok := d.sample(asMap(part), depth+1).(map[string]any); ok {
						for key, v := range m {
							out[key] = v
						}
					}
				}
				return out
			}
			return d.sample(asMap(list[0]), depth+1)
		}
	}
	if enum, ok := s["enum"].([]any); ok && len(enum) > 0 {
		return enum[0]
	}
	typ, _ := s["type"].(string)
	if list, ok := s["type"].([]any); ok && len(list) > 0 {
		typ, _ = list[0].(string)
	}
	switch typ {
	case "object", "":
		props := asMap(s["properties"])
		if props == nil {
			if typ == "" {
				return "x"
			}
			return map[string]any{}
		}
		out := map[string]any{}
		for name, p := range props {
			if ps := d.resolve(asMap(p)); ps != nil && ps["readOnly"] == true {
				continue
			}
			out[name] = d.sample(asMap(p), depth+1)
		}
		return out
	case "array":
		return []any{d.sample(asMap(s["items"]), depth+1)}
	case "integer":
		if m, ok := s["minimum"].(float64); ok {
			return int(m)
		}
		return 1
	case "number":
		return 1.5
	case "boolean":
		return true
	case "string":
		switch s["format"] {
		case "date":
			return "2030-01-15"
		case "date-time":
			return "2030-01-15T10:00:00Z"
		case "uuid":
			return "0190b7a4-0000-7000-8000-000000000001"
		case "email":
			return "fuzz@example.com"
		case "uri":
			return "https://example.com/x"
		}
		return "x"
	}
	return nil
}

// variants are whole-body transformations of a sample: each kind of bad
// input a client may send, applied to every field at once.
func variants(sample any) [][]byte {
	enc := func(v any) []byte { b, _ := json.Marshal(v); return b }
	out := [][]byte{enc(sample), []byte(`{}`), []byte(`null`), []byte(`[]`), []byte(`""`), []byte(`{"":0}`), []byte(`{"a":`)}
	for _, f := range []func(any) any{
		func(v any) any { return nil }, // every field null
		func(v any) any { // wrong types
			switch v.(type) {
			case string:
				return 7
			case float64, int, bool:
				return "7"
			}
			return v
		},
		func(v any) any { // long strings
			if _, ok := v.(string); ok {
				return strings.Repeat("Ã§", 20000)
			}
			return v
		},
		func(v any) any { // odd text: control characters, RTL, emoji, markup
			if _, ok := v.(string); ok {
				return "\u202e\t<script>'\"%s\U0001F697\\u0000"
			}
			return v
		},
		func(v any) any { // extreme numbers
			switch v.(type) {
			case float64, int:
				return 9.3e18
			}
			return v
		},
		func(v any) any { // negative numbers
			switch v.(type) {
			case float64, int:
				return -1
			}
			return v
		},
		func(v any) any { // empty strings, lists and objects
			switch v.(type) {
			case string:
				return ""
			case []any:
				return []any{}
			}
			return v
		},
	} {
		out = append(out, enc(mapLeaves(sample, f)))
	}
	return out
}

// mapLeaves applies f to every leaf (non-object, non-array) of v.
func mapLeaves(v any, f func(any) any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = mapLeaves(x, f)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = mapLeaves(x, f)
		}
		return out
	}
	return f(v)
}
