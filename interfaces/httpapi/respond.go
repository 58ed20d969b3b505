package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
)

// WriteJSON writes v with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// ETag renders an aggregate version as a strong entity tag.
func ETag(version int64) string { return `"v` + strconv.FormatInt(version, 10) + `"` }

// IfMatch parses the If-Match header: (version, true) for a single `"vN"`,
// (0, false) when absent or `*`. A malformed value is a 400 RequestError.
func IfMatch(r *http.Request) (int64, bool, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return 0, false, nil
	}
	h = strings.TrimPrefix(h, "W/")
	if !strings.HasPrefix(h, `"v`) || !strings.HasSuffix(h, `"`) || len(h) < 4 {
		return 0, false, badRequest(http.StatusBadRequest, "bad-if-match", "If-Match must be an ETag returned by this API, like \"v3\".")
	}
	v, err := strconv.ParseInt(h[2:len(h)-1], 10, 64)
	if err != nil || v < 0 {
		return 0, false, badRequest(http.StatusBadRequest, "bad-if-match", "If-Match must be an ETag returned by this API, like \"v3\".")
	}
	return v, true, nil
}

// Page is the list envelope of API.md.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// Limit parses ?limit= (default 50, max 200).
func Limit(r *http.Request) (int, error) {
	s := r.URL.Query().Get("limit")
	if s == "" {
		return 50, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 200 {
		return 0, badRequest(http.StatusUnprocessableEntity, "validation", "limit must be an integer from 1 to 200.",
			FieldIssue{Field: "limit", Code: "out_of_range", Message: "limit must be from 1 to 200"})
	}
	return n, nil
}

// Fail writes the problem for err: request errors as they are, domain kinds
// through WriteError.
func Fail(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var re *RequestError
	if errors.As(err, &re) {
		WriteProblem(w, re.Problem)
		return
	}
	WriteError(w, r, log, err)
}
