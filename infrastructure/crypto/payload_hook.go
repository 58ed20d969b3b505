package crypto

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/eventcodec"
)

var _ eventcodec.PayloadHook = (*FieldEncryptionHook)(nil)

// FieldEncryptionHook seals the personal fields of event payloads before
// storage and opens them after load (eventcodec.Codec.SetPayloadHook).
//
// Seal replaces each non-null field named in PayloadContext.Personal (a
// top-level field, or a path such as "Items[].Description", see rewritePaths)
// with {"enc": "<ciphertext>", "t": "<JSON type>"}; the ciphertext holds the
// field's JSON value under the subject's key, bound to tenant, subject and
// field "<event type>.<concrete path>". New personal data of an
// erased subject is refused (privacy.ErrErased). Open reverses it; for an erased subject it puts
// a placeholder of the recorded type instead ("[removido]", {}, [], 0, false),
// so old events still decode. Anything else that is wrong (a personal field
// not sealed, a ciphertext altered or moved) is an error wrapping
// privacy.ErrTampered: the event is not loaded rather than loaded wrong.
//
// The tenant comes from PayloadContext.Tenant, because projections run without
// a request context; every key lookup runs under row-level security for it.
type FieldEncryptionHook struct {
	c *EnvelopeCipher
}

// sealedField is the stored form of a personal field.
type sealedField struct {
	Enc string `json:"enc"`
	T   string `json:"t"`
}

// JSON type hints of sealed fields, and the value standing in for each once
// the subject is erased.
var placeholders = map[string]json.RawMessage{
	"s": json.RawMessage(`"` + privacy.Placeholder + `"`),
	"o": json.RawMessage(`{}`),
	"a": json.RawMessage(`[]`),
	"n": json.RawMessage(`0`),
	"b": json.RawMessage(`false`),
}

// jsonKind returns the type hint of a JSON value, or "" for null or garbage.
func jsonKind(v []byte) string {
	v = bytes.TrimLeft(v, " \t\r\n")
	if len(v) == 0 {
		return ""
	}
	switch c := v[0]; {
	case c == '"':
		return "s"
	case c == '{':
		return "o"
	case c == '[':
		return "a"
	case c == 't' || c == 'f':
		return "b"
	case c == '-' || c >= '0' && c <= '9':
		return "n"
	}
	return ""
}

func isEmptyString(v json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(v), []byte(`""`)) }

func isNull(v json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(v), []byte("null")) }

// Seal implements eventcodec.PayloadHook.
func (h *FieldEncryptionHook) Seal(ctx context.Context, pc eventcodec.PayloadContext, payload []byte) ([]byte, error) {
	if len(pc.Personal) == 0 {
		return payload, nil
	}
	t, err := hookTenant(ctx, pc)
	if err != nil {
		return nil, err
	}
	var subject uuid.UUID
	return rewritePaths(payload, pc.Personal, func(path string, v json.RawMessage) (json.RawMessage, error) {
		if isEmptyString(v) {
			// Holds no data: kept as is, so that an erased person's record
			// can still move (an order of theirs completes without a note).
			return v, nil
		}
		kind := jsonKind(v)
		if kind == "" {
			return nil, fmt.Errorf("seal %s.%s: not a JSON value", pc.EventType, path)
		}
		if subject == uuid.Nil {
			var err error
			if subject, err = hookSubject(pc); err != nil {
				return nil, err
			}
		}
		ct, err := h.c.encryptFor(ctx, t, subject, pc.EventType+"."+path, v)
		if err != nil {
			return nil, err
		}
		return json.Marshal(sealedField{Enc: ct, T: kind})
	})
}

// Open implements eventcodec.PayloadHook.
func (h *FieldEncryptionHook) Open(ctx context.Context, pc eventcodec.PayloadContext, payload []byte) ([]byte, error) {
	if len(pc.Personal) == 0 {
		return payload, nil
	}
	t, err := hookTenant(ctx, pc)
	if err != nil {
		return nil, err
	}
	var subject uuid.UUID
	return rewritePaths(payload, pc.Personal, func(path string, v json.RawMessage) (json.RawMessage, error) {
		if isEmptyString(v) {
			return v, nil
		}
		sf, err := decodeSealed(v)
		if err != nil {
			return nil, fmt.Errorf("open %s.%s: %w", pc.EventType, path, err)
		}
		if subject == uuid.Nil {
			if subject, err = hookSubject(pc); err != nil {
				return nil, fmt.Errorf("open %s.%s: %w: %w", pc.EventType, path, privacy.ErrTampered, err)
			}
		}
		pt, err := h.c.decryptFor(ctx, t, subject, pc.EventType+"."+path, sf.Enc)
		switch {
		case errors.Is(err, privacy.ErrErased):
			return placeholders[sf.T], nil
		case err != nil:
			return nil, err
		case jsonKind(pt) != sf.T || !json.Valid(pt):
			return nil, fmt.Errorf("open %s.%s: %w: type hint does not match the value", pc.EventType, path, privacy.ErrTampered)
		}
		return pt, nil
	})
}

