package ory

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/torquehq/torque/domain/errs"
)

// statusOf is the HTTP status of a client-go call, 0 when no response arrived.
func statusOf(resp *http.Response) int {
	if resp == nil {
		return 0
	}
	return resp.StatusCode
}

// closeBody releases a response. client-go has already read the body into memory
// and replaced it; closing keeps linters and future versions honest.
func closeBody(resp *http.Response) {
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close()
	}
}

// callError describes a failed Kratos call that the caller did not map to a kind
// itself: 429 becomes errs.ErrRateLimited, a transport failure (Kratos cannot be
// reached) and a 5xx become errs.ErrUnavailable; a transport failure keeps its cause
// (so errors.Is(err, context.DeadlineExceeded) works) but drops the request URL,
// which can carry an e-mail in its query. Kratos's own reason is included: Kratos
// never echoes tokens, cookies or passwords in error bodies.
func callError(op string, resp *http.Response, err error) error {
	status := statusOf(resp)
	switch {
	case status == http.StatusTooManyRequests:
		return fmt.Errorf("ory: %s: %w", op, errs.ErrRateLimited)
	case status == 0:
		var uerr *url.Error
		if errors.As(err, &uerr) {
			return fmt.Errorf("ory: %s: %s: %w: %w", op, uerr.Op, errs.ErrUnavailable, uerr.Err)
		}
		return fmt.Errorf("ory: %s: %w: %w", op, errs.ErrUnavailable, err)
	case status >= 200 && status < 300:
		// A 2xx whose body client-go could not decode (e.g. a required property
		// missing because the server is older than the client).
		return fmt.Errorf("ory: %s: decode %d response: %s", op, status, safeText(err.Error()))
	case status >= 500:
		return fmt.Errorf("ory: %s: kratos answered %d%s: %w", op, status, reasonSuffix(err), errs.ErrUnavailable)
	default:
		return fmt.Errorf("ory: %s: kratos answered %d%s", op, status, reasonSuffix(err))
	}
}

// kratosError is the JSON error body Kratos answers with.
type kratosError struct {
	Error struct {
		ID      string `json:"id"`
		Message string `json:"message"`
		Reason  string `json:"reason"`
	} `json:"error"`
}

func decodeKratosError(err error) (kratosError, bool) {
	var body kratosError
	// *client.GenericOpenAPIError carries the response body.
	var apiErr interface{ Body() []byte }
	if !errors.As(err, &apiErr) {
		return body, false
	}
	if json.Unmarshal(apiErr.Body(), &body) != nil || (body.Error.Message == "" && body.Error.Reason == "") {
		return body, false
	}
	return body, true
}

func reasonSuffix(err error) string {
	body, ok := decodeKratosError(err)
	if !ok {
		return ""
	}
	text := body.Error.Message
	if body.Error.Reason != "" {
		text += ": " + body.Error.Reason
	}
	return ": " + safeText(text)
}

// safeText flattens and bounds text taken from a response.
func safeText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const maxLen = 300
	if len(s) > maxLen {
		s = s[:maxLen] + "…"
	}
	return s
}

// traitPointer finds the traits a Kratos schema-validation reason complains about,
// e.g. `I[#/traits/email] S[...] "x" is not valid "email"`.
var traitPointer = regexp.MustCompile(`I\[#/traits(?:/([A-Za-z0-9_]+))?\]`)

// validationError turns Kratos's 400 on identity create into an
// *errs.ValidationError naming the traits at fault.
func validationError(err error) error {
	body, _ := decodeKratosError(err)
	seen := map[string]bool{}
	for _, m := range traitPointer.FindAllStringSubmatch(body.Error.Reason, -1) {
		field := m[1]
		if field == "" {
			field = "traits" // e.g. "email or phone required" (anyOf)
		}
		seen[field] = true
	}
	if len(seen) == 0 {
		seen["traits"] = true
	}
	fields := make([]string, 0, len(seen))
	for f := range seen {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	var c errs.Collector
	for _, f := range fields {
		c.Add(f, "invalid", "rejected by the identity schema")
	}
	return c.Err()
}
