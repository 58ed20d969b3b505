package oritest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/pquerna/otp/totp"
)

func (n *Native) call(ctx context.Context, method, path, token string, body any) (int, map[string]any, error) {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, n.publicURL+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("X-Session-Token", token)
	}
	resp, err := n.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err
	}
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out, nil
}

// TOTPSecret returns the secret key a settings flow offers for enrolment
// (the text node totp_secret_key), or "".
func TOTPSecret(flow map[string]any) string {
	ui, _ := flow["ui"].(map[string]any)
	nodes, _ := ui["nodes"].([]any)
	for _, raw := range nodes {
		n, _ := raw.(map[string]any)
		a, _ := n["attributes"].(map[string]any)
		if a["id"] != "totp_secret_key" {
			continue
		}
		text, _ := a["text"].(map[string]any)
		if ctx, ok := text["context"].(map[string]any); ok {
			if s, ok := ctx["secret"].(string); ok {
				return s
			}
		}
		s, _ := text["text"].(string)
		return s
	}
	return ""
}

// EnrolTOTP runs a settings flow for the session token: reads the TOTP
// secret Kratos offers and confirms it with a code computed from it, as an
// authenticator app would. It returns the secret. Kratos then also raises the
// session to aal2.
func (n *Native) EnrolTOTP(ctx context.Context, token string) (string, error) {
	st, flow, err := n.call(ctx, http.MethodGet, "/self-service/settings/api", token, nil)
	if err != nil || st != http.StatusOK {
		return "", failed("oritest: settings flow", st, flow, err)
	}
	secret := TOTPSecret(flow)
	if secret == "" {
		return "", errors.New("oritest: the settings flow offers no TOTP secret (is selfservice.methods.totp enabled?)")
	}
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		return "", err
	}
	id, _ := flow["id"].(string)
	st, out, err := n.call(ctx, http.MethodPost, "/self-service/settings?flow="+url.QueryEscape(id), token,
		map[string]string{"method": "totp", "totp_code": code})
	if err != nil || st != http.StatusOK {
		return "", failed("oritest: enrol totp", st, out, err)
	}
	return secret, nil
}

// LoginAAL2 raises the session of token to aal2 with a TOTP code of secret
// (login flow with aal=aal2).
func (n *Native) LoginAAL2(ctx context.Context, token, secret string) error {
	return n.totpLogin(ctx, token, secret, "aal=aal2", "aal2 login")
}

// totpLogin completes a login flow started with query by a TOTP code of
// secret.
func (n *Native) totpLogin(ctx context.Context, token, secret, query, what string) error {
	st, flow, err := n.call(ctx, http.MethodGet, "/self-service/login/api?"+query, token, nil)
	if err != nil || st != http.StatusOK {
		return failed("oritest: "+what+" flow", st, flow, err)
	}
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		return err
	}
	id, _ := flow["id"].(string)
	st, out, err := n.call(ctx, http.MethodPost, "/self-service/login?flow="+url.QueryEscape(id), token,
		map[string]string{"method": "totp", "totp_code": code})
	if err != nil || st != http.StatusOK {
		return failed("oritest: "+what, st, out, err)
	}
	return nil
}

// Refresh re-authenticates the session of token with its password (login
// flow with refresh=true): its authenticated_at becomes now.
func (n *Native) Refresh(ctx context.Context, token, email, password string) error {
	st, flow, err := n.call(ctx, http.MethodGet, "/self-service/login/api?refresh=true", token, nil)
	if err != nil || st != http.StatusOK {
		return failed("oritest: refresh login flow", st, flow, err)
	}
	id, _ := flow["id"].(string)
	st, out, err := n.call(ctx, http.MethodPost, "/self-service/login?flow="+url.QueryEscape(id), token,
		map[string]string{"method": "password", "identifier": email, "password": password})
	if err != nil || st != http.StatusOK {
		return failed("oritest: refresh login", st, out, err)
	}
	return nil
}

// Whoami returns the session of token as Kratos sees it.
func (n *Native) Whoami(ctx context.Context, token string) (map[string]any, error) {
	st, out, err := n.call(ctx, http.MethodGet, "/sessions/whoami", token, nil)
	if err != nil || st != http.StatusOK {
		return nil, failed("oritest: whoami", st, out, err)
	}
	return out, nil
}

// RefreshTOTP re-authenticates the session of token with a TOTP code of
// secret (login flow with refresh=true&aal=aal2).
func (n *Native) RefreshTOTP(ctx context.Context, token, secret string) error {
	return n.totpLogin(ctx, token, secret, "refresh=true&aal=aal2", "refresh aal2 login")
}

// failed describes a failed call: the transport error, else the status and
// body Kratos answered.
func failed(what string, status int, body any, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return fmt.Errorf("%s: %d %v", what, status, body)
}
