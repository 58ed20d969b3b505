package stripe_test

import (
	"crypto/hmac"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/torquehq/torque/application/billing"
)

// FuzzVerifyWebhook feeds random bodies and headers to Verify. Properties:
//   - Verify never panics;
//   - with the fuzzed header it succeeds only if that header really holds a
//     v1 HMAC of the body under our secret (the fuzzer cannot forge one, so
//     in practice only the seeds' untouched valid pairs pass);
//   - every error wraps exactly one of ErrBadSignature and ErrMalformedEvent;
//   - the same body correctly signed never fails with ErrBadSignature, so
//     the event decoder is fuzzed too.
func FuzzVerifyWebhook(f *testing.F) {
	now := time.Now()
	for _, name := range []string{
		"checkout_session_completed", "customer_subscription_created", "customer_subscription_updated",
		"customer_subscription_updated_basil", "customer_subscription_deleted", "invoice_paid",
		"invoice_paid_basil", "invoice_payment_failed", "customer_updated",
	} {
		payload := fixture(f, name)
		f.Add(payload, sign(payload, testWebhookSecret, now))
		f.Add(payload, sign(payload, "whsec_wrong", now))
	}
	f.Add([]byte(`{"id":"evt_1","type":"invoice.paid","created":1,"data":{"object":{"lines":{"data":[null]}}}}`), "t=1,v1=00")
	f.Add([]byte(`{"id":"evt_1","type":"checkout.session.completed","created":1,"data":null}`), "")
	f.Add([]byte(`{"id":"evt_1","type":"checkout.session.completed","created":1,"data":{"object":{"subscription":{"items":7}}}}`), "t=,v1=")
	f.Add([]byte{}, "t=99999999999999999999,v1=zz,v0=,,")

	v := newVerifier(f)
	f.Fuzz(func(t *testing.T, payload []byte, header string) {
		ev, err := v.Verify(payload, header)
		checkErrKind(t, err)
		if err == nil && !holdsValidSignature(payload, header, testWebhookSecret) {
			t.Fatalf("verified without a valid signature: header %q, event %+v", header, ev)
		}

		signed := sign(payload, testWebhookSecret, time.Now())
		_, err = v.Verify(payload, signed)
		checkErrKind(t, err)
		if errors.Is(err, billing.ErrBadSignature) {
			t.Fatalf("correctly signed body rejected as bad signature: %v", err)
		}
	})
}

func checkErrKind(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	bad, malformed := errors.Is(err, billing.ErrBadSignature), errors.Is(err, billing.ErrMalformedEvent)
	if bad == malformed {
		t.Fatalf("error %v: ErrBadSignature=%v ErrMalformedEvent=%v, want exactly one", err, bad, malformed)
	}
}

// holdsValidSignature checks the header independently of stripe-go's parser:
// some v1 entry must be the HMAC of "<t>.<payload>" for the header's t.
func holdsValidSignature(payload []byte, header, secret string) bool {
	var ts int64
	var sigs [][]byte
	for _, pair := range strings.Split(header, ",") {
		k, val, ok := strings.Cut(pair, "=")
		if !ok {
			continue
		}
		switch k {
		case "t":
			ts, _ = strconv.ParseInt(val, 10, 64)
		case "v1":
			if b, err := hex.DecodeString(val); err == nil {
				sigs = append(sigs, b)
			}
		}
	}
	want := webhook.ComputeSignature(time.Unix(ts, 0), payload, secret)
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			return true
		}
	}
	return false
}
