package ory

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults applied by Config.setDefaults.
const (
	// DefaultSessionCacheTTL bounds how long a validated session is trusted without
	// asking Ory again, hence how long a revoked session can stay usable in one process.
	DefaultSessionCacheTTL = 30 * time.Second
	// DefaultSessionCacheSize bounds the session cache (oldest entries are evicted).
	DefaultSessionCacheSize = 10_000
	// DefaultHTTPTimeout is the whole-request timeout of the default HTTP client.
	DefaultHTTPTimeout = 10 * time.Second
)

// Config configures the Kratos adapter. The same adapter talks to a self-hosted
// Kratos (separate public and admin ports) and to Ory Network (one project URL for
// both, admin calls authorised by an API key).
type Config struct {
	// PublicURL is the base URL of the public (frontend) API, e.g.
	// "http://127.0.0.1:4433" locally, the project URL on Ory Network.
	PublicURL string
	// AdminURL is the base URL of the admin API, e.g. "http://127.0.0.1:4434"
	// locally; on Ory Network the same project URL as PublicURL.
	AdminURL string
	// AdminToken is an Ory Network API key, sent as "Authorization: Bearer" on admin
	// calls only. Empty for a self-hosted Kratos whose admin port is not exposed.
	AdminToken string
	// SessionCacheTTL is how long a validated session is served from memory.
	// 0 means DefaultSessionCacheTTL; a negative value disables the cache.
	SessionCacheTTL time.Duration
	// SessionCacheSize is the maximum number of cached sessions; 0 means
	// DefaultSessionCacheSize.
	SessionCacheSize int
	// HTTPClient performs every call. It must have a Timeout. nil means a dedicated
	// client with DefaultHTTPTimeout (never http.DefaultClient).
	HTTPClient *http.Client
	// Now is the clock used for cache expiry; nil means time.Now.
	Now func() time.Time
}

func (c *Config) setDefaults() {
	c.PublicURL = strings.TrimRight(strings.TrimSpace(c.PublicURL), "/")
	c.AdminURL = strings.TrimRight(strings.TrimSpace(c.AdminURL), "/")
	if c.SessionCacheTTL == 0 {
		c.SessionCacheTTL = DefaultSessionCacheTTL
	}
	if c.SessionCacheSize == 0 {
		c.SessionCacheSize = DefaultSessionCacheSize
	}
	if c.HTTPClient == nil {
		c.HTTPClient = newHTTPClient(DefaultHTTPTimeout)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Validate reports every configuration problem at once.
func (c Config) Validate() error {
	var problems []error
	for _, u := range []struct{ name, value string }{{"PublicURL", c.PublicURL}, {"AdminURL", c.AdminURL}} {
		if err := validateBaseURL(u.value); err != nil {
			problems = append(problems, fmt.Errorf("%s: %w", u.name, err))
		}
	}
	if c.SessionCacheSize < 0 {
		problems = append(problems, errors.New("SessionCacheSize must not be negative"))
	}
	switch {
	case c.HTTPClient == http.DefaultClient: //nolint:forbidigo // named only to refuse it
		problems = append(problems, errors.New("HTTPClient must not be http.DefaultClient (it has no timeout)"))
	case c.HTTPClient != nil && c.HTTPClient.Timeout <= 0:
		problems = append(problems, errors.New("HTTPClient must have a Timeout"))
	}
	if len(problems) > 0 {
		return fmt.Errorf("ory: invalid config: %w", errors.Join(problems...))
	}
	return nil
}

func validateBaseURL(raw string) error {
	if raw == "" {
		return errors.New("required")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return errors.New("scheme must be http or https")
	}
	if u.Host == "" {
		return errors.New("host required")
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return errors.New("must not carry credentials, a query or a fragment")
	}
	return nil
}

// newHTTPClient returns a client whose every phase is bounded.
func newHTTPClient(timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          100,
			MaxIdleConnsPerHost:   32,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: timeout,
			ExpectContinueTimeout: time.Second,
		},
	}
}
