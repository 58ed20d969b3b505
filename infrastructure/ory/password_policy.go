package ory

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	client "github.com/ory/client-go"

	"github.com/torquehq/torque/domain/errs"
)

// passwordFlowTTL bounds the admin recovery code that setPasswordUnderPolicy
// redeems at once.
const passwordFlowTTL = 5 * time.Minute

// Kratos's message ids for a refused password (github.com/ory/kratos/text).
const (
	msgPasswordPolicy          = 4000005 // generic "does not match the policy"
	msgPasswordTooSimilar      = 4000031 // too similar to the identifier
	msgPasswordMinLength       = 4000032
	msgPasswordMaxLength       = 4000033
	msgPasswordTooManyBreaches = 4000034
)

// setPasswordUnderPolicy gives identity id the password through Kratos's own
// self-service flows, so the password policy of the Kratos configuration
// applies (the admin API applies none). With public registration disabled,
// this is the way a backend sets a first password:
//
//  1. POST /admin/recovery/code (flow_type api): a recovery code for the
//     identity, never sent anywhere;
//  2. POST /self-service/recovery?flow=… with the code: a privileged session
//     token and a settings flow (continue_with, which needs
//     feature_flags.use_continue_with_transitions);
//  3. POST /self-service/settings?flow=… with the password, as that session;
//  4. the session is revoked: signup hands out no session.
//
// An admin recovery code does not mark the address verified (Kratos does that
// only for codes it e-mailed itself), so the owner still has to prove it.
func (k *Kratos) setPasswordUnderPolicy(ctx context.Context, id, password string) error {
	if err := checkID(id); err != nil {
		return err
	}
	body := client.CreateRecoveryCodeForIdentityBody{IdentityId: id}
	flowType, ttl := "api", passwordFlowTTL.String()
	body.FlowType, body.ExpiresIn = &flowType, &ttl
	raw, resp, err := k.admin.IdentityAPI.CreateRecoveryCodeForIdentity(ctx).CreateRecoveryCodeForIdentityBody(body).Execute()
	closeBody(resp)
	if err != nil {
		return callError("set password: create recovery code", resp, err)
	}
	u, err := url.Parse(raw.RecoveryLink)
	if err != nil || u.Query().Get("flow") == "" {
		return fmt.Errorf("ory: set password: recovery link without a flow")
	}
	var rec selfServiceFlow
	status, err := k.selfService(ctx, "/self-service/recovery?flow="+url.QueryEscape(u.Query().Get("flow")), "",
		map[string]string{"method": "code", "code": raw.RecoveryCode}, &rec)
	if err != nil {
		return fmt.Errorf("ory: set password: recovery: %w", err)
	}
	var token, settingsFlow string
	for _, c := range rec.ContinueWith {
		switch c.Action {
		case "set_ory_session_token":
			token = c.OrySessionToken
		case "show_settings_ui":
			settingsFlow = c.Flow.ID
		}
	}
	if status != http.StatusOK || token == "" || settingsFlow == "" {
		return fmt.Errorf("ory: set password: recovery answered %d without a session (is feature_flags.use_continue_with_transitions on?)", status)
	}
	// Whatever happens next, the privileged session must not outlive this call.
	defer func() { _ = k.RevokeSessions(context.WithoutCancel(ctx), id) }()
	var set selfServiceFlow
	status, err = k.selfService(ctx, "/self-service/settings?flow="+url.QueryEscape(settingsFlow), token,
		map[string]string{"method": "password", "password": password}, &set)
	if err != nil {
		return fmt.Errorf("ory: set password: settings: %w", err)
	}
	switch {
	case status == http.StatusOK && set.State == "success":
		return nil
	case status == http.StatusBadRequest:
		return passwordRefused(set)
	}
	return fmt.Errorf("ory: set password: settings answered %d (state %q)", status, set.State)
}

// passwordRefused turns the settings flow's messages into a validation error
// on "password" with a stable code and text (never Kratos's own text).
func passwordRefused(f selfServiceFlow) error {
	code, msg := "weak_password", "the password does not meet the password policy"
	for _, m := range f.errorMessages() {
		switch m.ID {
		case msgPasswordTooSimilar:
			return errs.Invalid("password", "too_similar", "the password is too similar to the e-mail")
		case msgPasswordMinLength:
			return errs.Invalid("password", "weak_password", "the password is too short")
		case msgPasswordMaxLength:
			return errs.Invalid("password", "too_long", "the password is too long")
		case msgPasswordTooManyBreaches:
			return errs.Invalid("password", "breached", "this password appeared in data breaches; choose another")
		case msgPasswordPolicy:
		}
	}
	return errs.Invalid("password", code, msg)
}

// selfServiceFlow is the part of a self-service flow answer read here.
type selfServiceFlow struct {
	State        string `json:"state"`
	ContinueWith []struct {
		Action          string `json:"action"`
		OrySessionToken string `json:"ory_session_token"`
		Flow            struct {
			ID string `json:"id"`
		} `json:"flow"`
	} `json:"continue_with"`
	UI struct {
		Messages []kratosMessage `json:"messages"`
		Nodes    []struct {
			Messages []kratosMessage `json:"messages"`
		} `json:"nodes"`
	} `json:"ui"`
}

func (f selfServiceFlow) errorMessages() []kratosMessage {
	var out []kratosMessage
	for _, m := range f.UI.Messages {
		if m.Type == "error" {
			out = append(out, m)
		}
	}
	for _, n := range f.UI.Nodes {
		for _, m := range n.Messages {
			if m.Type == "error" {
				out = append(out, m)
			}
		}
	}
	return out
}

// selfService POSTs in as JSON to a public self-service endpoint, as a native
// client (sessionToken may be empty), and decodes the answer into out.
func (k *Kratos) selfService(ctx context.Context, path, sessionToken string, in, out any) (int, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, k.publicURL+path, bytes.NewReader(b))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	if sessionToken != "" {
		req.Header.Set("X-Session-Token", sessionToken)
	}
	resp, err := k.hc.Do(req)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", errs.ErrUnavailable, err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode >= 500 {
		return resp.StatusCode, fmt.Errorf("%s answered %d: %w", strings.SplitN(path, "?", 2)[0], resp.StatusCode, errs.ErrUnavailable)
	}
	_ = json.Unmarshal(raw, out) // error answers are flows too; an odd body leaves out empty
	return resp.StatusCode, nil
}
