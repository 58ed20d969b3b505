package crypto

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/go-json-experiment/json/jsontext"
)

// errNotObject is what rewritePaths says of a payload that is not a JSON
// object, or not JSON at all.
var errNotObject = errors.New("payload with personal fields is not a JSON object")

// errDuplicateKey refuses a payload in which a name appears twice in one
// object. A decoder keeps the last one, so rewriting one of them could leave
// the other in the clear (or open the wrong one); encoding/json never writes
// such a payload.
var errDuplicateKey = errors.New("key appears twice in a payload with personal fields")

// maxDepth is the nesting limit of jsontext, the same as encoding/json's.
const maxDepth = 10000

// Payloads may hold invalid UTF-8 (encoding/json reads it as U+FFFD); every
// name must be unique in its object (jsontext's default).
var (
	decodeOptions = jsontext.AllowInvalidUTF8(true)
	valueOptions  = []jsontext.Options{jsontext.AllowInvalidUTF8(true), jsontext.AllowDuplicateNames(true)}
)

type rewriteFn = func(path string, v json.RawMessage) (json.RawMessage, error)

// rewritePaths applies fn to every non-null value a personal path names in
// payload and returns the payload with the results (payload itself when no
// value changed). A path is a top-level field ("Note"), or descends
// through objects with "." and through every element of an array with "[]"
// ("Items[].Description", "Item.Description"). fn receives the concrete path
// with array indexes ("Items[2].Description"), which is bound into the
// ciphertext, so a value moved to another element does not open.
//
// The payload is read once as a stream of tokens (jsontext): the values the
// paths name are located by byte range and the results spliced in between
// the untouched bytes, so the key order and spacing of the input are kept.
// fn is called path by path in the order of paths, and for each path in
// document order. A value that a path needs to be an object (or, with "[]",
// an array) and is not is an error, as is invalid JSON anywhere in payload,
// or a name appearing twice in one object (errDuplicateKey).
func rewritePaths(payload []byte, paths []string, fn rewriteFn) ([]byte, error) {
	if !overlapping(paths) {
		return rewriteOnce(payload, paths, fn)
	}
	// One path names a value inside (or equal to) another's: each path sees
	// the result of the ones before it, as when they were applied to a
	// decoded payload one after the other.
	out := payload
	for i := range paths {
		var err error
		if out, err = rewriteOnce(out, paths[i:i+1], fn); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// overlapping reports whether of two paths, "[]" aside, the steps of one
// begin the steps of the other.
func overlapping(paths []string) bool {
	for i := range paths {
		for _, q := range paths[i+1:] {
			for p := paths[i]; ; {
				ps, prest, pmore := strings.Cut(p, ".")
				qs, qrest, qmore := strings.Cut(q, ".")
				if strings.TrimSuffix(ps, "[]") != strings.TrimSuffix(qs, "[]") {
					break
				}
				if !pmore || !qmore {
					return true
				}
				p, q = prest, qrest
			}
		}
	}
	return false
}

func rewriteOnce(payload []byte, paths []string, fn rewriteFn) ([]byte, error) {
	s := scanners.Get().(*pathScanner)
	defer s.release()
	s.in = *bytes.NewBuffer(payload) // read in place, without a copy
	s.dec.Reset(&s.in, decodeOptions)
	s.paths = paths
	for i := range paths {
		s.cur = append(s.cur, cursor{path: i})
	}
	if err := s.scan(); err != nil {
		var se *jsontext.SyntacticError
		if errors.As(err, &se) && errors.Is(err, jsontext.ErrDuplicateName) {
			return nil, fmt.Errorf("%s: %w", se.JSONPointer, errDuplicateKey)
		}
		return nil, errNotObject
	}

	changed, grow := false, 0
	for p := range paths {
		for k := range s.found {
			f := &s.found[k]
			if f.path != p {
				continue
			}
			if f.err != nil {
				return nil, f.err
			}
			orig := payload[f.start:f.end:f.end]
			r, err := fn(f.at, orig)
			if err != nil {
				return nil, err
			}
			if r == nil {
				r = json.RawMessage("null") // as json.Marshal writes a nil RawMessage
			}
			f.repl = r
			if !bytes.Equal(r, orig) {
				if !jsontext.Value(r).IsValid(valueOptions...) {
					return nil, fmt.Errorf("%s: the rewritten value is not valid JSON", f.at)
				}
				changed = true
				grow += len(r) - len(orig)
			}
		}
	}
	if !changed {
		return payload, nil
	}
	// The values were found in document order and never overlap.
	out := make([]byte, 0, len(payload)+max(grow, 0))
	last := 0
	for _, f := range s.found {
		out = append(out, payload[last:f.start]...)
		out = append(out, f.repl...)
		last = f.end
	}
	return append(out, payload[last:]...), nil
}

// cursor is a path being followed to the value being read: paths[path]
// from byte off on is still to be matched (off == len(paths[path]) once it
// has all been), and with arr the value must first be an array whose
// elements the rest applies to.
type cursor struct {
	path, off int
	arr       bool
}

// found is a value a path names (start:end in the payload, at its concrete
// path), or the error the path meets there (err).
type found struct {
	path       int
	start, end int
	at         string
	err        error
	repl       []byte
}

// scanners keeps the decoder and scratch space of rewritePaths between calls.
var scanners = sync.Pool{New: func() any { return new(pathScanner) }}

// release returns s to scanners, keeping nothing of the payload alive.
func (s *pathScanner) release() {
	clear(s.found)
	s.in = bytes.Buffer{}
	s.dec.Reset(&s.in)
	s.paths, s.cur, s.found, s.at = nil, s.cur[:0], s.found[:0], s.at[:0]
	scanners.Put(s)
}

type pathScanner struct {
	in    bytes.Buffer
	dec   jsontext.Decoder
	paths []string
	// cur holds the cursors of every value being read, innermost last;
	// each value works on a range of it.
	cur   []cursor
	found []found
	// at is the concrete path of the value being read, e.g.
	// "Items[2].Description" (empty at the top).
	at      []byte
	scratch []byte
}

// scan reads the payload, which must be one object, into s.found.
func (s *pathScanner) scan() error {
	if s.dec.PeekKind() != '{' {
		return errNotObject
	}
	if err := s.object(0, len(s.cur)); err != nil {
		return err
	}
	if _, err := s.dec.ReadToken(); !errors.Is(err, io.EOF) {
		return errNotObject
	}
	return nil
}

// object reads the object that comes next, following the cursors cur[lo:hi].
func (s *pathScanner) object(lo, hi int) error {
	if _, err := s.dec.ReadToken(); err != nil {
		return err
	}
	for s.dec.PeekKind() != '}' {
		key, err := s.dec.ReadValue()
		if err != nil {
			return err
		}
		// The cursors this key moves on, added to the end of s.cur.
		sub, mark := len(s.cur), len(s.at)
		for _, c := range s.cur[lo:hi] {
			if c.arr {
				continue // wants an array, and met this object
			}
			step, _, more := strings.Cut(s.paths[c.path][c.off:], ".")
			name, arr := strings.CutSuffix(step, "[]")
			if !s.keyIs(key, name) {
				continue
			}
			next := len(s.paths[c.path])
			if more {
				next = c.off + len(step) + 1
			}
			s.cur = append(s.cur, cursor{path: c.path, off: next, arr: arr})
			if len(s.at) == mark {
				if mark > 0 {
					s.at = append(s.at, '.')
				}
				s.at = append(s.at, name...)
			}
		}
		if len(s.cur) == sub {
			err = s.dec.SkipValue()
		} else if s.dec.PeekKind() == 'n' {
			err = s.dec.SkipValue() // null: nothing to rewrite, nothing to descend into
		} else {
			err = s.value(sub, len(s.cur))
		}
		s.cur, s.at = s.cur[:sub], s.at[:mark]
		if err != nil {
			return err
		}
	}
	_, err := s.dec.ReadToken()
	return err
}

// value reads the value at s.at that comes next, following the cursors
// cur[lo:hi].
func (s *pathScanner) value(lo, hi int) error {
	kind := s.dec.PeekKind()
	// A path that ends here is the only one here, as paths do not overlap.
	if c := s.cur[lo]; !c.arr && c.off == len(s.paths[c.path]) {
		if kind == 'n' {
			return s.dec.SkipValue()
		}
		return s.record(c.path)
	}
	var objects, arrays bool
	for _, c := range s.cur[lo:hi] {
		switch {
		case c.arr && kind != '[':
			s.fail(c.path, "not an array")
		case !c.arr && kind != '{':
			s.fail(c.path, errNotObject.Error())
		}
		objects, arrays = objects || !c.arr, arrays || c.arr
	}
	switch {
	case kind == '{' && objects:
		return s.object(lo, hi) // the cursors wanting an array do not match a key
	case kind == '[' && arrays:
		return s.array(lo, hi)
	}
	return s.dec.SkipValue()
}

// array reads the array that comes next, applying the cursors cur[lo:hi]
// that want one to each element.
func (s *pathScanner) array(lo, hi int) error {
	if _, err := s.dec.ReadToken(); err != nil {
		return err
	}
	sub, mark := len(s.cur), len(s.at)
	for _, c := range s.cur[lo:hi] {
		if c.arr {
			s.cur = append(s.cur, cursor{path: c.path, off: c.off})
		}
	}
	for idx := 0; s.dec.PeekKind() != ']'; idx++ {
		s.at = append(strconv.AppendInt(append(s.at, '['), int64(idx), 10), ']')
		if err := s.value(sub, len(s.cur)); err != nil {
			return err
		}
		s.at = s.at[:mark]
	}
	s.cur = s.cur[:sub]
	_, err := s.dec.ReadToken()
	return err
}

// record reads the value that comes next as one that path names.
func (s *pathScanner) record(path int) error {
	v, err := s.dec.ReadValue()
	if err != nil {
		return err
	}
	end := int(s.dec.InputOffset())
	s.found = append(s.found, found{path: path, start: end - len(v), end: end, at: s.concrete(path)})
	return nil
}

func (s *pathScanner) fail(path int, msg string) {
	s.found = append(s.found, found{path: path, err: fmt.Errorf("%s: %s", s.concrete(path), msg)})
}

// concrete is the concrete path of the value being read, as path names it.
func (s *pathScanner) concrete(path int) string {
	if p := s.paths[path]; strings.IndexByte(p, '[') < 0 {
		return p[:len(s.at)] // p itself, or the steps of it read so far
	}
	return string(s.at)
}

// keyIs reports whether the quoted object key decodes to name.
func (s *pathScanner) keyIs(key []byte, name string) bool {
	if len(key) == len(name)+2 && string(key[1:len(key)-1]) == name {
		return true
	}
	if bytes.IndexByte(key, '\\') < 0 {
		return false
	}
	var err error
	s.scratch, err = jsontext.AppendUnquote(s.scratch[:0], key)
	return err == nil && string(s.scratch) == name
}
