// Package httpapi is the REST API adapter: chi routes, problem+json errors,
// health, readiness and metrics endpoints.
package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/torquehq/torque/interfaces/httperr"
	"github.com/torquehq/torque/interfaces/session"

	"github.com/torquehq/torque/domain/errs"
)

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail,omitempty"`
	Errors []FieldIssue `json:"errors,omitempty"`
	// Existing names the record that already holds a duplicate value.
	Existing string `json:"existing_id,omitempty"`
}

// FieldIssue names a field at fault.
type FieldIssue struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// WriteProblem writes p as application/problem+json.
func WriteProblem(w http.ResponseWriter, p Problem) {
	if p.Type == "" {
		p.Type = "about:blank"
	}
	if p.Title == "" {
		p.Title = http.StatusText(p.Status)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	httperr.SetRetryAfter(w.Header(), p.Status)
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// WriteError maps an error to a problem. Unknown errors are 500s and are
// logged; their text never reaches the client.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var ve *errs.ValidationError
	if errors.As(err, &ve) {
		p := Problem{Type: "/problems/validation", Title: "Validation failed", Status: http.StatusUnprocessableEntity}
		for _, f := range ve.Fields {
			p.Errors = append(p.Errors, FieldIssue{Field: f.Field, Code: f.Code, Message: f.Message})
		}
		WriteProblem(w, p)
		return
	}
	var ce *errs.ConflictError
	if errors.As(err, &ce) {
		p := Problem{Type: "/problems/conflict", Status: http.StatusConflict, Detail: ce.Message,
			Errors: []FieldIssue{{Field: ce.Field, Code: ce.Code, Message: ce.Message}}}
		if ce.ExistingID != "" {
			p.Existing = ce.ExistingID
		}
		WriteProblem(w, p)
		return
	}
	if c, known := httperr.Classify(err); known {
		if c.Status == http.StatusServiceUnavailable {
			// The cause names hosts and drivers: log it, answer a stable text.
			log.WarnContext(r.Context(), "dependency unavailable", "err", err, "path", r.URL.Path)
		} else {
			log.InfoContext(r.Context(), "request refused", "type", c.Type, "err", err, "path", r.URL.Path)
		}
		if c == httperr.MFARequired || c == httperr.Reauthenticate {
			// The person fixes this at the identity provider (second factor,
			// refresh login): their next request must not see the cached session.
			session.ForgetCached(r.Context())
		}
		// The error's own text names internals (an erased person, roles,
		// actions, ids): the client gets the kind's stable text only.
		WriteProblem(w, Problem{Type: "/problems/" + c.Type, Status: c.Status, Detail: problemDetails[c.Type]})
		return
	}
	log.ErrorContext(r.Context(), "request failed", "err", err, "path", r.URL.Path)
	WriteProblem(w, Problem{Type: "/problems/internal", Status: http.StatusInternalServerError,
		Detail: "An unexpected error occurred; it has been logged."})
}

const unavailableDetail = "A service Torque depends on is temporarily unavailable; retry after the Retry-After delay."

// writeUnavailable answers 503 with Retry-After (a dependency is down).
func writeUnavailable(w http.ResponseWriter) {
	WriteProblem(w, Problem{Type: "/problems/" + httperr.Unavailable.Type, Status: http.StatusServiceUnavailable, Detail: unavailableDetail})
}

// problemDetails are the stable, user-facing texts of each kind of problem
// (issue 10 item 15): never the error's own text.
var problemDetails = map[string]string{
	"unauthenticated":       "Sign in first.",
	"forbidden":             "Your role does not allow this.",
	"not-found":             "It does not exist, or it is not visible to you.",
	"precondition-failed":   "It changed since you read it (If-Match): read it again.",
	"illegal-transition":    "This change is not allowed in its current state.",
	"conflict":              "It conflicts with the current state.",
	"subscription-inactive": "The workshop's subscription is inactive: it can read and export data but not change it.",
	"rate-limited":          "Too many attempts; wait a little.",
	"unavailable":           unavailableDetail,
	"mfa-required":          "This workshop requires a second factor: sign in with your authenticator app code (Kratos login flow with aal=aal2), or enrol one first.",
	"reauthenticate":        "This action needs a recent sign-in: authenticate again (Kratos login flow with refresh=true), then retry.",
}
