package datasubject

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/auditlog"
	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/pagination"
)

// ListAuditLogInput filters the audit log of personal data reads.
type ListAuditLogInput struct {
	// SubjectID narrows to the reads of one person (uuid.Nil: everyone).
	SubjectID uuid.UUID
	// Actor narrows to one reader ("staff:<identity id>"; "": everyone).
	Actor string
	Page  pagination.Request
}

const cursorAudit = "a"

// ListAuditLog lists who read whose personal data, newest first (owners only).
func (u *UseCases) ListAuditLog(ctx context.Context, in ListAuditLogInput) (pagination.Page[auditlog.Entry], error) {
	if _, err := authz.Require(ctx, authz.ReadAuditLog); err != nil {
		return pagination.Page[auditlog.Entry]{}, err
	}
	limit, err := in.Page.Size()
	if err != nil {
		return pagination.Page[auditlog.Entry]{}, err
	}
	before, err := pagination.UUIDCursor(cursorAudit, in.Page.Cursor)
	if err != nil {
		return pagination.Page[auditlog.Entry]{}, err
	}
	entries, err := u.d.Audit.List(ctx, auditlog.Filter{SubjectID: in.SubjectID, Actor: strings.TrimSpace(in.Actor)}, before, limit+1)
	if err != nil {
		return pagination.Page[auditlog.Entry]{}, err
	}
	return pagination.Cut(entries, limit, cursorAudit, func(e auditlog.Entry) string { return e.ID.String() }), nil
}
