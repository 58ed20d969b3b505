package br_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/torquehq/torque/domain/br"
)

func TestValidationError_errorAndUnwrap(t *testing.T) {
	t.Parallel()
	err := error(&br.ValidationError{Field: "cpf", Code: br.CodeInvalidLength, Message: "CPF must have 11 digits"})
	if got, want := err.Error(), "cpf: CPF must have 11 digits (invalid_length)"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, br.ErrInvalid) {
		t.Fatal("errors.Is(err, ErrInvalid) = false")
	}
	wrapped := fmt.Errorf("create customer: %w", err)
	var ve *br.ValidationError
	if !errors.As(wrapped, &ve) || ve.Code != br.CodeInvalidLength {
		t.Fatalf("errors.As through wrapping failed: %v", wrapped)
	}
	noField := &br.ValidationError{Code: "x", Message: "m"}
	if got := noField.Error(); got != "m (x)" {
		t.Fatalf("Error() without field = %q", got)
	}
}

func TestWithField_overridesCopy(t *testing.T) {
	t.Parallel()
	_, orig := br.ParsePhone("123")
	got := br.WithField(fmt.Errorf("wrap: %w", orig), "owner_phone")
	var ve *br.ValidationError
	if !errors.As(got, &ve) || ve.Field != "owner_phone" || ve.Code != br.CodeInvalidLength {
		t.Fatalf("WithField = %#v", got)
	}
	var o *br.ValidationError
	errors.As(orig, &o)
	if o.Field != "phone" {
		t.Fatalf("original mutated: field = %q", o.Field)
	}
	plain := errors.New("boom")
	if br.WithField(plain, "x") != plain { //nolint:errorlint // identity: the very same value must come back
		t.Fatal("non-validation error should be returned unchanged")
	}
	if br.WithField(nil, "x") != nil {
		t.Fatal("nil should stay nil")
	}
}

func TestCodes_stableValues(t *testing.T) {
	t.Parallel()
	// These strings are a public contract (API clients, pt-BR catalogue).
	tests := []struct{ got, want string }{
		{br.CodeRequired, "required"},
		{br.CodeInvalidFormat, "invalid_format"},
		{br.CodeInvalidCheckDigit, "invalid_check_digit"},
		{br.CodeInvalidLength, "invalid_length"},
		{br.CodeOutOfRange, "out_of_range"},
		{br.CodeUnknownValue, "unknown_value"},
		{br.CodeRepeatedDigits, "repeated_digits"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("code = %q, want %q", tt.got, tt.want)
		}
	}
}
