package httpapi_test

import (
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/torquehq/torque/interfaces/httpapi"
)

// The portal's booking routes are documented in a fragment that waits for
// the portal mount (booking_portal.json.pending): it must document exactly
// what MountPortal serves, so renaming it to .json is all the merge needs.
func TestBookingPortalFragment_documentsExactlyMountPortal(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("openapi/parts/booking_portal.json.pending")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var documented []string
	for p, item := range doc.Paths {
		for m := range item {
			if m != "parameters" {
				documented = append(documented, strings.ToUpper(m)+" "+p)
			}
		}
	}
	r := chi.NewRouter()
	r.Route("/api/v1/portal/{slug}", (&httpapi.BookingHandlers{}).MountPortal)
	var served []string
	_ = chi.Walk(r, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		served = append(served, method+" "+strings.TrimSuffix(route, "/"))
		return nil
	})
	slices.Sort(documented)
	slices.Sort(served)
	if !slices.Equal(documented, served) {
		t.Fatalf("documented %v\nserved     %v", documented, served)
	}
}
