package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/torquehq/torque/interfaces/session"
)

// Throttle is one rate limit of a route: Key names what is counted (a
// client address, an e-mail, a link's token); an empty key is not counted
// (e.g. a body without the field: the handler refuses it anyway).
type Throttle struct {
	Limiter *RateLimiter
	Key     func(*http.Request) string
}

// Throttled wraps a route with rate limits, counted in the order given
// (shared by every process when the limiters are, see SharedRateLimits).
// Over any of them the answer is 429 problem+json with Retry-After. It sits
// in front of the handler so the handler itself stays unaware of limits.
func Throttled(limits ...Throttle) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			for _, t := range limits {
				if t.Limiter == nil || t.Key == nil {
					continue
				}
				if key := t.Key(r); key != "" && !t.Limiter.Allow(key) {
					TooManyRequests(w, t.Limiter.Window())
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// TooManyRequests answers 429 problem+json; Retry-After is the limit's
// window (the longest the client may have to wait), at least a minute.
func TooManyRequests(w http.ResponseWriter, retry time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(RetryAfterSeconds(retry)))
	WriteProblem(w, Problem{Type: "/problems/rate-limited", Status: http.StatusTooManyRequests,
		Title: "Too many attempts", Detail: "Wait a minute before trying again."})
}

// RetryAfterSeconds is the Retry-After of a limit with that window.
func RetryAfterSeconds(window time.Duration) int {
	s := int((window + time.Second - 1) / time.Second)
	if s < 60 {
		s = 60
	}
	return s
}

// ByClientIP keys a limit by the client address, behind hops trusted
// proxies (session.ClientIPBehind); prefix keeps routes apart.
func ByClientIP(prefix string, hops int) func(*http.Request) string {
	return func(r *http.Request) string { return prefix + session.ClientIPBehind(r, hops) }
}

// ByPathParam keys a limit by a URL parameter (e.g. a link's token).
func ByPathParam(prefix, name string) func(*http.Request) string {
	return func(r *http.Request) string {
		if v := chi.URLParam(r, name); v != "" {
			return prefix + v
		}
		return ""
	}
}

// ByCaller keys a limit by the authenticated person.
func ByCaller(prefix string) func(*http.Request) string {
	return func(r *http.Request) string {
		if s, ok := SessionFrom(r.Context()); ok && s.Identity.ID != "" {
			return prefix + s.Identity.ID
		}
		return ""
	}
}

// ByJSONField keys a limit by a string field of the JSON body (an e-mail:
// trimmed, lower case). The body is read and put back for the handler.
func ByJSONField(prefix, field string) func(*http.Request) string {
	return func(r *http.Request) string {
		body := peekBody(r)
		var m map[string]json.RawMessage
		if json.Unmarshal(body, &m) != nil {
			return ""
		}
		var v string
		if json.Unmarshal(m[field], &v) != nil {
			return ""
		}
		if v = strings.ToLower(strings.TrimSpace(v)); v == "" {
			return ""
		}
		return prefix + v
	}
}

// peekBody reads the request body and leaves an identical one (including a
// read error, e.g. a body over the size limit) for the handler.
func peekBody(r *http.Request) []byte {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	body, err := io.ReadAll(r.Body)
	_ = r.Body.Close()
	r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{err}))
	return body
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	return 0, io.EOF
}

// inviteLimits throttle invitations (staff and franchise managers): per
// inviter, and per invited address so nobody is mail-bombed.
func (h *AccountHandlers) inviteLimits() func(http.Handler) http.Handler {
	return Throttled(
		Throttle{h.Limits.InvitePerInviter, ByCaller("")},
		Throttle{h.Limits.InvitePerAddress, ByJSONField("", "email")},
	)
}

// linkLimits throttle the public feedback and unsubscribe links: per client
// and per token (a link cannot be hammered from many addresses either).
func (h *MessagingHandlers) linkLimits() func(http.Handler) http.Handler {
	return Throttled(
		Throttle{h.Limits.FeedbackPerIP, ByClientIP("", h.ProxyHops)},
		Throttle{h.Limits.FeedbackPerToken, ByPathParam("", "token")},
	)
}
