package crypto_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/crypto"
	"github.com/torquehq/torque/infrastructure/postgres/pgtest"
)

var (
	ringK1   = "k1:" + b64Key(0x11)
	ringK2K1 = "k2:" + b64Key(0x22) + "," + ringK1
	ringK2   = "k2:" + b64Key(0x22)
)

// clock is a settable time source for cache expiry.
type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC).UnixNano())
	return c
}
func (c *clock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) Advance(d time.Duration) { c.ns.Add(int64(d)) }
func newTenant() tenant.ID               { t, _ := tenant.FromUUID(uuid.Must(uuid.NewV7())); return t }
func tctx(t tenant.ID) context.Context   { return tenant.WithTenant(context.Background(), t) }
func newSubject() uuid.UUID              { return uuid.Must(uuid.NewV7()) }
func mustRing(t testing.TB, spec string) *crypto.MasterKeyRing {
	t.Helper()
	r, err := crypto.ParseMasterKeys(spec)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// newCipher is one "process": its own cache over the shared database.
func newCipher(t testing.TB, db *pgtest.DB, ring string, now func() time.Time) *crypto.EnvelopeCipher {
	t.Helper()
	c, err := crypto.New(crypto.Config{Pool: db.App, Keys: mustRing(t, ring), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestEnvelopeCipher_EncryptDecrypt_roundTripIntegration(t *testing.T) {
	db := pgtest.New(t)
	c := newCipher(t, db, ringK1, nil)
	ctx := tctx(newTenant())
	subject := newSubject()
	for _, pt := range [][]byte{[]byte(`"Maria da Conceição"`), {}, bytes.Repeat([]byte{0, 0xff}, 5000)} {
		ct, err := c.Encrypt(ctx, subject, "customer.registered.v1.Name", pt)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(ct, "v1.") {
			t.Fatalf("ciphertext %q", ct)
		}
		got, err := c.Decrypt(ctx, subject, "customer.registered.v1.Name", ct)
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("round trip: %v", err)
		}
		// Another process, cold cache, same database: same result.
		got, err = newCipher(t, db, ringK1, nil).Decrypt(ctx, subject, "customer.registered.v1.Name", ct)
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("round trip, cold cache: %v", err)
		}
	}
}

func TestEnvelopeCipher_noTenant_failsClosedIntegration(t *testing.T) {
	db := pgtest.New(t)
	c := newCipher(t, db, ringK1, nil)
	ctx := context.Background()
	s := newSubject()
	if _, err := c.Encrypt(ctx, s, "f", []byte("x")); !errors.Is(err, tenant.ErrNoTenant) {
		t.Errorf("Encrypt: %v", err)
	}
	if _, err := c.Decrypt(ctx, s, "f", "v1.AAAA"); !errors.Is(err, tenant.ErrNoTenant) {
		t.Errorf("Decrypt: %v", err)
	}
	if err := c.Shred(ctx, s); !errors.Is(err, tenant.ErrNoTenant) {
		t.Errorf("Shred: %v", err)
	}
	if _, err := c.BlindIndexer().Index(ctx, privacy.KindEmail, "a@b.c"); !errors.Is(err, tenant.ErrNoTenant) {
		t.Errorf("Index: %v", err)
	}
	if n := db.Count(t, `SELECT count(*) FROM tenant_keys`) + db.Count(t, `SELECT count(*) FROM subject_keys`); n != 0 {
		t.Errorf("%d key rows created without a tenant", n)
	}
}

func TestEnvelopeCipher_Decrypt_movedCiphertextIntegration(t *testing.T) {
	db := pgtest.New(t)
	c := newCipher(t, db, ringK1, nil)
	tA, tB := newTenant(), newTenant()
	ctxA, ctxB := tctx(tA), tctx(tB)
	alice, bob := newSubject(), newSubject()
	const field = "customer.registered.v1.Document"
	ct, err := c.Encrypt(ctxA, alice, field, []byte(`"52998224725"`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Encrypt(ctxA, bob, field, []byte(`"11144477735"`)); err != nil {
		t.Fatal(err)
	}
	// Alice also exists in tenant B (same id, B's own key).
	if _, err := c.Encrypt(ctxB, alice, field, []byte(`"x"`)); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		ctx     context.Context
		subject uuid.UUID
		field   string
	}{
		{"other subject", ctxA, bob, field},
		{"subject without key", ctxA, newSubject(), field},
		{"other field", ctxA, alice, "customer.registered.v1.Name"},
		{"other tenant, same subject id", ctxB, alice, field},
		{"tenant without keys", tctx(newTenant()), alice, field},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, cc := range []*crypto.EnvelopeCipher{c, newCipher(t, db, ringK1, nil)} {
				pt, err := cc.Decrypt(tc.ctx, tc.subject, tc.field, ct)
				if !errors.Is(err, privacy.ErrTampered) || pt != nil {
					t.Fatalf("got %q, %v; want ErrTampered", pt, err)
				}
			}
		})
	}
}

func TestEnvelopeCipher_Decrypt_flippedByteIntegration(t *testing.T) {
	db := pgtest.New(t)
	c := newCipher(t, db, ringK1, nil)
	ctx := tctx(newTenant())
	s := newSubject()
	ct, err := c.Encrypt(ctx, s, "f", []byte(`"Rua das Flores, 10"`))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(ct, "v1."))
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 11, 12, len(raw) / 2, len(raw) - 17, len(raw) - 1} {
		mut := bytes.Clone(raw)
		mut[i] ^= 0x01
		alt := "v1." + base64.RawURLEncoding.EncodeToString(mut)
		if pt, err := c.Decrypt(ctx, s, "f", alt); !errors.Is(err, privacy.ErrTampered) || pt != nil {
			t.Errorf("flipped byte %d: %q %v", i, pt, err)
		}
	}
	last := "A"
	if strings.HasSuffix(ct, last) {
		last = "B"
	}
	if pt, err := c.Decrypt(ctx, s, "f", ct[:len(ct)-1]+last); !errors.Is(err, privacy.ErrTampered) || pt != nil {
		t.Errorf("flipped last character: %q %v", pt, err)
	}
}

