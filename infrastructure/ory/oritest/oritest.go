// Package oritest drives Ory Kratos's self-service flows the way a person (or the
// web UI acting for them) would, over Kratos's public JSON API, so tests can
// complete an invite or a recovery without a browser. Test support only: no
// production code imports it.
package oritest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"
)

// Timeout bounds every request. It is long because a password change makes Kratos
// ask the Have I Been Pwned API, which takes ~15 s to give up on a machine without
// Internet access (see the package's report on haveibeenpwned_enabled).
const Timeout = 60 * time.Second

// Browser is one browser profile: a cookie jar holding Kratos's CSRF and session
// cookies. It speaks JSON to browser flows, as a single-page app would.
type Browser struct {
	publicURL string
	hc        *http.Client
}

// NewBrowser returns a browser with an empty cookie jar for Kratos at publicURL.
func NewBrowser(publicURL string) *Browser {
	jar, _ := cookiejar.New(nil) // never fails with nil options
	return &Browser{
		publicURL: strings.TrimRight(publicURL, "/"),
		hc: &http.Client{
			Timeout: Timeout,
			Jar:     jar,
			// JSON callers get JSON answers; never follow a redirect silently.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// CookieHeader is the Cookie header this browser would send to Kratos: what the
// Torque API receives from a signed-in browser.
func (b *Browser) CookieHeader() string {
	u, _ := url.Parse(b.publicURL)
	parts := make([]string, 0, 2)
	for _, c := range b.hc.Jar.Cookies(u) {
		parts = append(parts, c.Name+"="+c.Value)
	}
	return strings.Join(parts, "; ")
}

// AcceptRecoveryCode opens an admin recovery link (as returned by
// identity.Directory.RecoveryLink: "<ui>/recovery?flow=<id>") and submits code.
// On success Kratos sets the session cookie and returns the settings flow in which
// the new password is chosen; its id is returned.
func (b *Browser) AcceptRecoveryCode(ctx context.Context, recoveryLink, code string) (settingsFlowID string, err error) {
	flowID, err := queryParam(recoveryLink, "flow")
	if err != nil {
		return "", fmt.Errorf("oritest: recovery link: %w", err)
	}
	status, body, err := b.send(ctx, http.MethodPost, "/self-service/recovery?flow="+url.QueryEscape(flowID), nil,
		map[string]string{"method": "code", "code": code})
	if err != nil {
		return "", err
	}
	return settingsFlowAfterRecovery(status, body)
}

// SetPassword completes a settings flow with a new password, authenticated by the
// session cookie and the flow's CSRF token.
func (b *Browser) SetPassword(ctx context.Context, settingsFlowID, password string) error {
	status, body, err := b.send(ctx, http.MethodGet, "/self-service/settings/flows?id="+url.QueryEscape(settingsFlowID), nil, nil)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("oritest: get settings flow: %d %s", status, brief(body))
	}
	var f flow
	if err := json.Unmarshal(body, &f); err != nil {
		return fmt.Errorf("oritest: settings flow: %w", err)
	}
	csrf := f.nodeValue("csrf_token")
	if csrf == "" {
		return errors.New("oritest: settings flow has no csrf_token")
	}
	status, body, err = b.send(ctx, http.MethodPost, "/self-service/settings?flow="+url.QueryEscape(settingsFlowID), nil,
		map[string]string{"method": "password", "password": password, "csrf_token": csrf})
	if err != nil {
		return err
	}
	return settingsResult(status, body)
}

// Native is a native (mobile-style) client: no cookies, session tokens only.
type Native struct {
	publicURL string
	hc        *http.Client
}

// NewNative returns a native client for Kratos at publicURL.
func NewNative(publicURL string) *Native {
	return &Native{publicURL: strings.TrimRight(publicURL, "/"), hc: &http.Client{Timeout: Timeout}}
}

// ErrNativeRecoveryUnsupported means Kratos accepted a recovery code in an API
// flow but answered "browser_location_change_required" without handing out the
// session token: Kratos v1.3.x only returns it (as a continue_with
// "set_ory_session_token" item) when feature_flags.use_continue_with_transitions
// is true. Without it a native client cannot finish recovery.
var ErrNativeRecoveryUnsupported = errors.New("oritest: native recovery needs feature_flags.use_continue_with_transitions")

// StartRecovery creates an API recovery flow and asks Kratos to e-mail a recovery
// code to email (GET /self-service/recovery/api, POST /self-service/recovery).
// Kratos answers the same whether or not the address is known.
func (n *Native) StartRecovery(ctx context.Context, email string) (flowID string, err error) {
	status, body, err := send(ctx, n.hc, n.publicURL, http.MethodGet, "/self-service/recovery/api", nil, nil)
	if err != nil {
		return "", err
	}
	if status != http.StatusOK {
		return "", fmt.Errorf("oritest: create recovery flow: %d %s", status, brief(body))
	}
	var f flow
	if err := json.Unmarshal(body, &f); err != nil {
		return "", fmt.Errorf("oritest: recovery flow: %w", err)
	}
	status, body, err = send(ctx, n.hc, n.publicURL, http.MethodPost, "/self-service/recovery?flow="+url.QueryEscape(f.ID), nil,
		map[string]string{"method": "code", "email": email})
	if err != nil {
		return "", err
	}
	if err := json.Unmarshal(body, &f); status != http.StatusOK || err != nil || f.State != "sent_email" {
		return "", fmt.Errorf("oritest: request recovery code: %d %s", status, brief(body))
	}
	return f.ID, nil
}

// RecoveryResult is what a native client gets for a valid recovery code.
type RecoveryResult struct {
	// SessionToken is a privileged session, usable for the settings flow.
	SessionToken string
	// SettingsFlowID is the flow in which to set the new password.
	SettingsFlowID string
}

// SubmitRecoveryCode submits the e-mailed code to the API recovery flow. It
// returns ErrNativeRecoveryUnsupported (wrapped) when Kratos accepted the code but
// withheld the session token (see that error).
func (n *Native) SubmitRecoveryCode(ctx context.Context, flowID, code string) (RecoveryResult, error) {
	status, body, err := send(ctx, n.hc, n.publicURL, http.MethodPost, "/self-service/recovery?flow="+url.QueryEscape(flowID), nil,
		map[string]string{"method": "code", "code": code})
	if err != nil {
		return RecoveryResult{}, err
	}
	var f flow
	_ = json.Unmarshal(body, &f)
	if status == http.StatusUnprocessableEntity && f.Error.ID == "browser_location_change_required" {
		return RecoveryResult{}, fmt.Errorf("code accepted, Kratos redirected to %s: %w", f.RedirectBrowserTo, ErrNativeRecoveryUnsupported)
	}
	if status != http.StatusOK {
		return RecoveryResult{}, fmt.Errorf("oritest: submit recovery code: %d %s", status, brief(body))
	}
	var r RecoveryResult
	for _, c := range f.ContinueWith {
		switch c.Action {
		case "set_ory_session_token":
			r.SessionToken = c.OrySessionToken
		case "show_settings_ui":
			r.SettingsFlowID = c.Flow.ID
		}
	}
	if r.SessionToken == "" || r.SettingsFlowID == "" {
		return RecoveryResult{}, fmt.Errorf("oritest: recovery code not accepted: %s", f.messages())
	}
	return r, nil
}

// SetPassword completes an API settings flow with a new password, authenticated by
// the session token.
func (n *Native) SetPassword(ctx context.Context, sessionToken, settingsFlowID, password string) error {
	status, body, err := send(ctx, n.hc, n.publicURL, http.MethodPost, "/self-service/settings?flow="+url.QueryEscape(settingsFlowID),
		http.Header{"X-Session-Token": {sessionToken}},
		map[string]string{"method": "password", "password": password})
	if err != nil {
		return err
	}
	return settingsResult(status, body)
}

// flow is the part of Kratos's flow and error bodies these helpers read.
type flow struct {
	ID           string `json:"id"`
	State        string `json:"state"`
	ContinueWith []struct {
		Action          string `json:"action"`
		OrySessionToken string `json:"ory_session_token"`
		Flow            struct {
			ID string `json:"id"`
		} `json:"flow"`
	} `json:"continue_with"`
	UI struct {
		Nodes []struct {
			Attributes struct {
				Name  string `json:"name"`
				Value any    `json:"value"`
			} `json:"attributes"`
			Messages []message `json:"messages"`
		} `json:"nodes"`
		Messages []message `json:"messages"`
	} `json:"ui"`
	Error struct {
		ID     string `json:"id"`
		Reason string `json:"reason"`
	} `json:"error"`
	RedirectBrowserTo string `json:"redirect_browser_to"`
}

type message struct {
	ID   int    `json:"id"`
	Text string `json:"text"`
	Type string `json:"type"`
}

func (f flow) nodeValue(name string) string {
	for _, n := range f.UI.Nodes {
		if n.Attributes.Name == name {
			s, _ := n.Attributes.Value.(string)
			return s
		}
	}
	return ""
}

// messages lists the flow's error messages (flow-level and per field).
func (f flow) messages() string {
	var out []string
	add := func(ms []message) {
		for _, m := range ms {
			if m.Type == "error" {
				out = append(out, fmt.Sprintf("%d %s", m.ID, m.Text))
			}
		}
	}
	add(f.UI.Messages)
	for _, n := range f.UI.Nodes {
		add(n.Messages)
	}
	if len(out) == 0 {
		return "no error message (state " + f.State + ")"
	}
	return strings.Join(out, "; ")
}

// settingsFlowAfterRecovery reads the settings flow id from a recovery answer:
// a 422 "browser_location_change_required" pointing at the settings UI (Kratos's
// default), or a 200 flow with a "show_settings_ui" continue_with item (with
// feature_flags.use_continue_with_transitions).
func settingsFlowAfterRecovery(status int, body []byte) (string, error) {
	var f flow
	_ = json.Unmarshal(body, &f)
	switch {
	case status == http.StatusUnprocessableEntity && f.RedirectBrowserTo != "":
		id, err := queryParam(f.RedirectBrowserTo, "flow")
		if err != nil {
			return "", fmt.Errorf("oritest: recovery redirect: %w", err)
		}
		return id, nil
	case status == http.StatusOK:
		for _, c := range f.ContinueWith {
			if c.Action == "show_settings_ui" && c.Flow.ID != "" {
				return c.Flow.ID, nil
			}
		}
		return "", fmt.Errorf("oritest: recovery code not accepted: %s", f.messages())
	default:
		return "", fmt.Errorf("oritest: submit recovery code: %d %s", status, brief(body))
	}
}

func settingsResult(status int, body []byte) error {
	var f flow
	_ = json.Unmarshal(body, &f)
	if status == http.StatusOK && f.State == "success" {
		return nil
	}
	if status == http.StatusBadRequest {
		return fmt.Errorf("oritest: new password refused: %s", f.messages())
	}
	return fmt.Errorf("oritest: update settings: %d %s", status, brief(body))
}

func (b *Browser) send(ctx context.Context, method, path string, header http.Header, in any) (int, []byte, error) {
	return send(ctx, b.hc, b.publicURL, method, path, header, in)
}

func send(ctx context.Context, hc *http.Client, base, method, path string, header http.Header, in any) (int, []byte, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, body)
	if err != nil {
		return 0, nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("oritest: %s %s: %w", method, strings.SplitN(path, "?", 2)[0], err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	return resp.StatusCode, out, err
}

func queryParam(raw, name string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	v := u.Query().Get(name)
	if v == "" {
		return "", fmt.Errorf("no %q parameter", name)
	}
	return v, nil
}

// brief bounds a response body quoted in an error.
func brief(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 400 {
		s = s[:400] + "…"
	}
	return s
}
