package ory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	client "github.com/ory/client-go"

	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/domain/errs"
)

var _ identity.CodeLogin = (*Kratos)(nil)

// errInvalidCode is the one answer to every failed code login.
var errInvalidCode = fmt.Errorf("ory: code login: unknown address or invalid code: %w", errs.ErrUnauthenticated)

// SendLoginCode implements identity.CodeLogin with Kratos's API login flow:
// GET /self-service/login/api, then POST /self-service/login?flow=<id> with
// {"method":"code","identifier":email}. Kratos answers that submission with
// 400 and the flow in state "sent_email" once the code is on its way (an API
// flow has no redirect to give), and with the flow holding an error message for
// an address no identity has as a code identifier.
//
// brand travels as the flow's transient_payload.workshop_name, which the
// login-code e-mail template (deploy/ory/templates/login_code) shows.
func (k *Kratos) SendLoginCode(ctx context.Context, email, brand string) (string, error) {
	email = normalizeEmail(email)
	if email == "" {
		return "", errInvalidCode
	}
	flow, resp, err := k.public.FrontendAPI.CreateNativeLoginFlow(ctx).Execute()
	closeBody(resp)
	if err != nil {
		return "", callError("code login: create flow", resp, err)
	}
	m := &client.UpdateLoginFlowWithCodeMethod{Method: "code", Identifier: &email}
	if brand = strings.TrimSpace(brand); brand != "" {
		m.TransientPayload = map[string]any{"workshop_name": brand}
	}
	body := client.UpdateLoginFlowWithCodeMethodAsUpdateLoginFlowBody(m)
	_, resp, err = k.public.FrontendAPI.UpdateLoginFlow(ctx).Flow(flow.Id).UpdateLoginFlowBody(body).Execute()
	closeBody(resp)
	if err == nil {
		return "", errors.New("ory: code login: Kratos logged in without a code")
	}
	if statusOf(resp) != http.StatusBadRequest {
		return "", callError("code login: send code", resp, err)
	}
	if st, _ := flowState(err); st != "sent_email" {
		return "", errInvalidCode
	}
	return flow.Id, nil
}

// LoginWithCode implements identity.CodeLogin: the second submission of the
// flow, {"method":"code","identifier":email,"code":code}, answers 200 with the
// session token.
func (k *Kratos) LoginWithCode(ctx context.Context, flowID, email, code string) (string, identity.Session, error) {
	email, code, flowID = normalizeEmail(email), strings.TrimSpace(code), strings.TrimSpace(flowID)
	if email == "" || code == "" || flowID == "" {
		return "", identity.Session{}, errInvalidCode
	}
	body := client.UpdateLoginFlowWithCodeMethodAsUpdateLoginFlowBody(&client.UpdateLoginFlowWithCodeMethod{
		Method: "code", Identifier: &email, Code: &code,
	})
	res, resp, err := k.public.FrontendAPI.UpdateLoginFlow(ctx).Flow(flowID).UpdateLoginFlowBody(body).Execute()
	closeBody(resp)
	if err != nil {
		switch statusOf(resp) {
		case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusGone, http.StatusUnprocessableEntity:
			// 400: wrong code (or too many attempts); 404/410: unknown or
			// expired flow; 401/403: disabled identity.
			return "", identity.Session{}, errInvalidCode
		}
		return "", identity.Session{}, callError("code login", resp, err)
	}
	if res.SessionToken == nil || *res.SessionToken == "" {
		return "", identity.Session{}, errors.New("ory: code login: no session token in the answer")
	}
	s, err := k.toSession(&res.Session)
	if err != nil {
		return "", identity.Session{}, err
	}
	k.cache.put(sessionKey(kindToken, *res.SessionToken), s)
	return *res.SessionToken, s, nil
}

// flowState reads the "state" of the flow in a Kratos error body.
func flowState(err error) (string, bool) {
	var apiErr interface{ Body() []byte }
	if !errors.As(err, &apiErr) {
		return "", false
	}
	var f struct {
		State string `json:"state"`
	}
	if json.Unmarshal(apiErr.Body(), &f) != nil {
		return "", false
	}
	return f.State, f.State != ""
}
