// Package authz decides who may do what. The role × action matrix lives here,
// in one place, and every use case asks it (not only the HTTP middleware).
package authz

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/tenant"
)

// Role is a principal's role in a workshop or franchise.
type Role struct{ s string }

// Roles.
var (
	RoleOwner            = Role{"owner"}
	RoleManager          = Role{"manager"}
	RoleAdvisor          = Role{"advisor"}
	RoleMechanic         = Role{"mechanic"}
	RoleFranchiseManager = Role{"franchise_manager"}
	RoleCustomer         = Role{"customer"}
)

// StaffRoles are the roles a workshop can grant to its staff.
var StaffRoles = []Role{RoleOwner, RoleManager, RoleAdvisor, RoleMechanic}

// ParseStaffRole parses one of the workshop staff roles.
func ParseStaffRole(s string) (Role, error) {
	for _, r := range StaffRoles {
		if r.s == s {
			return r, nil
		}
	}
	return Role{}, errs.Invalid("role", "unknown_value", "role must be one of owner, manager, advisor, mechanic")
}

// ParseRole parses any role name, including franchise_manager and customer.
func ParseRole(s string) (Role, error) {
	for _, r := range append(StaffRoles, RoleFranchiseManager, RoleCustomer) {
		if r.s == s {
			return r, nil
		}
	}
	return Role{}, fmt.Errorf("unknown role %q", s)
}

// String returns the role name.
func (r Role) String() string { return r.s }

// IsZero reports an unset role.
func (r Role) IsZero() bool { return r.s == "" }

// Action is something a principal may attempt.
type Action string

// Actions. Keep docs/permissions.md in step with the matrix below.
const (
	ReadWorkshop   Action = "workshop.read"
	UpdateWorkshop Action = "workshop.update"
	ManageBilling  Action = "workshop.billing"
	// ManageSecurity turns the workshop's security policy (require a second
	// factor for everyone) on and off.
	ManageSecurity      Action = "workshop.security"
	ListStaff           Action = "staff.list"
	InviteStaff         Action = "staff.invite"
	ChangeStaffRole     Action = "staff.change_role"
	RemoveStaff         Action = "staff.remove"
	ReadCustomer        Action = "customer.read"
	ReadCustomerPII     Action = "customer.read_personal"
	WriteCustomer       Action = "customer.write"
	ExportCustomer      Action = "customer.export"
	EraseCustomer       Action = "customer.erase"
	ManageConsent       Action = "customer.consent"
	WriteNote           Action = "customer.note"
	ReadVehicle         Action = "vehicle.read"
	WriteVehicle        Action = "vehicle.write"
	TransferVehicle     Action = "vehicle.transfer"
	ReadServiceOrder    Action = "service_order.read"
	OpenServiceOrder    Action = "service_order.open"
	ChangeOrderStatus   Action = "service_order.status"
	ReadInvoice         Action = "invoice.read"
	SendQuote           Action = "service_order.quote"
	ReadAuditLog        Action = "audit.read"
	EditPrivacyPolicy   Action = "privacy_policy.edit"
	ReadReports         Action = "reports.read"
	ManageFranchise     Action = "franchise.manage"
	ManageCatalog       Action = "catalog.manage"
	ReadFranchiseReport Action = "franchise.reports"
	// ReadMessages lists messages to car owners; ManageMessaging edits
	// message templates and sends campaigns.
	ReadMessages    Action = "message.read"
	ManageMessaging Action = "message.manage"
	// ReadAppointments, ManageAppointments and ManageBooking are the back
	// office's side of online booking: the calendar, the appointments'
	// statuses (arrival opens a service order) and the booking settings.
	ReadAppointments   Action = "appointment.read"
	ManageAppointments Action = "appointment.manage"
	ManageBooking      Action = "booking.settings"
	// ReadReminders lists the upcoming preventive-maintenance reminders;
	// DismissReminder stops one due cycle's reminder.
	ReadReminders   Action = "reminders.read"
	DismissReminder Action = "reminders.dismiss"
	// PortalRead and PortalWrite are a car owner's actions in a workshop's
	// portal, always limited to Principal.CustomerIDs.
	PortalRead  Action = "portal.read"
	PortalWrite Action = "portal.write"
	// ReadSupport reads tickets and chat conversations; AnswerSupport
	// answers, assigns and moves them; ManageArticles edits the help centre.
	ReadSupport    Action = "support.read"
	AnswerSupport  Action = "support.answer"
	ManageArticles Action = "support.articles"
)

