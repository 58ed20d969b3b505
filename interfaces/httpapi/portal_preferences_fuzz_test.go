package httpapi_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/interfaces/httpapi"
)

// FuzzDecodePreferences: any body of PUT .../me/preferences either decodes
// into preferences the domain accepts or refuses field by field (422), or is
// a 4xx request error, never a panic or a 5xx; accepted preferences render
// back to what was sent.
func FuzzDecodePreferences(f *testing.F) {
	for _, seed := range []string{
		`{"channels":["whatsapp","email"],"reminders":"each_due","quiet_hours":{"from":"20:00","to":"08:00"}}`,
		`{"channels":[],"reminders":"never","quiet_hours":{"from":"00:00","to":"00:00"}}`,
		`{"channels":["pombo"],"reminders":"daily","quiet_hours":{"from":"25:00","to":"7"}}`,
		`{"channels":null}`, `{"x":1}`, `[`, `null`, ``, `{"quiet_hours":[]}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		in, err := httpapi.DecodePreferences([]byte(body))
		if err != nil {
			var re *httpapi.RequestError
			if !errors.As(err, &re) || re.Problem.Status < 400 || re.Problem.Status >= 500 {
				t.Fatalf("%q: not a 4xx request error: %v", body, err)
			}
			return
		}
		p, err := messaging.ParsePreferences(in, messaging.DefaultPreferences())
		if err != nil {
			var ve *errs.ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) == 0 {
				t.Fatalf("%q: refused without a field: %v", body, err)
			}
			return
		}
		if p.Quiet.From.String() != in.QuietFrom || p.Quiet.To.String() != in.QuietTo || p.Reminders.String() != strings.TrimSpace(in.Reminders) {
			t.Fatalf("%q: accepted as %+v", body, p)
		}
	})
}
