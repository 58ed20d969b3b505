package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/domain/errs"
)

// mfaFlows answers every flow id with the flow of its kind.
type mfaFlows map[string]identity.Flow

func (f mfaFlows) PublicURL() string { return "http://kratos.test" }
func (f mfaFlows) StartURL(kind string) string {
	return "http://kratos.test/self-service/" + kind + "/browser"
}
func (f mfaFlows) Flow(_ context.Context, kind, _, _ string) (identity.Flow, error) {
	fl, ok := f[kind]
	if !ok {
		return identity.Flow{}, identity.ErrFlowGone
	}
	return fl, nil
}
func (f mfaFlows) LogoutURL(context.Context, string) (string, error) { return "", identity.ErrFlowGone }

// oneSession knows one bearer token.
type oneSession struct{ s identity.Session }

func (a oneSession) SessionFromToken(_ context.Context, token string) (identity.Session, error) {
	if token == "tok" {
		return a.s, nil
	}
	return identity.Session{}, errs.ErrUnauthenticated
}
func (a oneSession) SessionFromCookie(context.Context, string) (identity.Session, error) {
	return identity.Session{}, errs.ErrUnauthenticated
}
func (a oneSession) LoginWithPassword(context.Context, string, string) (string, time.Time, error) {
	return "", time.Time{}, errs.ErrUnauthenticated
}
func (a oneSession) Forget(string, string)                {}
func (a oneSession) Logout(context.Context, string) error { return nil }

func mfaHandler(t *testing.T, flows mfaFlows) *Handler {
	t.Helper()
	h, err := New(Config{PublicURL: "http://127.0.0.1:8080", Flows: flows, Authn: oneSession{identity.Session{
		Identity: identity.Identity{ID: "id-1", Schema: identity.SchemaStaff, Email: "ana@oficina.test", Name: "Ana"}, AAL: identity.AAL1}}})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func get(h *Handler, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer tok")
	req.Header.Set("Accept-Language", "pt-BR")
	h.ServeHTTP(rec, req)
	return rec
}

func input(group, name, typ string) identity.FlowInput {
	return identity.FlowInput{Group: group, Name: name, Type: typ}
}

// The second-factor step of someone without a factor (Kratos offers no
// input) sends them to enrol one, returning where the login flow would have,
// but never to another site.
func TestLogin_secondFactorWithoutAFactorGoesToEnrolment(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ returnTo, want string }{
		{"http://127.0.0.1:8080/app/oficina/customers", "http://kratos.test/self-service/settings/browser?return_to=" +
			url.QueryEscape("http://127.0.0.1:8080/app/oficina/customers")},
		{"http://evil.test/app/", "http://kratos.test/self-service/settings/browser"},
	} {
		h := mfaHandler(t, mfaFlows{"login": {ID: "f", RequestedAAL: "aal2", ReturnTo: c.returnTo,
			Inputs: []identity.FlowInput{input("default", "csrf_token", "hidden")}}})
		rec := get(h, "/login?flow=f")
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != c.want {
			t.Errorf("return_to %s: %d %q, want %q", c.returnTo, rec.Code, rec.Header().Get("Location"), c.want)
		}
	}
}

// A refresh login says why it asks again, with the person's address filled
// in; with a second factor it asks for the code instead.
func TestLogin_refreshSaysWhy(t *testing.T) {
	t.Parallel()
	h := mfaHandler(t, mfaFlows{"login": {ID: "f", Refresh: true, RequestedAAL: "aal1", Action: "http://kratos.test/self-service/login?flow=f",
		Inputs:   []identity.FlowInput{input("default", "identifier", "text"), input("password", "password", "password")},
		Messages: []identity.FlowMessage{{ID: 1010003, Type: "info", Text: "Please confirm this action by verifying that it is you."}}}})
	body := get(h, "/login?flow=f").Body.String()
	for _, want := range []string{"Por segurança, confirme sua senha para continuar", `value="ana@oficina.test" readonly`, `name="method" value="password"`} {
		if !strings.Contains(body, want) {
			t.Errorf("refresh page lacks %q", want)
		}
	}
	if strings.Contains(body, "Please confirm") {
		t.Error("Kratos's English message shown")
	}
	h = mfaHandler(t, mfaFlows{"login": {ID: "f", Refresh: true, RequestedAAL: "aal2",
		Inputs:   []identity.FlowInput{input("totp", "totp_code", "text"), input("totp", "method", "submit")},
		Messages: []identity.FlowMessage{{ID: 4000008, Type: "error", Text: "The provided authentication code is invalid"}}}})
	body = get(h, "/login?flow=f").Body.String()
	for _, want := range []string{"confirme o código do seu aplicativo autenticador", `name="totp_code"`, `name="method" value="totp"`, "Código inválido"} {
		if !strings.Contains(body, want) {
			t.Errorf("aal2 refresh page lacks %q", want)
		}
	}
	if strings.Contains(body, `name="password"`) {
		t.Error("aal2 refresh page asks for the password")
	}
}

// The account page renders Kratos's TOTP group: QR code (a PNG data: URL
// only), secret and code input while none is enrolled, with the workshop's
// requirement explained when a workshop sent the person there; a button to
// unlink once enrolled.
func TestAccount_rendersTOTPEnrolmentAndUnlinking(t *testing.T) {
	t.Parallel()
	enrol := identity.Flow{ID: "s", Action: "http://kratos.test/self-service/settings?flow=s", ReturnTo: "http://127.0.0.1:8080/app/oficina/",
		Inputs: []identity.FlowInput{input("default", "csrf_token", "hidden"), input("password", "password", "password"),
			{Group: "totp", ID: "totp_qr", Src: "data:image/png;base64,iVBORw0KGgo="},
			{Group: "totp", ID: "totp_secret_key", Text: "JBSWY3DPEHPK3PXP"},
			input("totp", "totp_code", "text"), input("totp", "method", "submit")}}
	body := get(mfaHandler(t, mfaFlows{"settings": enrol}), "/settings/account?flow=s").Body.String()
	for _, want := range []string{`<img src="data:image/png;base64,iVBORw0KGgo="`, "JBSWY3DPEHPK3PXP", `name="totp_code"`,
		"Esta oficina exige verificação em duas etapas", "Ativar verificação em duas etapas", `name="password"`} {
		if !strings.Contains(body, want) {
			t.Errorf("enrolment page lacks %q", want)
		}
	}
	enrol.Inputs[2].Src = "javascript:alert(1)"
	enrol.ReturnTo = ""
	body = get(mfaHandler(t, mfaFlows{"settings": enrol}), "/settings/account?flow=s").Body.String()
	if strings.Contains(body, "javascript:") || strings.Contains(body, "Esta oficina exige") {
		t.Error("a non-PNG image source, or the requirement notice without a workshop to return to")
	}
	unlink := identity.Flow{ID: "s", Inputs: []identity.FlowInput{input("default", "csrf_token", "hidden"), input("totp", "totp_unlink", "submit")}}
	body = get(mfaHandler(t, mfaFlows{"settings": unlink}), "/settings/account?flow=s").Body.String()
	if !strings.Contains(body, `name="totp_unlink" value="true"`) || !strings.Contains(body, "Desativar verificação em duas etapas") {
		t.Error("enrolled: no unlink button")
	}
}
