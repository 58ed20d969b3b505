package customer

import (
	"time"

	"github.com/google/uuid"
)

// ErasureRequested records that the person asked the workshop to erase their
// data (LGPD art. 18, VI), e.g. from the portal. It erases nothing: the
// workshop confirms the request by erasing (Erased), or keeps what the law
// obliges it to keep. Channel says where the request was made ("portal").
type ErasureRequested struct {
	CustomerID  uuid.UUID
	Channel     string
	RequestedAt time.Time
}

// EventName implements es.Event.
func (ErasureRequested) EventName() string { return "customer.erasure_requested.v1" }

// RequestErasure records the person's erasure request. Asking again while a
// request is pending records nothing (a retried request is harmless); an
// erased customer is errs.ErrNotFound.
func (c *Customer) RequestErasure(channel string, now time.Time) error {
	if err := c.checkActive(); err != nil {
		return err
	}
	if c.erasureRequested {
		return nil
	}
	c.rec.Record(ErasureRequested{CustomerID: c.id, Channel: channel, RequestedAt: now.UTC()})
	return nil
}

// ErasurePending reports whether the person asked for erasure and the
// workshop has not erased yet.
func (c *Customer) ErasurePending() bool { return c.erasureRequested && !c.erased }
