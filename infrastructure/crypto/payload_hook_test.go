package crypto

import (
	"encoding/json"
	"strings"
	"testing"
)

var sealedSeeds = []string{
	`{"enc":"v1.Qm9hIHRhcmRl_-x","t":"s"}`,
	`{"enc":"v1.x","t":"o"}`,
	`{"enc":"v1.x","t":"q"}`,
	`{"enc":"","t":"s"}`,
	`{"enc":"v1.\u0078","t":"s"}`,
	`{"enc":"v1.x","t":"s","t":"a"}`,
	`{"enc":"v1.x","t":"s"} `,
	`{"t":"s","enc":"v1.x"}`,
	`{"ENC":"v1.x","T":"n"}`,
	`{"enc":"v1.x","t":"s","x":1}`,
	`{"enc":"v1.x","t":"s"}{}`,
	`{"enc":"a","t":"s","x":"y","t":"s"}`,
	"{\"enc\":\"v1.\xff\",\"t\":\"s\"}",
	`"Maria"`,
}

// The shortcut for the spelling Seal writes reads what the decoder reads.
func TestDecodeSealed_compactAgreesWithDecoder(t *testing.T) {
	t.Parallel()
	for _, s := range sealedSeeds {
		checkDecodeSealed(t, []byte(s))
	}
	if _, ok := decodeSealedCompact([]byte(sealedSeeds[0])); !ok {
		t.Error("the form Seal writes takes the long way")
	}
}

func checkDecodeSealed(t *testing.T, v []byte) {
	t.Helper()
	sf, ok := decodeSealedCompact(v)
	want, err := decodeSealedAny(v)
	if ok && (err != nil || sf != want) {
		t.Fatalf("%q: shortcut %+v, decoder %+v %v", v, sf, want, err)
	}
	got, gotErr := decodeSealed(v)
	if (gotErr == nil) != (err == nil) || gotErr == nil && got != want {
		t.Fatalf("%q: decodeSealed %+v %v, decoder %+v %v", v, got, gotErr, want, err)
	}
}

func FuzzDecodeSealed(f *testing.F) {
	for _, s := range sealedSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkDecodeSealed)
}

// Nesting as deep as encoding/json allows is accepted, one level more is
// refused, by both implementations.
func TestRewritePaths_depthLimit(t *testing.T) {
	t.Parallel()
	for _, n := range []int{maxDepth, maxDepth + 1} {
		p := `{"Items":[{"Parts":[{"Name":"x","X":` + strings.Repeat("[", n-5) + strings.Repeat("]", n-5) + `}]}]}`
		checkAgainstReference(t, []byte(p), fuzzPaths)
		_, err := rewritePaths([]byte(p), fuzzPaths, sealAt)
		if (err == nil) != (n <= maxDepth) {
			t.Errorf("depth %d: %v", n, err)
		}
	}
}

// BenchmarkDecodeSealed is the read of each sealed field Open meets, through
// the decoder and through the shortcut for the form Seal writes.
func BenchmarkDecodeSealed(b *testing.B) {
	v := []byte(`{"enc":"v1.Qm9hIHRhcmRlLCBlc3RlIMOpIHVtIHRleHRvIGNpZnJhZG8gZGUgZXhlbXBsbw","t":"s"}`)
	for _, impl := range []struct {
		name   string
		decode func(json.RawMessage) (sealedField, error)
	}{{"decoder", decodeSealedAny}, {"compact", decodeSealed}} {
		b.Run(impl.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := impl.decode(v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
