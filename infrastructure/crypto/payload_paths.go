package crypto

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// errNotObject is what rewritePaths says of a payload that is not a JSON
// object, or not JSON at all.
var errNotObject = errors.New("payload with personal fields is not a JSON object")

// errDuplicateKey refuses a payload in which a key a personal path names
// appears twice in one object. A decoder keeps the last one, so rewriting
// only one of them could leave the other in the clear (or open the wrong
// one); encoding/json never writes such a payload.
var errDuplicateKey = errors.New("key appears twice in a payload with personal fields")

// rewritePaths applies fn to every non-null value a personal path names in
// payload and returns the payload with the results (payload itself when no
// value changed). A path is a top-level field ("Note"), or descends
// through objects with "." and through every element of an array with "[]"
// ("Items[].Description", "Item.Description"). fn receives the concrete path
// with array indexes ("Items[2].Description"), which is bound into the
// ciphertext, so a value moved to another element does not open.
//
// The payload is scanned once, without decoding it: the values the paths
// name are located by byte range and the results spliced in between the
// untouched bytes, so the key order and spacing of the input are kept. fn is
// called path by path in the order of paths, and for each path in document
// order. A value that a path needs to be an object (or, with "[]", an array)
// and is not is an error, as is invalid JSON anywhere in payload, or a key
// on a path appearing twice in one object (errDuplicateKey).
func rewritePaths(payload []byte, paths []string, fn func(path string, v json.RawMessage) (json.RawMessage, error)) ([]byte, error) {
	out, err := rewriteOnce(payload, paths, fn)
	if !errors.Is(err, errOverlap) {
		return out, err
	}
	// One path names a value inside (or equal to) another's: each path sees
	// the result of the ones before it, as it did when they were applied to
	// a decoded payload one after the other.
	out = payload
	for i := range paths {
		if out, err = rewriteOnce(out, paths[i:i+1], fn); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// errOverlap stops a single pass over paths of which one names a value the
// other also names or descends into.
var errOverlap = errors.New("overlapping personal paths")

// maxDepth is encoding/json's nesting limit, so that both refuse the same
// payloads.
const maxDepth = 10000

func rewriteOnce(payload []byte, paths []string, fn func(path string, v json.RawMessage) (json.RawMessage, error)) ([]byte, error) {
	s := scanners.Get().(*pathScanner)
	defer s.release()
	s.b, s.paths = payload, paths
	for i := range paths {
		s.cur = append(s.cur, cursor{path: i})
	}
	i := ws(payload, 0)
	if i == len(payload) || payload[i] != '{' {
		return nil, errNotObject
	}
	end := s.object(i, 0, len(s.cur))
	if end < 0 || ws(payload, end) != len(payload) {
		if s.err != nil {
			return nil, s.err
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
				if !validValue(r) {
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

// cursor is a path being followed: paths[path] from byte off on is still to
// be matched, and seen records that the current object had its key.
type cursor struct {
	path int
	off  int
	seen bool
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

// scanners keeps the scratch space of rewritePaths between calls.
var scanners = sync.Pool{New: func() any {
	return &pathScanner{cur: make([]cursor, 0, 16), found: make([]found, 0, 16), at: make([]byte, 0, 64)}
}}

// release returns s to scanners, keeping nothing of the payload alive.
func (s *pathScanner) release() {
	clear(s.found)
	*s = pathScanner{cur: s.cur[:0], found: s.found[:0], at: s.at[:0]}
	scanners.Put(s)
}

type pathScanner struct {
	b     []byte
	paths []string
	// cur holds the cursors of every object being scanned, innermost last;
	// each object works on a range of it.
	cur   []cursor
	found []found
	// at is the concrete path of the value being scanned, with a trailing
	// ".", e.g. "Items[2]." (empty at the top).
	at    []byte
	depth int
	err   error
}

// step returns the path step c is at: its name, whether it ends in "[]",
// whether it is the last, and the offset of the next step.
func (s *pathScanner) step(c cursor) (name string, array, last bool, next int) {
	p := s.paths[c.path][c.off:]
	dot := strings.IndexByte(p, '.')
	if dot < 0 {
		name, last = p, true
	} else {
		name, next = p[:dot], c.off+dot+1
	}
	name, array = strings.CutSuffix(name, "[]")
	return name, array, last, next
}

// concrete is the concrete path of the value named name under s.at, with
// index idx appended when idx >= 0; last says name is the path's last step.
func (s *pathScanner) concrete(path int, name string, idx int, last bool) string {
	if idx < 0 && len(s.at) == 0 {
		return name
	}
	if idx < 0 && last && strings.IndexByte(s.paths[path], '[') < 0 {
		return s.paths[path] // the whole path, without arrays on the way
	}
	buf := append(s.at, name...)
	if idx >= 0 {
		buf = append(buf, '[')
		buf = strconv.AppendInt(buf, int64(idx), 10)
		buf = append(buf, ']')
	}
	return string(buf)
}

func (s *pathScanner) fail(path int, at string, msg string) {
	s.found = append(s.found, found{path: path, err: fmt.Errorf("%s: %s", at, msg)})
}

// object scans the object at b[i] == '{', following the cursors cur[lo:hi],
// and returns the offset after it, or -1 (s.err says why when it is not a
// syntax error).
func (s *pathScanner) object(i, lo, hi int) int {
	b := s.b
	if s.depth++; s.depth > maxDepth {
		return -1
	}
	i = ws(b, i+1)
	if i < len(b) && b[i] == '}' {
		s.depth--
		return i + 1
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return -1
		}
		kEnd, escaped := scanString(b, i)
		if kEnd < 0 {
			return -1
		}
		key := b[i+1 : kEnd-1]
		i = ws(b, kEnd)
		if i >= len(b) || b[i] != ':' {
			return -1
		}
		i = ws(b, i+1)
		if i >= len(b) {
			return -1
		}
		// The cursors this key moves on, copied to the end of s.cur.
		sub := len(s.cur)
		var name string
		for k := lo; k < hi; k++ {
			n, _, _, _ := s.step(s.cur[k])
			if !keyIs(key, escaped, n) {
				continue
			}
			if s.cur[k].seen {
				s.err = fmt.Errorf("%s%s: %w", s.at, n, errDuplicateKey)
				return -1
			}
			s.cur[k].seen = true
			s.cur = append(s.cur, s.cur[k])
			name = n
		}
		if len(s.cur) == sub {
			i = s.skip(i)
		} else {
			i = s.named(i, sub, len(s.cur), name)
			s.cur = s.cur[:sub]
		}
		if i < 0 {
			return -1
		}
		i = ws(b, i)
		if i >= len(b) {
			return -1
		}
		switch b[i] {
		case ',':
			i = ws(b, i+1)
		case '}':
			s.depth--
			return i + 1
		default:
			return -1
		}
	}
}

// named scans the value at b[i] that the cursors cur[lo:hi] name (the key
// is name) and returns the offset after it, or -1.
func (s *pathScanner) named(i, lo, hi int, name string) int {
	b := s.b
	if b[i] == 'n' {
		return s.skip(i) // null: nothing to rewrite, nothing to descend into
	}
	// A path ending here cannot share the value with another path.
	for k := lo; k < hi; k++ {
		_, array, last, _ := s.step(s.cur[k])
		if !last {
			continue
		}
		if hi-lo > 1 {
			s.err = errOverlap
			return -1
		}
		c := s.cur[k]
		if !array {
			end := s.skip(i)
			if end >= 0 {
				s.found = append(s.found, found{path: c.path, start: i, end: end, at: s.concrete(c.path, name, -1, true)})
			}
			return end
		}
		if b[i] != '[' {
			s.fail(c.path, s.concrete(c.path, name, -1, true), "not an array")
			return s.skip(i)
		}
		return s.array(i, func(j, idx int) int {
			end := s.skip(j)
			if end >= 0 && b[j] != 'n' {
				s.found = append(s.found, found{path: c.path, start: j, end: end, at: s.concrete(c.path, name, idx, true)})
			}
			return end
		})
	}
	// Every cursor descends: into this object (a step without "[]"), or
	// into the objects of this array.
	objLo := len(s.cur)
	for k := lo; k < hi; k++ {
		if _, array, _, next := s.step(s.cur[k]); !array {
			s.cur = append(s.cur, cursor{path: s.cur[k].path, off: next})
		}
	}
	arrLo := len(s.cur)
	for k := lo; k < hi; k++ {
		if _, array, _, next := s.step(s.cur[k]); array {
			s.cur = append(s.cur, cursor{path: s.cur[k].path, off: next})
		}
	}
	arrHi := len(s.cur)
	defer func() { s.cur = s.cur[:objLo] }()
	notObject := func(lo, hi, idx int) {
		for k := lo; k < hi; k++ {
			s.fail(s.cur[k].path, s.concrete(s.cur[k].path, name, idx, false), errNotObject.Error())
		}
	}
	switch b[i] {
	case '{':
		for k := arrLo; k < arrHi; k++ {
			s.fail(s.cur[k].path, s.concrete(s.cur[k].path, name, -1, false), "not an array")
		}
		if objLo == arrLo {
			return s.skip(i)
		}
		mark := len(s.at)
		s.at = append(append(s.at, name...), '.')
		end := s.object(i, objLo, arrLo)
		s.at = s.at[:mark]
		return end
	case '[':
		notObject(objLo, arrLo, -1)
		if arrLo == arrHi {
			return s.skip(i)
		}
		return s.array(i, func(j, idx int) int {
			if b[j] != '{' {
				notObject(arrLo, arrHi, idx)
				return s.skip(j)
			}
			for k := arrLo; k < arrHi; k++ {
				s.cur[k].seen = false
			}
			mark := len(s.at)
			s.at = append(s.at, name...)
			s.at = append(s.at, '[')
			s.at = strconv.AppendInt(s.at, int64(idx), 10)
			s.at = append(s.at, ']', '.')
			end := s.object(j, arrLo, arrHi)
			s.at = s.at[:mark]
			return end
		})
	}
	notObject(objLo, arrLo, -1)
	for k := arrLo; k < arrHi; k++ {
		s.fail(s.cur[k].path, s.concrete(s.cur[k].path, name, -1, false), "not an array")
	}
	return s.skip(i)
}

// array scans the array at b[i] == '[', calling elem with the offset and
// index of each element (elem returns the offset after it, or -1), and
// returns the offset after the array, or -1.
func (s *pathScanner) array(i int, elem func(j, idx int) int) int {
	b := s.b
	if s.depth++; s.depth > maxDepth {
		return -1
	}
	i = ws(b, i+1)
	if i < len(b) && b[i] == ']' {
		s.depth--
		return i + 1
	}
	for idx := 0; ; idx++ {
		if i >= len(b) {
			return -1
		}
		if i = elem(i, idx); i < 0 {
			return -1
		}
		i = ws(b, i)
		if i >= len(b) {
			return -1
		}
		switch b[i] {
		case ',':
			i = ws(b, i+1)
		case ']':
			s.depth--
			return i + 1
		default:
			return -1
		}
	}
}

// skip checks the JSON value at b[i] and returns the offset after it, or -1.
func (s *pathScanner) skip(i int) int {
	b := s.b
	if i >= len(b) {
		return -1
	}
	switch c := b[i]; {
	case c == '"':
		end, _ := scanString(b, i)
		return end
	case c == '{':
		return s.object(i, 0, 0)
	case c == '[':
		return s.array(i, s.skip2)
	case c == 't':
		return literal(b, i, "true")
	case c == 'f':
		return literal(b, i, "false")
	case c == 'n':
		return literal(b, i, "null")
	case c == '-' || c >= '0' && c <= '9':
		return scanNumber(b, i)
	}
	return -1
}

func (s *pathScanner) skip2(j, _ int) int { return s.skip(j) }

// validValue reports whether v is one JSON value, with optional spaces.
func validValue(v []byte) bool {
	s := pathScanner{b: v}
	i := ws(v, 0)
	end := s.skip(i)
	return end >= 0 && ws(v, end) == len(v)
}

func ws(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

func literal(b []byte, i int, lit string) int {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return -1
	}
	return i + len(lit)
}

// scanString checks the string at b[i] == '"' and returns the offset after
// its closing quote (or -1), and whether it has escapes.
func scanString(b []byte, i int) (int, bool) {
	escaped := false
	for i++; i < len(b); {
		switch c := b[i]; {
		case c == '"':
			return i + 1, escaped
		case c == '\\':
			escaped = true
			if i+1 >= len(b) {
				return -1, false
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if len(b)-i < 6 || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) || !isHex(b[i+5]) {
					return -1, false
				}
				i += 6
			default:
				return -1, false
			}
		case c < 0x20:
			return -1, false
		default:
			i++
		}
	}
	return -1, false
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// scanNumber checks the number at b[i] and returns the offset after it, or
// -1. What follows is the caller's to check.
func scanNumber(b []byte, i int) int {
	if b[i] == '-' {
		i++
	}
	switch {
	case i >= len(b):
		return -1
	case b[i] == '0':
		i++
	case isDigit(b[i]):
		for i++; i < len(b) && isDigit(b[i]); i++ {
		}
	default:
		return -1
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || !isDigit(b[i]) {
			return -1
		}
		for i++; i < len(b) && isDigit(b[i]); i++ {
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || !isDigit(b[i]) {
			return -1
		}
		for i++; i < len(b) && isDigit(b[i]); i++ {
		}
	}
	return i
}

// keyIs reports whether the raw object key (between its quotes) decodes to
// name, as encoding/json decodes it.
func keyIs(raw []byte, escaped bool, name string) bool {
	if !escaped {
		// Without escapes a key decodes to itself, except that invalid
		// UTF-8 becomes U+FFFD, and no path names such a key.
		return string(raw) == name
	}
	var k string
	if err := json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &k); err != nil {
		return false
	}
	return k == name
}
