package oritest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// Login runs an API login flow with a password and returns the session token.
func (n *Native) Login(ctx context.Context, email, password string) (string, error) {
	id, err := n.createFlow(ctx, "/self-service/login/api", "")
	if err != nil {
		return "", err
	}
	status, body, err := send(ctx, n.hc, n.publicURL, http.MethodPost, "/self-service/login?flow="+url.QueryEscape(id), nil,
		map[string]string{"method": "password", "identifier": email, "password": password})
	if err != nil {
		return "", err
	}
	var out struct {
		SessionToken string `json:"session_token"`
	}
	if err := json.Unmarshal(body, &out); status != http.StatusOK || err != nil || out.SessionToken == "" {
		return "", fmt.Errorf("oritest: login: %d %s", status, brief(body))
	}
	return out.SessionToken, nil
}

// SessionActive reports whether Kratos still accepts the session token
// (GET /sessions/whoami).
func (n *Native) SessionActive(ctx context.Context, token string) (bool, error) {
	status, body, err := send(ctx, n.hc, n.publicURL, http.MethodGet, "/sessions/whoami",
		http.Header{"X-Session-Token": {token}}, nil)
	if err != nil {
		return false, err
	}
	switch status {
	case http.StatusOK:
		return true, nil
	case http.StatusUnauthorized:
		return false, nil
	}
	return false, fmt.Errorf("oritest: whoami: %d %s", status, brief(body))
}

// StartSettings creates an API settings flow for the session token.
func (n *Native) StartSettings(ctx context.Context, token string) (string, error) {
	return n.createFlow(ctx, "/self-service/settings/api", token)
}

// StartVerification creates an API verification flow and has Kratos e-mail a
// verification code to email.
func (n *Native) StartVerification(ctx context.Context, email string) (string, error) {
	id, err := n.createFlow(ctx, "/self-service/verification/api", "")
	if err != nil {
		return "", err
	}
	status, body, err := send(ctx, n.hc, n.publicURL, http.MethodPost, "/self-service/verification?flow="+url.QueryEscape(id), nil,
		map[string]string{"method": "code", "email": email})
	if err != nil {
		return "", err
	}
	var f flow
	if err := json.Unmarshal(body, &f); status != http.StatusOK || err != nil || f.State != "sent_email" {
		return "", fmt.Errorf("oritest: request verification code: %d %s", status, brief(body))
	}
	return id, nil
}

// SubmitVerificationCode submits the e-mailed code to the verification flow.
func (n *Native) SubmitVerificationCode(ctx context.Context, flowID, code string) error {
	status, body, err := send(ctx, n.hc, n.publicURL, http.MethodPost, "/self-service/verification?flow="+url.QueryEscape(flowID), nil,
		map[string]string{"method": "code", "code": code})
	if err != nil {
		return err
	}
	var f flow
	if err := json.Unmarshal(body, &f); status != http.StatusOK || err != nil || f.State != "passed_challenge" {
		return fmt.Errorf("oritest: verification code not accepted: %d state %q: %s", status, f.State, f.messages())
	}
	return nil
}

// RegistrationStatus is the status Kratos answers to the start of a public
// API registration flow (200 when anyone may register).
func (n *Native) RegistrationStatus(ctx context.Context) (int, string, error) {
	status, body, err := send(ctx, n.hc, n.publicURL, http.MethodGet, "/self-service/registration/api", nil, nil)
	return status, brief(body), err
}

func (n *Native) createFlow(ctx context.Context, path, token string) (string, error) {
	var h http.Header
	if token != "" {
		h = http.Header{"X-Session-Token": {token}}
	}
	status, body, err := send(ctx, n.hc, n.publicURL, http.MethodGet, path, h, nil)
	if err != nil {
		return "", err
	}
	var f flow
	if err := json.Unmarshal(body, &f); status != http.StatusOK || err != nil || f.ID == "" {
		return "", fmt.Errorf("oritest: create flow %s: %d %s", path, status, brief(body))
	}
	return f.ID, nil
}
