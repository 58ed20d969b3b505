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

// decodeSealed accepts exactly {"enc": string, "t": known hint}.
func decodeSealed(v json.RawMessage) (sealedField, error) {
	if sf, ok := decodeSealedCompact(v); ok {
		return sf, nil
	}
	return decodeSealedAny(v)
}

// decodeSealedAny is decodeSealed for any spelling of the object.
func decodeSealedAny(v json.RawMessage) (sealedField, error) {
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

// decodeSealedCompact reads a sealed field spelled exactly as Seal writes it,
// {"enc":"…","t":"s"} with a printable ASCII ciphertext and no escapes, without a
// decoder. Any other spelling is not ok, and left to the decoder to judge.
func decodeSealedCompact(v []byte) (sealedField, bool) {
	const pre, mid = `{"enc":"`, `","t":"`
	if len(v) < len(pre)+len(mid)+3 || string(v[:len(pre)]) != pre || string(v[len(v)-2:]) != `"}` {
		return sealedField{}, false
	}
	rest := v[len(pre) : len(v)-2] // …","t":"s
	q := bytes.IndexByte(rest, '"')
	if q <= 0 || len(rest)-q != len(mid)+1 || string(rest[q:q+len(mid)]) != mid {
		return sealedField{}, false
	}
	for _, c := range rest[:q] {
		if c < 0x20 || c > 0x7e || c == '\\' {
			return sealedField{}, false
		}
	}
	var t string
	switch rest[len(rest)-1] {
	case 's':
		t = "s"
	case 'o':
		t = "o"
	case 'a':
		t = "a"
	case 'n':
		t = "n"
	case 'b':
		t = "b"
	default:
		return sealedField{}, false
	}
	return sealedField{Enc: string(rest[:q]), T: t}, true
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
