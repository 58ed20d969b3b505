// Package identity declares the ports through which Torque authenticates people
// and manages their accounts. Authentication is delegated to Ory (Kratos self-hosted
// locally, Ory Network in production); infrastructure/ory implements these ports.
//
// Roles and memberships are NOT identity data: they live in Torque. An Identity only
// says who someone is (schema, e-mail, name, phone) and whether the account may log in.
package identity

import (
	"context"
	"time"
)

// Identity schema ids, as configured in Kratos (deploy/ory/identity.*.schema.json).
const (
	// SchemaStaff is workshop staff and franchise managers (traits: email, name).
	SchemaStaff = "staff"
	// SchemaCustomer is car owners using a workshop portal (traits: name, and email
	// and/or phone).
	SchemaCustomer = "customer"
)

// Identity is a person known to the identity provider.
type Identity struct {
	// ID is the provider's stable identifier (a UUID for Kratos).
	ID string
	// Schema is SchemaStaff or SchemaCustomer.
	Schema string
	// Email is lower-cased; empty for a customer known only by phone.
	Email string
	// Name is the display name.
	Name string
	// Phone is E.164 (e.g. "+5511987654321"); customers only, may be empty.
	Phone string
	// Active is false once the account is disabled: it can neither log in nor use
	// an existing session.
	Active bool
	// Verified reports whether the identity's e-mail address has been verified.
	Verified bool
}

// Session is an authenticated session of an Identity.
type Session struct {
	// ID is the provider's session id (not the secret token).
	ID string
	// Identity is the session's owner as it was when the session was validated.
	Identity Identity
	// ExpiresAt is when the provider stops accepting the session.
	ExpiresAt time.Time
	// AuthenticatedAt is when the person last proved who they are (login or recovery).
	AuthenticatedAt time.Time
	// AAL is the authenticator assurance level the session reached: AAL1 (one
	// factor) or AAL2 (a second factor, e.g. TOTP, too).
	AAL string
}

// Authenticator assurance levels (Kratos's session.authenticator_assurance_level).
const (
	AAL1 = "aal1"
	AAL2 = "aal2"
)

// Authenticator turns credentials presented by a caller into a Session.
//
// Every method reports missing, invalid, expired or revoked sessions and wrong
// credentials as errs.ErrUnauthenticated, and errs.ErrRateLimited when the provider
// throttles. Errors never contain tokens, cookies or passwords.
type Authenticator interface {
	// SessionFromToken validates a session token, as sent in
	// "Authorization: Bearer <token>". Results may be cached briefly (seconds), so
	// a session revoked elsewhere can remain usable for that long in this process.
	SessionFromToken(ctx context.Context, token string) (Session, error)

	// SessionFromCookie validates the browser session cookie. cookieHeader is the
	// request's raw Cookie header, passed through unchanged (the provider picks its
	// own cookie out of it). Cached like SessionFromToken.
	SessionFromCookie(ctx context.Context, cookieHeader string) (Session, error)

	// LoginWithPassword runs the provider's API (non-browser) login flow and returns
	// a session token for "Authorization: Bearer". A wrong password, an unknown
	// e-mail and a disabled account give the same errs.ErrUnauthenticated, so the
	// answer never reveals whether an account exists.
	//
	// WARNING: any identity with a password may log in, staff or customer; the
	// caller decides from Session.Identity.Schema what the session may reach.
	LoginWithPassword(ctx context.Context, email, password string) (token string, expiresAt time.Time, err error)

	// Forget drops any cached validation of the session of a bearer token or a
	// Cookie header (either may be empty), so that the next lookup asks the
	// provider: called when a request is refused for a missing second factor
	// or a stale authentication, which the person then fixes at the provider.
	Forget(token, cookieHeader string)

	// Logout revokes a session token and forgets any cached validation of it.
	// A token the provider does not know gives errs.ErrUnauthenticated; revoking an
	// already revoked token succeeds.
	Logout(ctx context.Context, token string) error
}

// Directory administers identities. It is a privileged port: only application
// services that have already checked the caller's permissions may use it.
//
// Errors: errs.ErrNotFound for an unknown id, errs.ErrConflict when the e-mail or
// phone is already used by another identity of the same schema (a staff identity
// and a customer identity may share an e-mail: the staff one holds it as a
// password identifier, the customer one as a one-time-code identifier), *errs.ValidationError when the provider's schema rejects a trait,
// errs.ErrRateLimited when the provider throttles.
type Directory interface {
	// CreateStaff creates a staff identity. An empty password creates the account
	// without a password credential: the person sets one through RecoveryLink (the
	// staff invite) or logs in with a one-time code.
	CreateStaff(ctx context.Context, email, name, password string) (Identity, error)

	// CreateCustomer creates a portal customer identity. email or phone (E.164) may
	// be empty, not both. No password is set.
	CreateCustomer(ctx context.Context, email, phone, name string) (Identity, error)

	// Get returns the identity with this id.
	Get(ctx context.Context, id string) (Identity, error)

	// FindByEmail returns the identity of schema whose e-mail is email (compared
	// case-insensitively); an empty schema matches any schema.
	FindByEmail(ctx context.Context, schema, email string) (Identity, error)

	// RecoveryLink creates an admin recovery code for the identity, valid for
	// expiresIn (<= 0: the provider's default), without sending any e-mail. The
	// person opens link (the web UI's recovery page for this flow), enters code, and
	// is then signed in with a privileged session that may set a new password: this
	// is how staff are invited. Both values are secrets: deliver them only to the
	// person, never log them.
	RecoveryLink(ctx context.Context, id string, expiresIn time.Duration) (link string, code string, err error)

	// Disable stops the identity from logging in and revokes all its sessions
	// (which are not revived by Enable). Sessions cached by other processes stay
	// usable for at most their cache TTL.
	Disable(ctx context.Context, id string) error

	// Enable lets a disabled identity log in again.
	Enable(ctx context.Context, id string) error

	// Delete removes the identity, its credentials and sessions, for good.
	Delete(ctx context.Context, id string) error

	// RevokeSessions ends every session of the identity (e.g. after a password
	// change or on suspicion of theft). An identity without sessions is not an error.
	RevokeSessions(ctx context.Context, id string) error

	// ResetCredentials replaces the identity's password with an unguessable one
	// nobody is told, removes its second factors and ends its sessions:
	// afterwards only someone who can read the address's mail (a recovery
	// code) can reach the account. Invitations use it on an identity whose
	// address was never verified (see PrepareInvitee).
	ResetCredentials(ctx context.Context, id string) error
}