// rewritePaths applies fn to every non-null value a personal path names in
// payload and returns the payload with the results (payload itself when no
// path names a value). A path is a top-level field ("Note"), or descends
// through objects with "." and through every element of an array with "[]"
// ("Items[].Description", "Item.Description"). fn receives the concrete path
// with array indexes ("Items[2].Description"), which is bound into the
// ciphertext, so a value moved to another element does not open.
func rewritePaths(payload []byte, paths []string, fn func(path string, v json.RawMessage) (json.RawMessage, error)) ([]byte, error) {
	fields, err := decodeObject(payload)
	if err != nil {
		return nil, err
	}
	changed := false
	for _, p := range paths {
		c, err := rewriteIn(fields, parsePath(p), "", fn)
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

type pathStep struct {
	name  string
	array bool
}

func parsePath(p string) []pathStep {
	var out []pathStep
	for _, part := range strings.Split(p, ".") {
		name, array := strings.CutSuffix(part, "[]")
		out = append(out, pathStep{name: name, array: array})
	}
	return out
}

// rewriteIn applies the path steps to the object fields, in place.
func rewriteIn(fields map[string]json.RawMessage, steps []pathStep, prefix string, fn func(string, json.RawMessage) (json.RawMessage, error)) (bool, error) {
	st := steps[0]
	v, ok := fields[st.name]
	if !ok || isNull(v) {
		return false, nil
	}
	at := prefix + st.name
	var err error
	switch {
	case !st.array && len(steps) == 1:
		fields[st.name], err = fn(at, v)
		return err == nil, err
	case !st.array:
		inner, err := decodeObject(v)
		if err != nil {
			return false, fmt.Errorf("%s: %w", at, err)
		}
		c, err := rewriteIn(inner, steps[1:], at+".", fn)
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
			if isNull(e) {
				continue
			}
			if elems[i], err = fn(ei, e); err != nil {
				return false, err
			}
			changed = true
			continue
		}
		inner, err := decodeObject(e)
		if err != nil {
			return false, fmt.Errorf("%s: %w", ei, err)
		}
		c, err := rewriteIn(inner, steps[1:], ei+".", fn)
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

// decodeSealed accepts exactly {"enc": string, "t": known hint}.
func decodeSealed(v json.RawMessage) (sealedField, error) {
	var sf sealedField
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sf); err != nil || dec.More() {
		return sf, fmt.Errorf("%w: personal field is not sealed", privacy.ErrTampered)
	}
	if _, ok := placeholders[sf.T]; !ok || sf.Enc == "" {
		return sf, fmt.Errorf("%w: personal field is not sealed", privacy.ErrTampered)
	}
	return sf, nil
}

func decodeObject(payload []byte) (map[string]json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(payload, &fields); err != nil || fields == nil {
		return nil, errors.New("payload with personal fields is not a JSON object")
	}
	return fields, nil
}

// hookTenant reads the tenant of the payload. A context that carries a
// different tenant is refused: it would mean one tenant's request is handling
// another tenant's event.
func hookTenant(ctx context.Context, pc eventcodec.PayloadContext) (tenant.ID, error) {
	t, err := tenant.Parse(pc.Tenant)
	if err != nil {
		return tenant.ID{}, fmt.Errorf("%s: payload tenant: %w", pc.EventType, err)
	}
	if ct, err := tenant.FromContext(ctx); err == nil && ct != t {
		return tenant.ID{}, fmt.Errorf("%s: payload of tenant %s handled in a context of tenant %s", pc.EventType, t, ct)
	}
	return t, nil
}

func hookSubject(pc eventcodec.PayloadContext) (uuid.UUID, error) {
	s, err := uuid.Parse(pc.Subject)
	if err != nil || s == uuid.Nil {
		return uuid.Nil, fmt.Errorf("%s carries personal fields but no valid data subject id (%q)", pc.EventType, pc.Subject)
	}
	return s, nil
}
