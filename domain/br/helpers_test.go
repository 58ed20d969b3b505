package br_test

import (
	"errors"
	"testing"

	"github.com/torquehq/torque/domain/br"
)

// requireCode asserts err is a *br.ValidationError with the wanted code (and
// field, when non-empty); want == "" means err must be nil.
func requireCode(t *testing.T, err error, wantCode, wantField string) {
	t.Helper()
	if wantCode == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("expected error with code %q, got nil", wantCode)
	}
	var ve *br.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *br.ValidationError", err, err)
	}
	if ve.Code != wantCode {
		t.Fatalf("code = %q, want %q (error: %v)", ve.Code, wantCode, err)
	}
	if wantField != "" && ve.Field != wantField {
		t.Fatalf("field = %q, want %q", ve.Field, wantField)
	}
	if ve.Message == "" {
		t.Fatalf("empty message for %v", err)
	}
	if !errors.Is(err, br.ErrInvalid) {
		t.Fatalf("errors.Is(err, ErrInvalid) = false for %v", err)
	}
}

// checkFuzzError is the failure-side property shared by all fuzz targets:
// whatever the input, a rejection is a *ValidationError with a non-empty
// code and the parser's default field.
func checkFuzzError(t *testing.T, err error, field string) {
	t.Helper()
	var ve *br.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *br.ValidationError", err, err)
	}
	if ve.Code == "" || ve.Message == "" {
		t.Fatalf("empty code or message: %#v", ve)
	}
	if ve.Field != field {
		t.Fatalf("field = %q, want %q", ve.Field, field)
	}
	if !errors.Is(err, br.ErrInvalid) {
		t.Fatalf("errors.Is(err, ErrInvalid) = false for %v", err)
	}
}
