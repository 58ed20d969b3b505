package ory

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	client "github.com/ory/client-go"

	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/domain/errs"
)

// Kratos implements identity.Authenticator and identity.Directory on Ory Kratos's
// public and admin APIs (github.com/ory/client-go). Safe for concurrent use.
type Kratos struct {
	public *client.APIClient
	admin  *client.APIClient
	cache  *sessionCache
	now    func() time.Time
	// publicURL and hc drive the self-service API flows that client-go's union
	// types make awkward (setting a password under Kratos's policy).
	publicURL string
	hc        *http.Client
}

var (
	_ identity.Authenticator = (*Kratos)(nil)
	_ identity.Directory     = (*Kratos)(nil)
)

// New builds the adapter. It does not contact Kratos: readiness is HealthChecker's job.
func New(cfg Config) (*Kratos, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Kratos{
		public: newAPIClient(cfg.PublicURL, "", cfg.HTTPClient),
		admin:  newAPIClient(cfg.AdminURL, cfg.AdminToken, cfg.HTTPClient),
		cache:  newSessionCache(cfg.SessionCacheTTL, cfg.SessionCacheSize, cfg.Now),
		now:    cfg.Now,

		publicURL: cfg.PublicURL,
		hc:        cfg.HTTPClient,
	}, nil
}

func newAPIClient(baseURL, bearer string, hc *http.Client) *client.APIClient {
	c := client.NewConfiguration()
	c.Servers = client.ServerConfigurations{{URL: baseURL}}
	c.HTTPClient = hc
	c.UserAgent = "torque"
	if bearer != "" {
		// Only the admin client carries the API key, so a public call can never
		// leak it.
		c.AddDefaultHeader("Authorization", "Bearer "+bearer)
	}
	return client.NewAPIClient(c)
}

// errInvalidCredentials is the one answer to every failed login, whatever the
// reason (unknown e-mail, wrong password, disabled account): it must not tell an
// attacker which accounts exist.
var errInvalidCredentials = fmt.Errorf("ory: login: invalid e-mail or password: %w", errs.ErrUnauthenticated)

// SessionFromToken implements identity.Authenticator.
func (k *Kratos) SessionFromToken(ctx context.Context, token string) (identity.Session, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return identity.Session{}, fmt.Errorf("ory: no session token: %w", errs.ErrUnauthenticated)
	}
	return k.session(ctx, sessionKey(kindToken, token), func(r client.FrontendAPIToSessionRequest) client.FrontendAPIToSessionRequest {
		return r.XSessionToken(token)
	})
}

// SessionFromCookie implements identity.Authenticator.
func (k *Kratos) SessionFromCookie(ctx context.Context, cookieHeader string) (identity.Session, error) {
	if strings.TrimSpace(cookieHeader) == "" {
		return identity.Session{}, fmt.Errorf("ory: no session cookie: %w", errs.ErrUnauthenticated)
	}
	return k.session(ctx, sessionKey(kindCookie, cookieHeader), func(r client.FrontendAPIToSessionRequest) client.FrontendAPIToSessionRequest {
		return r.Cookie(cookieHeader)
	})
}

// session answers from the cache or asks Kratos (GET /sessions/whoami).
func (k *Kratos) session(ctx context.Context, key cacheKey,
	withCredential func(client.FrontendAPIToSessionRequest) client.FrontendAPIToSessionRequest,
) (identity.Session, error) {
	if s, ok := k.cache.get(key); ok {
		return s, nil
	}
	raw, resp, err := withCredential(k.public.FrontendAPI.ToSession(ctx)).Execute()
	defer closeBody(resp)
	if err != nil {
		switch statusOf(resp) {
		case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
			// 401: no/unknown/expired/revoked session or disabled identity;
			// 403: a higher assurance level is required (not used by Torque yet).
			return identity.Session{}, fmt.Errorf("ory: invalid session: %w", errs.ErrUnauthenticated)
		}
		return identity.Session{}, callError("validate session", resp, err)
	}
	s, err := k.toSession(raw)
	if err != nil {
		return identity.Session{}, err
	}
	k.cache.put(key, s)
	return s, nil
}

