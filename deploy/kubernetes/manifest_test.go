// Package kubernetes_test checks the Kubernetes manifests.
package kubernetes_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

var kindRE = regexp.MustCompile(`(?m)^kind:\s*(\S+)`)
var nameRE = regexp.MustCompile(`(?m)^metadata:\s*\n\s+name:\s*(\S+)`)

// Issue 10 item 8: the admin URL (schema owner, BYPASSRLS) reaches only the
// migration job, never the API or worker pods.
func TestManifest_adminDatabaseURLOnlyInMigrationJob(t *testing.T) {
	raw, err := os.ReadFile("torque.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The secret the API and worker mount (secretRef: torque-secrets) is created
	// by the command documented in the manifest: it must not carry the admin URL.
	create := secretCommand(string(raw), "torque-secrets")
	if create == "" {
		t.Fatal("torque.yaml does not document how torque-secrets is created")
	}
	if strings.Contains(create, "TORQUE_DATABASE_ADMIN_URL") {
		t.Errorf("torque-secrets, mounted by the API and the worker, holds the admin URL: %s", create)
	}
	sawJob := false
	for doc := range strings.SplitSeq(string(raw), "\n---\n") {
		var lines []string
		for l := range strings.SplitSeq(doc, "\n") {
			if !strings.HasPrefix(strings.TrimSpace(l), "#") {
				lines = append(lines, l)
			}
		}
		body := strings.Join(lines, "\n")
		kind, name := match(kindRE, body), match(nameRE, body)
		admin := strings.Contains(body, "TORQUE_DATABASE_ADMIN_URL") || strings.Contains(body, "torque-migrate-secrets")
		switch {
		case kind == "Job" && name == "torque-migrate":
			sawJob = true
			if !strings.Contains(body, "torque-migrate-secrets") {
				t.Error("the migration job does not take the admin URL from torque-migrate-secrets")
			}
		case admin:
			t.Errorf("%s %s gets the admin database URL", kind, name)
		}
		if kind != "Job" && strings.Contains(body, "secretRef") && strings.Contains(body, "torque-migrate") {
			t.Errorf("%s %s mounts the migration secret", kind, name)
		}
	}
	if !sawJob {
		t.Error("no torque-migrate Job in torque.yaml")
	}
}

func match(re *regexp.Regexp, s string) string {
	if m := re.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

// secretCommand returns the documented `kubectl create secret generic NAME`
// command with its continuation lines, or "".
func secretCommand(manifest, name string) string {
	var cmd []string
	for l := range strings.SplitSeq(manifest, "\n") {
		l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "#"))
		if cmd == nil && !strings.Contains(l, "create secret generic "+name+" ") {
			continue
		}
		cmd = append(cmd, l)
		if !strings.HasSuffix(l, "\\") {
			break
		}
	}
	return strings.Join(cmd, " ")
}

// Issue 10 item 1: the manifests run Torque in production, where the
// repository's development secrets are refused, and never as "local".
func TestManifest_productionEnvironment(t *testing.T) {
	raw, err := os.ReadFile("torque.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^\s+TORQUE_ENV:\s*"production"`).Match(raw) {
		t.Error(`torque-config does not set TORQUE_ENV: "production"`)
	}
	for _, dev := range []string{"sk_test_123", "whsec_local_dev_secret", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", `TORQUE_ENV: "local"`} {
		if strings.Contains(string(raw), dev) {
			t.Errorf("torque.yaml carries a development value: %s", dev)
		}
	}
}
