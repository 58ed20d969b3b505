package openapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
)

// An order-keeping JSON tree: the reference page lists paths, fields and
// examples in the order the document gives them.

type jnode struct {
	keys []string
	obj  map[string]*jnode
	arr  []*jnode
	val  any // string, json.Number, bool or nil for scalars
	kind byte
}

func parseJSONOrdered(b []byte) (*jnode, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	n, err := parseJNode(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the JSON document")
	}
	if n.kind != jObject {
		return nil, errors.New("the document is not a JSON object")
	}
	return n, nil
}

func parseJNode(dec *json.Decoder) (*jnode, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		n := &jnode{kind: jObject, obj: map[string]*jnode{}}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			key, _ := kt.(string)
			if _, dup := n.obj[key]; dup {
				return nil, fmt.Errorf("duplicate key %q", key)
			}
			child, err := parseJNode(dec)
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, key)
			n.obj[key] = child
		}
		_, err = dec.Token()
		return n, err
	case json.Delim('['):
		n := &jnode{kind: jArray}
		for dec.More() {
			child, err := parseJNode(dec)
			if err != nil {
				return nil, err
			}
			n.arr = append(n.arr, child)
		}
		_, err = dec.Token()
		return n, err
	}
	return &jnode{kind: jScalar, val: tok}, nil
}

func (n *jnode) get(path ...string) *jnode {
	for _, k := range path {
		if n == nil || n.kind != jObject {
			return nil
		}
		n = n.obj[k]
	}
	return n
}

func (n *jnode) str(path ...string) string {
	v := n.get(path...)
	if v == nil || v.kind != jScalar {
		return ""
	}
	switch s := v.val.(type) {
	case string:
		return s
	case json.Number:
		return s.String()
	case bool:
		return fmt.Sprint(s)
	}
	return ""
}

func (n *jnode) has(key string) bool { return n.get(key) != nil }

// strs returns a string or a list of strings (e.g. "type").
func (n *jnode) strs(key string) []string {
	v := n.get(key)
	switch {
	case v == nil:
		return nil
	case v.kind == jArray:
		out := make([]string, 0, len(v.arr))
		for _, e := range v.arr {
			out = append(out, e.scalarText())
		}
		return out
	}
	return []string{v.scalarText()}
}

func (n *jnode) scalarText() string {
	if n.kind != jScalar {
		b, _ := n.MarshalJSON()
		return string(b)
	}
	if n.val == nil {
		return "null"
	}
	if s, ok := n.val.(string); ok {
		return s
	}
	return fmt.Sprint(n.val)
}

// MarshalJSON writes the node back in document order.
func (n *jnode) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	n.write(&buf)
	return buf.Bytes(), nil
}

func (n *jnode) write(buf *bytes.Buffer) {
	switch n.kind {
	case jObject:
		buf.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeJSONString(buf, k)
			buf.WriteByte(':')
			n.obj[k].write(buf)
		}
		buf.WriteByte('}')
	case jArray:
		buf.WriteByte('[')
		for i, e := range n.arr {
			if i > 0 {
				buf.WriteByte(',')
			}
			e.write(buf)
		}
		buf.WriteByte(']')
	default:
		switch v := n.val.(type) {
		case string:
			writeJSONString(buf, v)
		case json.Number:
			buf.WriteString(v.String())
		case bool:
			fmt.Fprint(buf, v)
		default:
			buf.WriteString("null")
		}
	}
}

func writeJSONString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	buf.Truncate(buf.Len() - 1) // the encoder's newline
}

func (n *jnode) pretty() string {
	if n.kind == jScalar {
		if s, ok := n.val.(string); ok {
			return s // text examples (metrics, HTML, CSS) read better unquoted
		}
	}
	raw, _ := n.MarshalJSON()
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		return string(raw)
	}
	return out.String()
}

// mergeFragments merges every parts/*.json of fsys into doc: "tags" are
// appended, "paths" and each "components" section gain the fragment's keys.
func mergeFragments(doc *jnode, fsys fs.FS) error {
	names, err := fs.Glob(fsys, "parts/*.json")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		part, err := parseJSONOrdered(b)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		for _, key := range part.keys {
			var err error
			switch key {
			case "tags":
				err = appendArray(doc, "tags", part.obj[key])
			case "paths":
				err = mergeObject(doc, "paths", part.obj[key])
			case "components":
				comp := part.obj[key]
				for _, section := range comp.keys {
					target := doc.get("components")
					if target == nil {
						return fmt.Errorf("%s: the base document has no components", name)
					}
					if err = mergeObject(target, section, comp.obj[section]); err != nil {
						break
					}
				}
			default:
				err = fmt.Errorf("unexpected top-level key %q (want tags, paths, components)", key)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	return nil
}

func appendArray(parent *jnode, key string, items *jnode) error {
	if items.kind != jArray {
		return fmt.Errorf("%q must be an array", key)
	}
	target := parent.obj[key]
	if target == nil {
		target = &jnode{kind: jArray}
		parent.keys = append(parent.keys, key)
		parent.obj[key] = target
	}
	target.arr = append(target.arr, items.arr...)
	return nil
}

func mergeObject(parent *jnode, key string, add *jnode) error {
	if add.kind != jObject {
		return fmt.Errorf("%q must be an object", key)
	}
	target := parent.obj[key]
	if target == nil {
		target = &jnode{kind: jObject, obj: map[string]*jnode{}}
		parent.keys = append(parent.keys, key)
		parent.obj[key] = target
	}
	for _, k := range add.keys {
		if _, dup := target.obj[k]; dup {
			return fmt.Errorf("%s %q is defined twice", key, k)
		}
		target.keys = append(target.keys, k)
		target.obj[k] = add.obj[k]
	}
	return nil
}