// toSession converts and checks a Kratos session: Kratos answers 401 for inactive
// sessions itself, but the cache must never hold one, whatever the server says.
func (k *Kratos) toSession(raw *client.Session) (identity.Session, error) {
	if raw == nil || raw.Identity == nil {
		return identity.Session{}, errors.New("ory: session without identity")
	}
	s := identity.Session{
		ID:       raw.Id,
		Identity: toIdentity(raw.Identity),
	}
	// Kratos stores microseconds but answers a login with nanoseconds: truncate
	// so a session reads the same whichever call produced it.
	if raw.ExpiresAt != nil {
		s.ExpiresAt = raw.ExpiresAt.UTC().Truncate(time.Microsecond)
	}
	if raw.AuthenticatedAt != nil {
		s.AuthenticatedAt = raw.AuthenticatedAt.UTC().Truncate(time.Microsecond)
	}
	if raw.AuthenticatorAssuranceLevel != nil {
		s.AAL = string(*raw.AuthenticatorAssuranceLevel)
	}
	if raw.Active == nil || !*raw.Active || !s.Identity.Active ||
		s.ExpiresAt.IsZero() || !k.now().Before(s.ExpiresAt) {
		return identity.Session{}, fmt.Errorf("ory: inactive session: %w", errs.ErrUnauthenticated)
	}
	return s, nil
}

// LoginWithPassword implements identity.Authenticator with Kratos's API login flow:
// GET /self-service/login/api, then POST /self-service/login?flow=<id> with the
// password method.
func (k *Kratos) LoginWithPassword(ctx context.Context, email, password string) (string, time.Time, error) {
	email = normalizeEmail(email)
	if email == "" || password == "" {
		return "", time.Time{}, errInvalidCredentials
	}
	flow, resp, err := k.public.FrontendAPI.CreateNativeLoginFlow(ctx).Execute()
	closeBody(resp)
	if err != nil {
		return "", time.Time{}, callError("login: create flow", resp, err)
	}
	body := client.UpdateLoginFlowWithPasswordMethodAsUpdateLoginFlowBody(&client.UpdateLoginFlowWithPasswordMethod{
		Method:     "password",
		Identifier: email,
		Password:   password,
	})
	res, resp, err := k.public.FrontendAPI.UpdateLoginFlow(ctx).Flow(flow.Id).UpdateLoginFlowBody(body).Execute()
	closeBody(resp)
	if err != nil {
		switch statusOf(resp) {
		case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden:
			// 400: the flow comes back with "credentials are invalid" (unknown
			// e-mail and wrong password alike); 401: the identity is disabled.
			return "", time.Time{}, errInvalidCredentials
		}
		return "", time.Time{}, callError("login", resp, err)
	}
	if res.SessionToken == nil || *res.SessionToken == "" {
		return "", time.Time{}, errors.New("ory: login: no session token in the answer")
	}
	token := *res.SessionToken
	// The answer carries the full session: prime the cache so the client's first
	// request does not cost a second round trip.
	s, err := k.toSession(&res.Session)
	if err != nil {
		return "", time.Time{}, err
	}
	k.cache.put(sessionKey(kindToken, token), s)
	return token, s.ExpiresAt, nil
}

// Forget implements identity.Authenticator.
func (k *Kratos) Forget(token, cookieHeader string) {
	if token = strings.TrimSpace(token); token != "" {
		k.cache.remove(sessionKey(kindToken, token))
	}
	if strings.TrimSpace(cookieHeader) != "" {
		k.cache.remove(sessionKey(kindCookie, cookieHeader))
	}
}

// Logout implements identity.Authenticator (DELETE /self-service/logout/api).
func (k *Kratos) Logout(ctx context.Context, token string) error {
	token = strings.TrimSpace(token)
	if token == "" {
		return fmt.Errorf("ory: logout: no session token: %w", errs.ErrUnauthenticated)
	}
	// Forget the cached session first: even if Kratos is unreachable this process
	// stops honouring the token.
	k.cache.remove(sessionKey(kindToken, token))
	resp, err := k.public.FrontendAPI.PerformNativeLogout(ctx).
		PerformNativeLogoutBody(client.PerformNativeLogoutBody{SessionToken: token}).Execute()
	closeBody(resp)
	if err != nil {
		switch statusOf(resp) {
		case http.StatusUnauthorized, http.StatusForbidden:
			// Kratos answers 403 for a token it does not know.
			return fmt.Errorf("ory: logout: unknown session token: %w", errs.ErrUnauthenticated)
		}
		return callError("logout", resp, err)
	}
	return nil
}

func normalizeEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

// toIdentity converts a Kratos identity. Traits are read leniently: a schema
// without a phone simply yields "".
func toIdentity(raw *client.Identity) identity.Identity {
	traits, _ := raw.Traits.(map[string]any)
	str := func(name string) string {
		s, _ := traits[name].(string)
		return s
	}
	id := identity.Identity{
		ID:     raw.Id,
		Schema: raw.SchemaId,
		Email:  normalizeEmail(str("email")),
		Name:   str("name"),
		Phone:  str("phone"),
		// Fail closed: an identity without a state is not treated as active.
		Active: raw.State != nil && *raw.State == "active",
	}
	if id.Email != "" {
		for _, a := range raw.VerifiableAddresses {
			if a.Via == "email" && a.Verified && normalizeEmail(a.Value) == id.Email {
				id.Verified = true
			}
		}
	}
	return id
}
