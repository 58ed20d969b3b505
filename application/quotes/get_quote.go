package quotes

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/errs"
)

// EndpointGetQuote names the staff read of a quote in the audit log.
const EndpointGetQuote = "quotes.GetQuote"

// GetQuote returns the current quote of an order with each line's decision
// and the decision's evidence (permission service_order.read). The evidence's
// personal data (e-mail, IP, user agent) is shown only to roles that may
// read personal data, and that read is audited. An order without a quote
// is errs.ErrNotFound.
func (u *UseCases) GetQuote(ctx context.Context, orderID uuid.UUID) (Quote, error) {
	p, err := authz.Require(ctx, authz.ReadServiceOrder)
	if err != nil {
		return Quote{}, err
	}
	o, err := u.orders.Load(ctx, orderID)
	if err != nil {
		return Quote{}, err
	}
	q, ok := o.CurrentQuote()
	if !ok {
		return Quote{}, fmt.Errorf("service order %s has no quote: %w", orderID, errs.ErrNotFound)
	}
	withPII := authz.Allowed(p.Role, authz.ReadCustomerPII)
	out := view(o, q, withPII)
	if withPII && out.Decision != nil {
		var rs auditlog.Reads
		rs.Add(o.CustomerID(), FieldEvidenceEmail, FieldEvidenceIP, FieldEvidenceUserAgent)
		if err := u.audit.Record(ctx, p, EndpointGetQuote, rs); err != nil {
			return Quote{}, err
		}
	}
	return out, nil
}
