package oritest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// Kratos is a Kratos of a test's own (StartKratos).
type Kratos struct {
	PublicURL, AdminURL string
}

// StartKratos runs a Kratos for the test with the repository's
// deploy/ory/kratos.yml (so features the stack's long-running Kratos may not
// have yet, e.g. TOTP, are tested as configured), on kernel-chosen ports and a
// fresh database on the stack's Postgres; stopped and dropped at cleanup.
// The binary is TORQUE_KRATOS_BIN, else $TORQUE_LOCAL_DIR/bin/kratos, else the
// repository's .local/bin/kratos, else /work/main/.local/bin/kratos.
func StartKratos(t testing.TB) *Kratos {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: needs Postgres and a Kratos binary (run without -short)")
	}
	root := repoRoot(t)
	bin := kratosBin(root)
	if bin == "" {
		t.Fatal("oritest: no Kratos binary: set TORQUE_KRATOS_BIN or run `make stack`")
	}
	public, admin := freePort(t), freePort(t)
	raw, err := os.ReadFile(filepath.Join(root, "deploy/ory/kratos.yml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := regexp.MustCompile(`\b4433\b`).ReplaceAllString(string(raw), strconv.Itoa(public))
	cfg = regexp.MustCompile(`\b4434\b`).ReplaceAllString(cfg, strconv.Itoa(admin))
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "kratos.yml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}

	adminDB := os.Getenv("TORQUE_DATABASE_ADMIN_URL")
	if adminDB == "" {
		adminDB = "postgres://torque:torque@127.0.0.1:55432/torque?sslmode=disable"
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	dbName := "kratos_test_" + hex.EncodeToString(b[:])
	createDB(t, adminDB, dbName)
	u, _ := url.Parse(adminDB)
	u.Path = "/" + dbName
	env := append(os.Environ(), "DSN="+u.String())

	mig := exec.Command(bin, "migrate", "sql", "-e", "--yes", "-c", cfgPath) //nolint:gosec // test support: the binary is the developer's
	mig.Dir, mig.Env = root, env
	if out, err := mig.CombinedOutput(); err != nil {
		t.Fatalf("oritest: kratos migrate: %v\n%s", err, tailOf(string(out), 2000))
	}
	logs := &lockedBuffer{}
	srv := exec.Command(bin, "serve", "-c", cfgPath, "--dev") //nolint:gosec // test support
	srv.Dir, srv.Env, srv.Stdout, srv.Stderr = root, env, logs, logs
	if err := srv.Start(); err != nil {
		t.Fatalf("oritest: start kratos: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = srv.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = srv.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = srv.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("kratos log:\n%s", tailOf(logs.String(), 3000))
		}
	})
	k := &Kratos{PublicURL: fmt.Sprintf("http://127.0.0.1:%d", public), AdminURL: fmt.Sprintf("http://127.0.0.1:%d", admin)}
	deadline := time.Now().Add(90 * time.Second)
	for {
		select {
		case <-done:
			t.Fatalf("oritest: kratos exited:\n%s", tailOf(logs.String(), 3000))
		default:
		}
		resp, err := http.Get(k.AdminURL + "/admin/health/ready") //nolint:noctx // a local poll
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return k
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("oritest: kratos not ready in 90s:\n%s", tailOf(logs.String(), 3000))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func createDB(t testing.TB, adminURL, name string) {
	t.Helper()
	psql := func(sql string) error {
		cmd := exec.Command("psql", adminURL, "-v", "ON_ERROR_STOP=1", "-qc", sql) //nolint:gosec // test support
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%w: %s", err, out)
		}
		return nil
	}
	if err := psql(`CREATE DATABASE "` + name + `"`); err != nil {
		t.Fatalf("oritest: create kratos database: %v", err)
	}
	t.Cleanup(func() { _ = psql(`DROP DATABASE IF EXISTS "` + name + `" WITH (FORCE)`) })
}

func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("oritest: no go.mod above the test")
		}
		dir = parent
	}
}

