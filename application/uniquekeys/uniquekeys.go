// Package uniquekeys keeps a customer's document and a vehicle's plate
// unique within a workshop. The read models are only eventually
// consistent, so a write claims its key synchronously first (Claimer) and
// the Store holds claims under blind indexes, never plaintext.
package uniquekeys

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Unique-key kinds: what the Store keeps unique within a workshop.
const (
	Document = "document" // a customer's CPF/CNPJ; owner is the customer
	Plate    = "plate"    // a vehicle's plate; owner is the vehicle
)

// Claim is the outcome of Store.Claim.
type Claim struct {
	// Holder owns the key now: the caller's owner when the claim succeeded.
	Holder uuid.UUID
	// Fresh is true when this call created the claim (so undoing it is the
	// caller's job if its write fails).
	Fresh bool
	// Age is how long the holder has held the key.
	Age time.Duration
}

// Store keeps values unique within the tenant in ctx, synchronously.
type Store interface {
	// Claim reserves key of kind for owner. When another owner holds it the
	// claim fails softly: the result names the holder and nothing changes.
	// Claiming a key the owner already holds succeeds with Fresh false.
	Claim(ctx context.Context, kind, key string, owner uuid.UUID) (Claim, error)
	// Takeover moves a key from a holder that no longer exists (a write that
	// died between claim and append) to owner; false when from no longer
	// holds it.
	Takeover(ctx context.Context, kind, key string, from, owner uuid.UUID) (bool, error)
	// Release frees key if owner holds it (no error otherwise).
	Release(ctx context.Context, kind, key string, owner uuid.UUID) error
	// ReleaseOwner frees every key of kind that owner holds.
	ReleaseOwner(ctx context.Context, kind string, owner uuid.UUID) error
}
