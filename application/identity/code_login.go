package identity

import "context"

// CodeLogin is passwordless login with a one-time code sent by e-mail (Kratos's
// "code" method in an API flow). The portal uses it for car owners
// (SchemaCustomer identities, whose only credential is the code).
//
// Errors: errs.ErrUnauthenticated for an unknown address, a wrong, used or
// expired code and a flow that no longer accepts codes (all alike, so the answer
// never tells whether an account exists); errs.ErrRateLimited when the provider
// throttles. Errors never contain codes or tokens.
type CodeLogin interface {
	// SendLoginCode starts a login flow for email and has the provider e-mail a
	// one-time code to it; brand (the workshop's name, may be empty) is named in
	// the e-mail. flowID identifies the flow for LoginWithCode; it is a secret
	// of the server (whoever holds it may submit codes), never give it to the
	// client.
	SendLoginCode(ctx context.Context, email, brand string) (flowID string, err error)

	// LoginWithCode submits the code to the flow started by SendLoginCode and
	// returns a session token for "Authorization: Bearer" and the session.
	LoginWithCode(ctx context.Context, flowID, email, code string) (token string, s Session, err error)
}