func kratosBin(root string) string {
	cands := []string{os.Getenv("TORQUE_KRATOS_BIN")}
	if d := os.Getenv("TORQUE_LOCAL_DIR"); d != "" {
		cands = append(cands, filepath.Join(d, "bin/kratos"))
	}
	cands = append(cands, filepath.Join(root, ".local/bin/kratos"), "/work/main/.local/bin/kratos")
	for _, c := range cands {
		if c == "" {
			continue
		}
		if st, err := os.Stat(c); err == nil && !st.IsDir() {
			return c
		}
	}
	return ""
}

// portBase, when TORQUE_TEST_PORT_BASE is set, makes freePort try that port
// and the next 99 first (a range reserved for this test run), which a
// concurrent run's kernel-chosen port cannot take between check and bind.
var portNext struct {
	sync.Mutex
	n int
}

func freePort(t testing.TB) int {
	t.Helper()
	if base, err := strconv.Atoi(os.Getenv("TORQUE_TEST_PORT_BASE")); err == nil && base > 0 {
		portNext.Lock()
		defer portNext.Unlock()
		for ; portNext.n < 100; portNext.n++ {
			p := base + portNext.n
			if l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p)); err == nil {
				_ = l.Close()
				portNext.n++
				return p
			}
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func tailOf(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

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
		return "", fmt.Errorf("oritest: settings flow: %d %v %v", st, flow, err)
	}
	secret := TOTPSecret(flow)
	if secret == "" {
		return "", fmt.Errorf("oritest: the settings flow offers no TOTP secret (is selfservice.methods.totp enabled?)")
	}
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		return "", err
	}
	id, _ := flow["id"].(string)
	st, out, err := n.call(ctx, http.MethodPost, "/self-service/settings?flow="+url.QueryEscape(id), token,
		map[string]string{"method": "totp", "totp_code": code})
	if err != nil || st != http.StatusOK {
		return "", fmt.Errorf("oritest: enrol totp: %d %v %v", st, out, err)
	}
	return secret, nil
}

// LoginAAL2 raises the session of token to aal2 with a TOTP code of secret
// (login flow with aal=aal2).
func (n *Native) LoginAAL2(ctx context.Context, token, secret string) error {
	st, flow, err := n.call(ctx, http.MethodGet, "/self-service/login/api?aal=aal2", token, nil)
	if err != nil || st != http.StatusOK {
		return fmt.Errorf("oritest: aal2 login flow: %d %v %v", st, flow, err)
	}
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		return err
	}
	id, _ := flow["id"].(string)
	st, out, err := n.call(ctx, http.MethodPost, "/self-service/login?flow="+url.QueryEscape(id), token,
		map[string]string{"method": "totp", "totp_code": code})
	if err != nil || st != http.StatusOK {
		return fmt.Errorf("oritest: aal2 login: %d %v %v", st, out, err)
	}
	return nil
}

// Refresh re-authenticates the session of token with its password (login
// flow with refresh=true): its authenticated_at becomes now.
func (n *Native) Refresh(ctx context.Context, token, email, password string) error {
	st, flow, err := n.call(ctx, http.MethodGet, "/self-service/login/api?refresh=true", token, nil)
	if err != nil || st != http.StatusOK {
		return fmt.Errorf("oritest: refresh login flow: %d %v %v", st, flow, err)
	}
	id, _ := flow["id"].(string)
	st, out, err := n.call(ctx, http.MethodPost, "/self-service/login?flow="+url.QueryEscape(id), token,
		map[string]string{"method": "password", "identifier": email, "password": password})
	if err != nil || st != http.StatusOK {
		return fmt.Errorf("oritest: refresh login: %d %v %v", st, out, err)
	}
	return nil
}

// Whoami returns the session of token as Kratos sees it.
func (n *Native) Whoami(ctx context.Context, token string) (map[string]any, error) {
	st, out, err := n.call(ctx, http.MethodGet, "/sessions/whoami", token, nil)
	if err != nil || st != http.StatusOK {
		return nil, fmt.Errorf("oritest: whoami: %d %v %v", st, out, err)
	}
	return out, nil
}
