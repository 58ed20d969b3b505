// Package cep declares the port through which Torque turns a Brazilian postal
// code (CEP) into an address, so a form can fill street, district, city and
// state. The lookup is a convenience: when the service is unreachable the
// person types the address by hand.
package cep

import (
	"context"
	"errors"
)

// Address is what a CEP names. Number is never known from the CEP alone.
type Address struct {
	PostalCode string // 8 digits
	Street     string
	Complement string
	District   string
	City       string
	State      string // UF, e.g. "SP"
}

// ErrNotFound means the CEP is well formed but the service does not know it.
var ErrNotFound = errors.New("cep: not found")

// ErrInvalid means the input is not a CEP (8 digits, optionally "NNNNN-NNN").
var ErrInvalid = errors.New("cep: invalid")

// Lookup resolves a CEP. Implementations return ErrInvalid, ErrNotFound, or
// another error when the service cannot answer (timeout, outage).
type Lookup interface {
	Lookup(ctx context.Context, cep string) (Address, error)
}

// Digits returns the 8 digits of a CEP typed any way ("01001-000",
// "01.001-000"), or ErrInvalid.
func Digits(s string) (string, error) {
	out := make([]byte, 0, 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			out = append(out, c)
		case c == '-' || c == '.' || c == ' ':
		default:
			return "", ErrInvalid
		}
	}
	if len(out) != 8 {
		return "", ErrInvalid
	}
	return string(out), nil
}
