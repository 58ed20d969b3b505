package authz_test

import (
	"flag"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/torquehq/torque/application/authz"
)

var update = flag.Bool("update", false, "rewrite docs/permissions.md from the matrix")

var roles = []string{"owner", "manager", "advisor", "mechanic", "franchise_manager", "customer"}

// renderMatrix renders the role × action table of docs/permissions.md.
func renderMatrix() string {
	m := authz.Matrix()
	allowed := map[string]map[string]bool{}
	actions := map[string]bool{}
	for r, acts := range m {
		allowed[r] = map[string]bool{}
		for _, a := range acts {
			allowed[r][a] = true
			actions[a] = true
		}
	}
	names := make([]string, 0, len(actions))
	for a := range actions {
		names = append(names, a)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("| action | " + strings.Join(roles, " | ") + " |\n|---|" + strings.Repeat("---|", len(roles)) + "\n")
	for _, a := range names {
		b.WriteString("| `" + a + "` |")
		for _, r := range roles {
			if allowed[r][a] {
				b.WriteString(" ✓ |")
			} else {
				b.WriteString(" — |")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

const begin, end = "<!-- matrix:begin -->\n", "<!-- matrix:end -->"

func TestPermissionsDoc_MatchesTheMatrix(t *testing.T) {
	path := "../../docs/permissions.md"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatal("docs/permissions.md lacks the matrix markers")
	}
	want := renderMatrix()
	if got := doc[i+len(begin) : j]; got != want {
		if *update {
			if err := os.WriteFile(path, []byte(doc[:i+len(begin)]+want+doc[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Fatalf("docs/permissions.md is out of date; run go test ./application/authz -update\n%s", want)
	}
}

func TestRequire_ReadOnlyWorkshopMayStillRead(t *testing.T) {
	t.Parallel()
	for _, a := range []authz.Action{authz.ReadCustomer, authz.ExportCustomer, authz.ReadWorkshop} {
		if authz.IsWrite(a) {
			t.Errorf("%s counted as a write: a canceled workshop could not use it", a)
		}
	}
	for _, a := range []authz.Action{authz.WriteCustomer, authz.OpenServiceOrder, authz.InviteStaff, authz.EraseCustomer} {
		if !authz.IsWrite(a) {
			t.Errorf("%s counted as a read: a canceled workshop could use it", a)
		}
	}
}
