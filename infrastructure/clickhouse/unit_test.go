package clickhouse

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/google/uuid"

	chmigrations "github.com/torquehq/torque/migrations/clickhouse"
)

func TestSplitStatements_OnePerTableAndNoComments(t *testing.T) {
	body, err := fs.ReadFile(chmigrations.FS, "0001_facts.sql")
	if err != nil {
		t.Fatal(err)
	}
	stmts := SplitStatements(string(body))
	if len(stmts) != len(factTables) {
		t.Fatalf("%d statements, want one per table (%d)", len(stmts), len(factTables))
	}
	for _, s := range stmts {
		if !strings.HasPrefix(s, "CREATE TABLE IF NOT EXISTS ") || strings.Contains(s, "--") || strings.HasSuffix(s, ";") {
			t.Errorf("statement %.60q", s)
		}
	}
}

func TestPseudonyms_StablePerWorkshopAndUnlinkableAcross(t *testing.T) {
	p, err := NewPseudonyms(DeriveRootKey("k1:some-master-key"))
	if err != nil {
		t.Fatal(err)
	}
	w1, w2, c := uuid.New(), uuid.New(), uuid.New()
	again, _ := NewPseudonyms(DeriveRootKey("k1:some-master-key"))
	if p.Customer(w1, c) != again.Customer(w1, c) {
		t.Fatal("a pseudonym changed")
	}
	if p.Customer(w1, c) == p.Customer(w2, c) {
		t.Fatal("the same person has the same pseudonym in two workshops")
	}
	if p.Customer(w1, c) == c || p.Vehicle(w1, c) == p.Customer(w1, c) {
		t.Fatal("a pseudonym equals the id or another kind's pseudonym")
	}
	other, _ := NewPseudonyms(DeriveRootKey("k2:another"))
	if other.Customer(w1, c) == p.Customer(w1, c) {
		t.Fatal("the pseudonym does not depend on the key")
	}
	if p.Customer(w1, uuid.Nil) != uuid.Nil || p.Mechanic(w1, "") != uuid.Nil {
		t.Fatal("an absent id got a pseudonym")
	}
	if _, err := NewPseudonyms([]byte("short")); err == nil {
		t.Fatal("a short key was accepted")
	}
}