func TestEnvelopeCipher_Shred_erasesIntegration(t *testing.T) {
	db := pgtest.New(t)
	clk := newClock()
	procA := newCipher(t, db, ringK1, clk.Now) // the process that shreds
	procB := newCipher(t, db, ringK1, clk.Now) // another process with a warm cache
	tn := newTenant()
	ctx := tctx(tn)
	s, other := newSubject(), newSubject()
	ct, err := procA.Encrypt(ctx, s, "f", []byte(`"Maria"`))
	if err != nil {
		t.Fatal(err)
	}
	otherCT, err := procA.Encrypt(ctx, other, "f", []byte(`"João"`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := procB.Decrypt(ctx, s, "f", ct); err != nil { // warms B's cache
		t.Fatal(err)
	}

	if err := procA.Shred(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := procA.Shred(ctx, s); err != nil {
		t.Fatalf("second shred: %v", err)
	}
	if pt, err := procA.Decrypt(ctx, s, "f", ct); !errors.Is(err, privacy.ErrErased) || pt != nil {
		t.Fatalf("shredding process: %q %v", pt, err)
	}
	if _, err := newCipher(t, db, ringK1, clk.Now).Decrypt(ctx, s, "f", ct); !errors.Is(err, privacy.ErrErased) {
		t.Fatalf("cold process: %v", err)
	}
	if _, err := procA.Encrypt(ctx, s, "f", []byte(`"new"`)); !errors.Is(err, privacy.ErrErased) {
		t.Fatalf("encrypt after shred: %v", err)
	}
	if got, err := procA.Decrypt(ctx, other, "f", otherCT); err != nil || string(got) != `"João"` {
		t.Fatalf("other subject affected: %q %v", got, err)
	}
	// The documented caveat: B may use its cached key for at most the TTL.
	if _, err := procB.Decrypt(ctx, s, "f", ct); err != nil {
		t.Logf("process B already sees the erasure: %v", err)
	}
	clk.Advance(time.Minute)
	if _, err := procB.Decrypt(ctx, s, "f", ct); !errors.Is(err, privacy.ErrErased) {
		t.Fatalf("process B one TTL after shred: %v", err)
	}
	var wrappedNull, shredded bool
	if err := db.Admin.QueryRow(context.Background(),
		`SELECT wrapped IS NULL, shredded_at IS NOT NULL FROM subject_keys WHERE tenant_id = $1 AND subject_id = $2`,
		tn.UUID(), s).Scan(&wrappedNull, &shredded); err != nil || !wrappedNull || !shredded {
		t.Fatalf("key row not shredded: %v %v %v", wrappedNull, shredded, err)
	}
	// Erasure is final even for someone who can write the table.
	if _, err := db.Admin.Exec(context.Background(),
		`UPDATE subject_keys SET wrapped = '\x00', shredded_at = NULL WHERE tenant_id = $1 AND subject_id = $2`, tn.UUID(), s); err == nil {
		t.Fatal("a shredded key row was restored")
	}
}

func TestEnvelopeCipher_Shred_neverKeyedSubjectIntegration(t *testing.T) {
	db := pgtest.New(t)
	c := newCipher(t, db, ringK1, nil)
	ctx := tctx(newTenant())
	s := newSubject()
	if err := c.Shred(ctx, s); err != nil {
		t.Fatal(err)
	}
	if _, err := newCipher(t, db, ringK1, nil).Encrypt(ctx, s, "f", []byte("1")); !errors.Is(err, privacy.ErrErased) {
		t.Fatalf("encrypt for an erased subject: %v", err)
	}
}

func TestEnvelopeCipher_Encrypt_concurrentFirstUseIntegration(t *testing.T) {
	db := pgtest.New(t)
	tn := newTenant()
	ctx := tctx(tn)
	s := newSubject()
	const n = 20
	cts := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		// One cipher per goroutine: no shared cache, every one races to create.
		c := newCipher(t, db, ringK1, nil)
		wg.Go(func() {
			<-start
			cts[i], errs[i] = c.Encrypt(ctx, s, "f", []byte(`"same person"`))
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("goroutine %d: %v", i, err)
		}
	}
	if got := db.Count(t, `SELECT count(*) FROM subject_keys WHERE tenant_id = $1 AND subject_id = $2`, tn.UUID(), s); got != 1 {
		t.Fatalf("%d subject keys", got)
	}
	if got := db.Count(t, `SELECT count(*) FROM tenant_keys WHERE tenant_id = $1`, tn.UUID()); got != 1 {
		t.Fatalf("%d tenant keys", got)
	}
	cold := newCipher(t, db, ringK1, nil)
	for i, ct := range cts {
		if pt, err := cold.Decrypt(ctx, s, "f", ct); err != nil || string(pt) != `"same person"` {
			t.Fatalf("ciphertext %d does not open with the one stored key: %v", i, err)
		}
	}
}

func TestMasterKeyRotator_RotateMasterKeysIntegration(t *testing.T) {
	db := pgtest.New(t)
	before := newCipher(t, db, ringK1, nil)
	type sample struct {
		ctx     context.Context
		subject uuid.UUID
		ct      string
		index   string
	}
	var samples []sample
	for range 3 {
		ctx := tctx(newTenant())
		for range 2 {
			s := newSubject()
			ct, err := before.Encrypt(ctx, s, "f", []byte(`"secret"`))
			if err != nil {
				t.Fatal(err)
			}
			idx, err := before.BlindIndexer().Index(ctx, privacy.KindDocument, "52998224725")
			if err != nil {
				t.Fatal(err)
			}
			samples = append(samples, sample{ctx, s, ct, idx})
		}
	}
	// Removing k1 before rotating breaks decryption: that is why it stays.
	if _, err := newCipher(t, db, ringK2, nil).Decrypt(samples[0].ctx, samples[0].subject, "f", samples[0].ct); !errors.Is(err, crypto.ErrUnknownMasterKey) {
		t.Fatalf("k2-only ring before rotation: %v", err)
	}

	appRot, err := crypto.NewMasterKeyRotator(crypto.RotatorConfig{Admin: db.App, Keys: mustRing(t, ringK2K1)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := appRot.RotateMasterKeys(context.Background()); err == nil {
		t.Fatal("rotation ran as the runtime role, which row-level security blinds")
	}

	rot, err := crypto.NewMasterKeyRotator(crypto.RotatorConfig{Admin: db.Admin, Keys: mustRing(t, ringK2K1), BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	n, err := rot.RotateMasterKeys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != 6 { // 3 tenants × (kek + blind_index)
		t.Fatalf("rewrapped %d, want 6", n)
	}
	if n, err := rot.RotateMasterKeys(context.Background()); err != nil || n != 0 {
		t.Fatalf("second run: %d %v", n, err)
	}
	if got := db.Count(t, `SELECT count(*) FROM tenant_keys WHERE master_key_id <> 'k2' OR rotated_at IS NULL`); got != 0 {
		t.Fatalf("%d tenant keys not rotated", got)
	}
	for _, ring := range []string{ringK2K1, ringK2} {
		c := newCipher(t, db, ring, nil)
		for _, s := range samples {
			if pt, err := c.Decrypt(s.ctx, s.subject, "f", s.ct); err != nil || string(pt) != `"secret"` {
				t.Fatalf("ring %s: %q %v", strings.Split(ring, ":")[0], pt, err)
			}
			if idx, err := c.BlindIndexer().Index(s.ctx, privacy.KindDocument, "52998224725"); err != nil || idx != s.index {
				t.Fatalf("blind index changed by rotation: %v", err)
			}
		}
	}
	// New keys after rotation are wrapped by k2 too.
	if _, err := newCipher(t, db, ringK2K1, nil).Encrypt(tctx(newTenant()), newSubject(), "f", []byte("1")); err != nil {
		t.Fatal(err)
	}
	if got := db.Count(t, `SELECT count(*) FROM tenant_keys WHERE master_key_id <> 'k2'`); got != 0 {
		t.Fatalf("%d keys wrapped by another key", got)
	}
}

func TestHMACBlindIndexer_IndexIntegration(t *testing.T) {
	db := pgtest.New(t)
	c := newCipher(t, db, ringK1, nil)
	ix := c.BlindIndexer()
	ctxA, ctxB := tctx(newTenant()), tctx(newTenant())
	a1, err := ix.Index(ctxA, privacy.KindEmail, "maria@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if len(a1) != 32 || strings.Trim(a1, "0123456789abcdef") != "" {
		t.Fatalf("index %q is not 16 bytes of hex", a1)
	}
	a2, _ := newCipher(t, db, ringK1, nil).BlindIndexer().Index(ctxA, privacy.KindEmail, "maria@example.com")
	b1, _ := ix.Index(ctxB, privacy.KindEmail, "maria@example.com")
	other, _ := ix.Index(ctxA, privacy.KindEmail, "joao@example.com")
	kind, _ := ix.Index(ctxA, privacy.KindNameWord, "maria@example.com")
	if a1 != a2 {
		t.Error("not deterministic within a tenant")
	}
	if a1 == b1 {
		t.Error("equal across tenants")
	}
	if a1 == other || a1 == kind {
		t.Error("different values or kinds collide")
	}
	if _, err := ix.Index(ctxA, "cpf", "1"); err == nil {
		t.Error("unknown kind accepted")
	}
	if _, err := ix.Index(ctxA, privacy.KindPlate, ""); err == nil {
		t.Error("empty value accepted")
	}
	for _, term := range privacy.NameIndexTerms("Maria") {
		h, err := ix.Index(ctxA, term.Kind, term.Value)
		if err != nil {
			t.Fatal(err)
		}
		// Name terms are buckets of NameBucketBits (issue 10, item 10).
		if len(h) != crypto.NameBucketBits/4 || strings.Trim(h, "0123456789abcdef") != "" {
			t.Errorf("name term %v indexed as %q, want %d hex characters", term, h, crypto.NameBucketBits/4)
		}
	}
}

func TestKeyTables_rowLevelSecurityIntegration(t *testing.T) {
	db := pgtest.New(t)
	c := newCipher(t, db, ringK1, nil)
	tA, tB := newTenant(), newTenant()
	for _, tn := range []tenant.ID{tA, tB} {
		if _, err := c.Encrypt(tctx(tn), newSubject(), "f", []byte("1")); err != nil {
			t.Fatal(err)
		}
		if _, err := c.BlindIndexer().Index(tctx(tn), privacy.KindPhone, "+5511999990000"); err != nil {
			t.Fatal(err)
		}
	}
	bg := context.Background()
	if n := db.Count(t, `SELECT count(*) FROM tenant_keys`) + db.Count(t, `SELECT count(*) FROM subject_keys`); n != 6 {
		t.Fatalf("admin sees %d key rows, want 6", n)
	}
	for _, table := range []string{"tenant_keys", "subject_keys"} {
		var n int
		if err := db.App.QueryRow(bg, `SELECT count(*) FROM `+table).Scan(&n); err != nil || n != 0 {
			t.Errorf("runtime role without tenant sees %d rows of %s (%v)", n, table, err)
		}
		tx, err := db.App.Begin(bg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(bg, `SELECT set_config('app.tenant_id', $1, true)`, tA.String()); err != nil {
			t.Fatal(err)
		}
		var foreign int
		if err := tx.QueryRow(bg, `SELECT count(*) FROM `+table+` WHERE tenant_id <> $1`, tA.UUID()).Scan(&foreign); err != nil || foreign != 0 {
			t.Errorf("tenant A sees %d rows of other tenants in %s (%v)", foreign, table, err)
		}
		_ = tx.Rollback(bg)
	}
	if _, err := db.App.Exec(bg, `INSERT INTO subject_keys (tenant_id, subject_id, wrapped) VALUES ($1, $2, '\x00')`, tA.UUID(), newSubject()); err == nil {
		t.Error("runtime role inserted a key row without a tenant set")
	}
	if _, err := db.App.Exec(bg, `DELETE FROM subject_keys`); err == nil {
		t.Error("runtime role may delete key rows")
	}
	if _, err := db.App.Exec(bg, `UPDATE tenant_keys SET wrapped = '\x00'`); err == nil {
		t.Error("runtime role may rewrite tenant keys")
	}
}
