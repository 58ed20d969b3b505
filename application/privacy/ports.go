// Package privacy declares the ports of field-level encryption, crypto-shredding
// and blind indexes (LGPD), and the pure helpers that the command and query
// sides must compute identically (name search terms).
//
// The tenant of every operation comes from the context and resolution fails
// closed: without a tenant every method returns tenant.ErrNoTenant.
package privacy

import (
	"context"
	"errors"

	"github.com/google/uuid"
)

// Placeholder replaces personal data whose subject was erased (crypto-shredded)
// wherever a value must still be shown or decoded.
const Placeholder = "[removido]"

var (
	// ErrErased: the data subject's key was destroyed (crypto-shredding); the
	// data can never be read again. Callers show Placeholder.
	ErrErased = errors.New("personal data erased")
	// ErrTampered: a ciphertext is malformed, was altered, or belongs to another
	// tenant, subject or field. No data is ever returned with it.
	ErrTampered = errors.New("ciphertext tampered or not bound to this record")
)

// Cipher encrypts personal data fields of one data subject (e.g. a customer)
// with that subject's own data key, so that shredding the key erases every
// copy of the data, including the copies in immutable events.
type Cipher interface {
	// Encrypt seals plaintext for the subject and field of the tenant in ctx.
	// field names the place the value lives (e.g. "customer.registered.v1.Name");
	// the ciphertext only decrypts under the same tenant, subject and field.
	// The subject's key is created on first use (concurrent first uses agree on
	// one key). It fails with ErrErased when the subject was already shredded:
	// an erased person never gets new personal data under the same id.
	Encrypt(ctx context.Context, subject uuid.UUID, field string, plaintext []byte) (string, error)
	// Decrypt opens a ciphertext made by Encrypt for the same tenant, subject
	// and field. It returns ErrErased when the subject's key was shredded and
	// ErrTampered when the ciphertext is malformed, altered or moved from
	// another record; it never returns altered data.
	Decrypt(ctx context.Context, subject uuid.UUID, field string, ciphertext string) ([]byte, error)
}

// SubjectKeys manages the life of data subjects' keys.
type SubjectKeys interface {
	// Shred destroys the subject's data key in the tenant of ctx (the right to
	// erasure): afterwards every Decrypt for the subject returns ErrErased and
	// Encrypt refuses the subject. It is idempotent, and shredding a subject that
	// never had a key still blocks any future key. Other processes may keep
	// using a cached copy of the key for at most the adapter's cache TTL.
	Shred(ctx context.Context, subject uuid.UUID) error
}

// Blind-index kinds. Each kind is a separate HMAC domain, so equal values of
// different kinds never produce equal indexes. The normalised value of the
// first four is the String() of the parsed domain/br value object.
const (
	KindDocument   = "document"    // br.Document: CPF digits or CNPJ
	KindEmail      = "email"       // br.Email: lower-case bare address
	KindPhone      = "phone"       // br.Phone: E.164
	KindPlate      = "plate"       // br.Plate: upper-case, no separator
	KindNameWord   = "name_word"   // a whole name word shorter than NamePrefixLen letters
	KindNamePrefix = "name_prefix" // the first NamePrefixLen letters of a longer name word
)

// BlindIndexer computes blind indexes: keyed hashes that allow exact-match
// lookups of encrypted values without decrypting them. They leak equality (two
// records with equal indexes hold equal values) and nothing else.
type BlindIndexer interface {
	// Index returns the tenant's blind index of an already normalised value of
	// the given kind (one of the Kind constants; others are refused). It is
	// deterministic per tenant and differs between tenants. Normalisation is the
	// caller's job and must be identical on the write and the query side.
	Index(ctx context.Context, kind string, normalised string) (string, error)
}

// KeyRotator re-wraps tenant keys after the master key ring changed.
type KeyRotator interface {
	// RotateMasterKeys re-wraps every tenant key that is not wrapped by the
	// current (first) master key and returns how many it re-wrapped. It is
	// idempotent, safe to run while the application serves traffic, and may run
	// more than once (a second run re-wraps nothing).
	RotateMasterKeys(ctx context.Context) (rewrapped int, err error)
}
