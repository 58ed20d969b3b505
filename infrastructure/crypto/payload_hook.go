package crypto

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/eventcodec"
)

var _ eventcodec.PayloadHook = (*FieldEncryptionHook)(nil)

// FieldEncryptionHook seals the personal fields of event payloads before
// storage and opens them after load (eventcodec.Codec.SetPayloadHook).
//
// Seal replaces each non-null top-level field named in PayloadContext.Personal
// with {"enc": "<ciphertext>", "t": "<JSON type>"}; the ciphertext holds the
// field's JSON value under the subject's key, bound to tenant, subject and
// field "<event type>.<field>". Open reverses it; for an erased subject it puts
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
	fields, err := decodeObject(payload)
	if err != nil {
		return nil, err
	}
	var subject uuid.UUID
	changed := false
	for _, f := range pc.Personal {
		v, ok := fields[f]
		if !ok || isNull(v) {
			continue
		}
		kind := jsonKind(v)
		if kind == "" {
			return nil, fmt.Errorf("seal %s.%s: not a JSON value", pc.EventType, f)
		}
		if subject == uuid.Nil {
			if subject, err = hookSubject(pc); err != nil {
				return nil, err
			}
		}
		ct, err := h.c.encryptFor(ctx, t, subject, pc.EventType+"."+f, v)
		if err != nil {
			return nil, err
		}
		if fields[f], err = json.Marshal(sealedField{Enc: ct, T: kind}); err != nil {
			return nil, err
		}
		changed = true
	}
	if !changed {
		return payload, nil
	}
	return json.Marshal(fields)
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
	fields, err := decodeObject(payload)
	if err != nil {
		return nil, err
	}
	var subject uuid.UUID
	changed := false
	for _, f := range pc.Personal {
		v, ok := fields[f]
		if !ok || isNull(v) {
			continue
		}
		sf, err := decodeSealed(v)
		if err != nil {
			return nil, fmt.Errorf("open %s.%s: %w", pc.EventType, f, err)
		}
		if subject == uuid.Nil {
			if subject, err = hookSubject(pc); err != nil {
				return nil, fmt.Errorf("open %s.%s: %w: %w", pc.EventType, f, privacy.ErrTampered, err)
			}
		}
		pt, err := h.c.decryptFor(ctx, t, subject, pc.EventType+"."+f, sf.Enc)
		switch {
		case errors.Is(err, privacy.ErrErased):
			fields[f] = placeholders[sf.T]
		case err != nil:
			return nil, err
		case jsonKind(pt) != sf.T || !json.Valid(pt):
			return nil, fmt.Errorf("open %s.%s: %w: type hint does not match the value", pc.EventType, f, privacy.ErrTampered)
		default:
			fields[f] = pt
		}
		changed = true
	}
	if !changed {
		return payload, nil
	}
	return json.Marshal(fields)
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
