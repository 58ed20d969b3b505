package crypto

import (
	"testing"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/tenant"
)

// BenchmarkOpenField is what every personal field read costs in the process
// (a search page opens ≈ 250 of them): the AAD, the envelope check and the
// AES-GCM open, without the key lookup.
func BenchmarkOpenField(b *testing.B) {
	aead := testAEAD(b, 7)
	tn, subject := tenant.MustParse(uuid.NewString()), uuid.New()
	ct := sealCiphertext(aead, fieldAAD(tn, subject, "customer.street"), []byte(`"Rua das Laranjeiras, 1234"`))
	b.ReportAllocs()
	for b.Loop() {
		sealed, err := parseCiphertext(ct)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := openSealed(aead, fieldAAD(tn, subject, "customer.street"), sealed); err != nil {
			b.Fatal(err)
		}
	}
}
