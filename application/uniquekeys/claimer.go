package uniquekeys

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/domain/errs"
)

// staleClaimAge is how long a claim whose holder never came to exist is
// respected: longer than any write takes between claim and append.
const staleClaimAge = time.Minute

// Claimer claims and releases the unique keys of values for the writes
// that store them.
type Claimer struct {
	// Index computes the blind index under which a value is kept unique.
	Index privacy.BlindIndexer
	// Store holds the claims.
	Store Store
	// Logger reports keys that could not be freed (a stale claim is taken
	// over later, so that is not the write's failure).
	Logger *slog.Logger
}

// Alive tells whether the holder of a key exists; a claim whose holder
// never came to exist is taken over once stale.
type Alive func(ctx context.Context, holder uuid.UUID) (bool, error)

// Held is a unique key held for a write; the zero value holds nothing.
type Held struct {
	c     Claimer
	kind  string
	key   string
	owner uuid.UUID
	fresh bool
}

// Undo frees the key when the write failed and the claim was made for it.
func (h Held) Undo(ctx context.Context) {
	if h.c.Store == nil || !h.fresh {
		return
	}
	if err := h.c.Store.Release(usecase.Detached(ctx), h.kind, h.key, h.owner); err != nil {
		h.c.Logger.WarnContext(ctx, "could not release a unique key after a failed write", "kind", h.kind, "err", err)
	}
}

// key is the blind index under which kind is kept unique, or "" when value
// is absent or not valid (the domain reports invalid values).
func (c Claimer) key(ctx context.Context, kind, value string) (string, error) {
	termOf := privacy.DocumentTerm
	if kind == Plate {
		termOf = privacy.PlateTerm
	}
	term, ok := termOf(value)
	if !ok {
		return "", nil
	}
	return c.Index.Index(ctx, term.Kind, term.Value)
}

// Claim reserves value of kind for owner before the write that stores it.
// Another live holder is a *errs.ConflictError naming it.
func (c Claimer) Claim(ctx context.Context, kind, value string, owner uuid.UUID, alive Alive) (Held, error) {
	key, err := c.key(ctx, kind, value)
	if err != nil || key == "" {
		return Held{}, err
	}
	cl, err := c.Store.Claim(ctx, kind, key, owner)
	if err != nil {
		return Held{}, fmt.Errorf("claim %s: %w", kind, err)
	}
	if cl.Holder == owner {
		return Held{c: c, kind: kind, key: key, owner: owner, fresh: cl.Fresh}, nil
	}
	if cl.Age > staleClaimAge {
		ok, err := alive(ctx, cl.Holder)
		if err != nil {
			return Held{}, err
		}
		if !ok {
			moved, err := c.Store.Takeover(ctx, kind, key, cl.Holder, owner)
			if err != nil {
				return Held{}, fmt.Errorf("take over %s: %w", kind, err)
			}
			if moved {
				return Held{c: c, kind: kind, key: key, owner: owner, fresh: true}, nil
			}
		}
	}
	return Held{}, duplicate(kind, cl.Holder)
}

func duplicate(kind string, holder uuid.UUID) error {
	msg := "a customer with this document already exists in this workshop"
	if kind == Plate {
		msg = "a vehicle with this plate already exists in this workshop"
	}
	return &errs.ConflictError{Field: kind, Code: "duplicate", Message: msg, ExistingID: holder.String()}
}

// Release frees the key of an old value after the write that replaced it;
// a failure is logged, not returned (the write stands).
func (c Claimer) Release(ctx context.Context, kind, value string, owner uuid.UUID) {
	key, err := c.key(ctx, kind, value)
	if err == nil && key != "" {
		err = c.Store.Release(usecase.Detached(ctx), kind, key, owner)
	}
	if err != nil {
		c.Logger.WarnContext(ctx, "could not release a replaced unique key", "kind", kind, "err", err)
	}
}
