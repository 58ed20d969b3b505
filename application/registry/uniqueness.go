package registry

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/errs"
)

// staleClaimAge is how long a claim whose holder never came to exist is
// respected: longer than any write takes between claim and append.
const staleClaimAge = time.Minute

// claimed is a unique key held for a write; undo frees it if the write
// failed and the claim was made for it.
type claimed struct {
	s     *Service
	kind  string
	key   string
	owner uuid.UUID
	fresh bool
}

func (c claimed) undo(ctx context.Context) {
	if c.s == nil || !c.fresh {
		return
	}
	if err := c.s.d.Uniqueness.Release(cleanupCtx(ctx), c.kind, c.key, c.owner); err != nil {
		c.s.d.Logger.WarnContext(ctx, "could not release a unique key after a failed write", "kind", c.kind, "err", err)
	}
}

// uniqueKey is the blind index under which kind is kept unique, or "" when
// value is absent or not valid (the domain reports invalid values).
func (s *Service) uniqueKey(ctx context.Context, kind, value string) (string, error) {
	termOf := DocumentTerm
	if kind == UniquePlate {
		termOf = PlateTerm
	}
	term, ok := termOf(value)
	if !ok {
		return "", nil
	}
	return s.d.Index.Index(ctx, term.Kind, term.Value)
}

// claim reserves value of kind for owner before the write that stores it.
// alive tells whether a holder exists (a claim whose holder never came to
// exist is taken over once stale). Another live holder is a
// *errs.ConflictError naming it.
func (s *Service) claim(ctx context.Context, kind, value string, owner uuid.UUID,
	alive func(ctx context.Context, holder uuid.UUID) (bool, error)) (claimed, error) {
	key, err := s.uniqueKey(ctx, kind, value)
	if err != nil || key == "" {
		return claimed{}, err
	}
	c, err := s.d.Uniqueness.Claim(ctx, kind, key, owner)
	if err != nil {
		return claimed{}, fmt.Errorf("claim %s: %w", kind, err)
	}
	if c.Holder == owner {
		return claimed{s: s, kind: kind, key: key, owner: owner, fresh: c.Fresh}, nil
	}
	if c.Age > staleClaimAge {
		ok, err := alive(ctx, c.Holder)
		if err != nil {
			return claimed{}, err
		}
		if !ok {
			moved, err := s.d.Uniqueness.Takeover(ctx, kind, key, c.Holder, owner)
			if err != nil {
				return claimed{}, fmt.Errorf("take over %s: %w", kind, err)
			}
			if moved {
				return claimed{s: s, kind: kind, key: key, owner: owner, fresh: true}, nil
			}
		}
	}
	return claimed{}, duplicate(kind, c.Holder)
}

func duplicate(kind string, holder uuid.UUID) error {
	msg := "a customer with this document already exists in this workshop"
	if kind == UniquePlate {
		msg = "a vehicle with this plate already exists in this workshop"
	}
	return &errs.ConflictError{Field: kind, Code: "duplicate", Message: msg, ExistingID: holder.String()}
}

// release frees the key of an old value after the write that replaced it.
func (s *Service) release(ctx context.Context, kind, value string, owner uuid.UUID) {
	key, err := s.uniqueKey(ctx, kind, value)
	if err == nil && key != "" {
		err = s.d.Uniqueness.Release(cleanupCtx(ctx), kind, key, owner)
	}
	if err != nil {
		s.d.Logger.WarnContext(ctx, "could not release a replaced unique key", "kind", kind, "err", err)
	}
}

// customerAlive reports whether a customer exists and is not erased.
func (s *Service) customerAlive(ctx context.Context, id uuid.UUID) (bool, error) {
	c, err := s.customers.Load(ctx, id)
	if errors.Is(err, errs.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !c.IsErased(), nil
}

// vehicleAlive reports whether a vehicle exists and its owner is not erased.
func (s *Service) vehicleAlive(ctx context.Context, id uuid.UUID) (bool, error) {
	v, err := s.vehicles.Load(ctx, id)
	if errors.Is(err, errs.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return s.customerAlive(ctx, v.CustomerID())
}
