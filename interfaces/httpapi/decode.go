package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"
)

// RequestError is a client error found while reading a request, already
// shaped as the problem to send.
type RequestError struct{ Problem Problem }

func (e *RequestError) Error() string { return e.Problem.Detail }

func badRequest(status int, typ, detail string, issues ...FieldIssue) *RequestError {
	return &RequestError{Problem{Type: "/problems/" + typ, Status: status, Detail: detail, Errors: issues}}
}

// DecodeJSON reads a JSON object body into dst strictly: it must be valid
// UTF-8, a single JSON value, with no unknown fields and the right types. The
// error, if any, is a *RequestError naming the field at fault.
func DecodeJSON(r *http.Request, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return badRequest(http.StatusUnsupportedMediaType, "unsupported-media-type",
				"Send the body as application/json.")
		}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return badRequest(http.StatusRequestEntityTooLarge, "body-too-large", "The request body is larger than 1 MiB.")
		}
		return badRequest(http.StatusBadRequest, "malformed-json", "The request body could not be read.")
	}
	return DecodeJSONBytes(body, dst)
}

// DecodeJSONBytes is DecodeJSON for a body already read.
func DecodeJSONBytes(body []byte, dst any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return badRequest(http.StatusBadRequest, "malformed-json", "The request body is empty; send a JSON object.")
	}
	if !utf8.Valid(body) {
		return badRequest(http.StatusBadRequest, "malformed-json", "The request body is not valid UTF-8.",
			FieldIssue{Field: "", Code: "invalid_utf8", Message: "body must be UTF-8"})
	}
	if hasNUL(body) {
		// Postgres text and jsonb cannot hold U+0000: refused here, once for
		// every decoder, instead of a 500 from the database (issue 10 item 17).
		return badRequest(http.StatusBadRequest, "malformed-json", "Text may not contain the NUL character (\\u0000).",
			FieldIssue{Field: "", Code: "nul_character", Message: "text may not contain U+0000"})
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return badRequest(http.StatusBadRequest, "malformed-json", "Send exactly one JSON object.")
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest(http.StatusBadRequest, "malformed-json", "Send exactly one JSON object.")
	}
	return nil
}

func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return badRequest(http.StatusBadRequest, "malformed-json",
			fmt.Sprintf("The body is not valid JSON (at byte %d).", syntax.Offset))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest(http.StatusBadRequest, "malformed-json", "The body ends before the JSON value does.")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return badRequest(http.StatusBadRequest, "malformed-json", "Send a JSON object.")
		}
		return badRequest(http.StatusUnprocessableEntity, "validation", "A field has the wrong JSON type.",
			FieldIssue{Field: field, Code: "invalid_type", Message: "expected " + typ.Type.String() + ", got " + typ.Value})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return badRequest(http.StatusBadRequest, "unknown-field", "The body has a field this endpoint does not accept.",
			FieldIssue{Field: name, Code: "unknown_field", Message: "unknown field"})
	}
	var fe *FieldDecodeError
	if errors.As(err, &fe) {
		return badRequest(http.StatusUnprocessableEntity, "validation", "A field has the wrong JSON type.",
			FieldIssue{Field: fe.Field, Code: fe.Code, Message: fe.Message})
	}
	return badRequest(http.StatusBadRequest, "malformed-json", "The body is not valid JSON.")
}

// FieldDecodeError lets custom unmarshalers name the field at fault.
type FieldDecodeError struct{ Field, Code, Message string }

func (e *FieldDecodeError) Error() string { return e.Field + ": " + e.Message }

// Optional is a JSON merge-patch field: absent (Set false), null (Null true)
// or a value.
type Optional[T any] struct {
	Set   bool
	Null  bool
	Value T
}

// UnmarshalJSON records presence and nullness.
func (o *Optional[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Null = true
		return nil
	}
	// Nested objects (an address) are as strict as the top level: an unknown
	// key is refused, not silently dropped (issue 10 item 16).
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(&o.Value)
}

// Ptr returns nil when absent or null, else a pointer to the value.
func (o Optional[T]) Ptr() *T {
	if !o.Set || o.Null {
		return nil
	}
	v := o.Value
	return &v
}

// hasNUL reports whether a JSON text holds U+0000: a raw NUL byte or a \u0000
// escape (one preceded by an odd run of backslashes, so "\\u0000", an
// escaped backslash followed by "u0000", is not one).
func hasNUL(b []byte) bool {
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		j := i
		for j < len(b) && b[j] == '\\' {
			j++
		}
		if (j-i)%2 == 1 && j+5 <= len(b) && (b[j] == 'u' || b[j] == 'U') && string(b[j+1:j+5]) == "0000" {
			return true
		}
		i = j - 1
	}
	return false
}
