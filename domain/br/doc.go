// Package br holds Brazilian value objects (CPF, CNPJ, CEP, UF, phone
// numbers, e-mail, vehicle plates, money in BRL and odometer readings).
//
// The package follows "parse, don't validate": every user-supplied string is
// parsed once, at the edge (HTTP handler, CSV import, seeder), into a small
// immutable type whose fields are unexported. Code deeper in the system then
// receives a CPF or a Plate instead of a string, so it never has to wonder
// whether the value was checked, normalised or formatted.
//
// Every parser returns a *ValidationError with a stable Code so that the
// transport layer can translate it (pt-BR messages live elsewhere) and so
// that clients can react to it programmatically.
//
// The package depends only on the standard library on purpose: it is shared
// by the API, the workers and the seeder, and must stay cheap to import.
package br