// matrix is the single source of truth: role → allowed actions. Least
// privilege: mechanics see vehicles and jobs but no personal data; franchise
// managers see aggregates, never personal data.
var matrix = map[Role]map[Action]bool{
	RoleOwner: set(ReadWorkshop, UpdateWorkshop, ManageBilling, ManageSecurity, ListStaff, InviteStaff, ChangeStaffRole, RemoveStaff,
		ReadCustomer, ReadCustomerPII, WriteCustomer, ExportCustomer, EraseCustomer, ManageConsent, WriteNote,
		ReadVehicle, WriteVehicle, TransferVehicle, ReadServiceOrder, OpenServiceOrder, ChangeOrderStatus,
		ReadInvoice, SendQuote, ReadAuditLog, EditPrivacyPolicy, ReadReports, ManageFranchise, ManageCatalog,
		ReadMessages, ManageMessaging,
		ReadAppointments, ManageAppointments, ManageBooking, ReadReminders, DismissReminder,
		ReadSupport, AnswerSupport, ManageArticles),
	RoleManager: set(ReadWorkshop, UpdateWorkshop, ListStaff, InviteStaff, ChangeStaffRole, RemoveStaff,
		ReadCustomer, ReadCustomerPII, WriteCustomer, ExportCustomer, ManageConsent, WriteNote,
		ReadVehicle, WriteVehicle, TransferVehicle, ReadServiceOrder, OpenServiceOrder, ChangeOrderStatus,
		ReadInvoice, SendQuote, ReadReports, ManageCatalog, ReadMessages, ManageMessaging,
		ReadAppointments, ManageAppointments, ManageBooking, ReadReminders, DismissReminder,
		ReadSupport, AnswerSupport, ManageArticles),
	RoleAdvisor: set(ReadWorkshop, ListStaff,
		ReadCustomer, ReadCustomerPII, WriteCustomer, ManageConsent, WriteNote,
		ReadVehicle, WriteVehicle, TransferVehicle, ReadServiceOrder, OpenServiceOrder, ChangeOrderStatus, ReadInvoice, SendQuote, ReadMessages,
		ReadAppointments, ManageAppointments, ReadReminders, DismissReminder,
		ReadSupport, AnswerSupport),
	RoleMechanic: set(ReadWorkshop, ReadCustomer, WriteNote, ReadVehicle, ReadServiceOrder, ChangeOrderStatus,
		ReadAppointments),
	RoleFranchiseManager: set(ReadFranchiseReport),
	RoleCustomer:         set(PortalRead, PortalWrite),
}

func set(actions ...Action) map[Action]bool {
	m := make(map[Action]bool, len(actions))
	for _, a := range actions {
		m[a] = true
	}
	return m
}

// Allowed reports whether role may perform action.
func Allowed(role Role, action Action) bool { return matrix[role][action] }

// Matrix returns a copy of the matrix for documentation and tests.
func Matrix() map[string][]string {
	out := map[string][]string{}
	for r, acts := range matrix {
		for a := range acts {
			out[r.s] = append(out[r.s], string(a))
		}
	}
	return out
}

// Principal is who is acting, inside one workshop.
type Principal struct {
	IdentityID string
	Email      string
	Name       string
	Tenant     tenant.ID
	Role       Role
	// ReadOnly is set when the workshop's subscription is canceled or
	// suspended: it may still read and export, but not change anything.
	ReadOnly bool
	// AAL is the session's authenticator assurance level: "aal1" (one
	// factor) or "aal2" (a second factor too). Empty for principals not made
	// from a session (tests, the worker).
	AAL string
	// AuthenticatedAt is when the person last proved who they are (login or
	// refresh). Zero when not made from a session.
	AuthenticatedAt time.Time
	// StaleAuthentication is set when AuthenticatedAt is older than the
	// privileged-session age: Privileged actions then fail with
	// errs.ErrReauthenticate until the person signs in again (issue 10 item 4).
	StaleAuthentication bool
	// CustomerIDs are, for RoleCustomer only, the customer records of this
	// workshop whose e-mail the portal session has proven; a car owner acts
	// for these and nothing else.
	CustomerIDs []uuid.UUID
}

// ActsFor reports whether a car owner's principal may act for the customer
// record id (always false for staff: staff rights come from the role).
func (p Principal) ActsFor(id uuid.UUID) bool {
	if p.Role != RoleCustomer {
		return false
	}
	for _, c := range p.CustomerIDs {
		if c == id {
			return true
		}
	}
	return false
}

// readActions stay allowed for a read-only workshop.
var readActions = set(ReadWorkshop, ManageBilling, ListStaff, ReadCustomer, ReadCustomerPII, ExportCustomer,
	ReadVehicle, ReadServiceOrder, ReadInvoice, ReadAuditLog, ReadReports, ReadFranchiseReport, PortalRead, ReadMessages, ReadAppointments, ReadReminders, ReadSupport)

// privilegedActions need a recent authentication: they destroy or hand out
// personal data, or change who may do what.
var privilegedActions = set(EraseCustomer, ExportCustomer, ChangeStaffRole, RemoveStaff, ManageSecurity)

// Privileged reports whether action needs a recent authentication (a
// session younger than the privileged-session age).
func Privileged(a Action) bool { return privilegedActions[a] }

// IsWrite reports whether the action changes data.
func IsWrite(a Action) bool { return !readActions[a] }

type ctxKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// PrincipalFrom returns the principal of ctx.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(ctxKey{}).(Principal)
	return p, ok
}

// Require fails with errs.ErrForbidden unless the principal in ctx may do
// action in the tenant of ctx, with errs.ErrUnauthenticated when there is
// no principal, and with errs.ErrReauthenticate for a Privileged action when
// the principal's authentication is stale. Use cases call it first.
func Require(ctx context.Context, action Action) (Principal, error) {
	p, ok := PrincipalFrom(ctx)
	if !ok {
		return Principal{}, errs.ErrUnauthenticated
	}
	t, err := tenant.FromContext(ctx)
	if err != nil || t != p.Tenant {
		return Principal{}, fmt.Errorf("principal not scoped to this workshop: %w", errs.ErrNotFound)
	}
	if !Allowed(p.Role, action) {
		return Principal{}, fmt.Errorf("role %s may not %s: %w", p.Role, action, errs.ErrForbidden)
	}
	if p.ReadOnly && IsWrite(action) {
		return Principal{}, fmt.Errorf("%s: %w", action, errs.ErrReadOnly)
	}
	if p.StaleAuthentication && Privileged(action) {
		return Principal{}, fmt.Errorf("%s: %w", action, errs.ErrReauthenticate)
	}
	return p, nil
}
