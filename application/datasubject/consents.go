package datasubject

import (
	"context"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/pagination"
)

// consents reads the customer's consent history and records the read.
func (u *UseCases) consents(ctx context.Context, p authz.Principal, customerID uuid.UUID) ([]Consent, error) {
	list, err := u.d.Consents.Consents(ctx, customerID)
	if err != nil {
		return nil, err
	}
	var rs auditlog.Reads
	if len(list) > 0 {
		rs.Add(customerID, "consents")
	}
	if err := u.audit.Record(ctx, p, EndpointListConsents, rs); err != nil {
		return nil, err
	}
	return pagination.NonNil(list), nil
}
