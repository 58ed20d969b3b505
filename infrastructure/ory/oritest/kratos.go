package oritest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/torquehq/torque/internal/syncbuf"
)

// Server is a Kratos of a test's own, running the repository's
// deploy/ory/kratos.yml on free ports and a fresh database.
type Server struct {
	PublicURL, AdminURL string
	logs                *syncbuf.Buffer
}

// Logs is Kratos's output so far.
func (s *Server) Logs() string { return s.logs.String() }

// StartKratos starts a Kratos with the repository's own configuration
// (deploy/ory/kratos.yml, its ports rewritten to kernel-chosen free ones), for
// tests of that configuration itself: the local stack's Kratos runs whatever
// configuration it was started with. The binary is $TORQUE_KRATOS_BIN, else
// $TORQUE_LOCAL_DIR/bin/kratos, else <repository>/.local/bin/kratos; the
// database is created with $TORQUE_DATABASE_ADMIN_URL's role and dropped at
// cleanup. Skipped under -short. Takes several seconds (migrations).
func StartKratos(t testing.TB) *Server {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: starts Kratos (needs the local stack's Postgres)")
	}
	root := repoRoot(t)
	bin := kratosBinary(root)
	if bin == "" {
		t.Fatalf("oritest: no Kratos binary: set TORQUE_KRATOS_BIN or TORQUE_LOCAL_DIR (deploy/local/up.sh builds it into .local/bin)")
	}
	ports := freePorts(t, 2)
	s := &Server{PublicURL: "http://127.0.0.1:" + ports[0], AdminURL: "http://127.0.0.1:" + ports[1], logs: &syncbuf.Buffer{}}

	raw, err := os.ReadFile(filepath.Join(root, "deploy/ory/kratos.yml")) //nolint:gosec // the repository's own file
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.NewReplacer("127.0.0.1:4433", "127.0.0.1:"+ports[0], "127.0.0.1:4434", "127.0.0.1:"+ports[1],
		"port: 4433", "port: "+ports[0], "port: 4434", "port: "+ports[1]).Replace(string(raw))
	if !strings.Contains(cfg, "port: "+ports[1]) {
		t.Fatal("oritest: deploy/ory/kratos.yml no longer names port 4434: update oritest.StartKratos")
	}
	dir := t.TempDir()
	cfgFile := filepath.Join(dir, "kratos.yml")
	if err := os.WriteFile(cfgFile, []byte(cfg), 0o600); err != nil { //nolint:gosec // the test's own temporary directory
		t.Fatal(err)
	}

	dsn := createDatabase(t)
	env := append(os.Environ(), "DSN="+dsn)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	migrate := exec.CommandContext(ctx, bin, "migrate", "sql", "-e", "--yes", "-c", cfgFile) //nolint:gosec // the Kratos binary the developer configured
	migrate.Dir, migrate.Env = root, env
	if out, err := migrate.CombinedOutput(); err != nil {
		t.Fatalf("oritest: kratos migrate: %v\n%s", err, tail(string(out)))
	}
	cmd := exec.Command(bin, "serve", "-c", cfgFile, "--dev", "--watch-courier") //nolint:gosec // the Kratos binary the developer configured
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = root, env, s.logs, s.logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("kratos log:\n%s", tail(s.logs.String()))
		}
	})
	for {
		select {
		case <-exited:
			t.Fatalf("oritest: kratos exited:\n%s", tail(s.logs.String()))
		case <-ctx.Done():
			t.Fatalf("oritest: kratos not ready:\n%s", tail(s.logs.String()))
		case <-time.After(200 * time.Millisecond):
		}
		resp, err := http.Get(s.AdminURL + "/admin/health/ready")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
	}
}

func repoRoot(t testing.TB) string {
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
			t.Fatal("oritest: no go.mod above the working directory")
		}
		dir = parent
	}
}

func kratosBinary(root string) string {
	candidates := []string{os.Getenv("TORQUE_KRATOS_BIN")}
	if d := os.Getenv("TORQUE_LOCAL_DIR"); d != "" {
		candidates = append(candidates, filepath.Join(d, "bin/kratos"))
	}
	candidates = append(candidates, filepath.Join(root, ".local/bin/kratos"))
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if fi, err := os.Stat(c); err == nil && !fi.IsDir() { //nolint:gosec // paths the developer configured
			return c
		}
	}
	return ""
}

// portNext, when TORQUE_TEST_PORT_BASE is set, makes freePorts take that
// port and the next 99 first (a range reserved for this test run), which a
// concurrent run's kernel-chosen port cannot take between check and bind.
var portNext struct {
	sync.Mutex
	n int
}

func listenFree() (net.Listener, error) {
	if base, err := strconv.Atoi(os.Getenv("TORQUE_TEST_PORT_BASE")); err == nil && base > 0 {
		portNext.Lock()
		defer portNext.Unlock()
		for ; portNext.n < 100; portNext.n++ {
			if l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(base+portNext.n)); err == nil {
				portNext.n++
				return l, nil
			}
		}
	}
	return net.Listen("tcp", "127.0.0.1:0")
}

func freePorts(t testing.TB, n int) []string {
	var out []string
	var ls []net.Listener
	for range n {
		l, err := listenFree()
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		out = append(out, strconv.Itoa(l.Addr().(*net.TCPAddr).Port))
	}
	for _, l := range ls {
		_ = l.Close()
	}
	return out
}

func createDatabase(t testing.TB) string {
	admin := os.Getenv("TORQUE_DATABASE_ADMIN_URL")
	if admin == "" {
		admin = "postgres://torque:torque@127.0.0.1:55432/torque?sslmode=disable" //nolint:gosec // the local stack's development role
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("oritest: Postgres unreachable: %v", err)
	}
	defer func() { _ = c.Close(ctx) }()
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "kratos_test_" + hex.EncodeToString(b[:])
	if _, err := c.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("oritest: create database: %v", err)
	}
	t.Cleanup(func() {
		cctx, ccancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer ccancel()
		if c, err := pgx.Connect(cctx, admin); err == nil {
			_, _ = c.Exec(cctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
			_ = c.Close(cctx)
		}
	})
	u, _ := url.Parse(admin)
	u.Path = "/" + name
	return u.String()
}

func tail(s string) string {
	if len(s) > 4000 {
		return "…" + s[len(s)-4000:]
	}
	return s
}
