package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/torquehq/torque/internal/e2e"
)

func TestFranchise_InviteAcceptManagersAndRemoveIntegration(t *testing.T) {
	env := e2e.Start(t)
	hq, shop, outsider := env.Signup(t, "franchise"), env.Signup(t, "basic"), env.Signup(t, "basic")

	r := env.Do(t, http.MethodPost, "/api/v1/franchises", hq.OwnerToken, map[string]string{"name": "Rede Auto Bom"})
	if r.Status != http.StatusCreated {
		t.Fatalf("create franchise: %d %s", r.Status, r.Body)
	}
	id, _ := r.JSON()["id"].(string)
	base := "/api/v1/franchises/" + id

	if r := env.Do(t, http.MethodGet, base, outsider.OwnerToken, nil); r.Status != http.StatusNotFound {
		t.Fatalf("a stranger read the franchise: %d", r.Status)
	}
	if r := env.Do(t, http.MethodPost, base+"/workshops", hq.OwnerToken, map[string]string{"workshop_slug": shop.Slug}); r.Status != http.StatusCreated ||
		!strings.Contains(string(r.Body), `"state":"invited"`) {
		t.Fatalf("invite: %d %s", r.Status, r.Body)
	}
	// Only the invited workshop's owner can accept.
	if r := env.Do(t, http.MethodPost, "/api/v1/workshops/"+outsider.Slug+"/franchise/accept", outsider.OwnerToken,
		map[string]string{"franchise_id": id}); r.Status != http.StatusNotFound {
		t.Fatalf("an uninvited workshop accepted: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, http.MethodPost, "/api/v1/workshops/"+shop.Slug+"/franchise/accept", shop.OwnerToken,
		map[string]string{"franchise_id": id}); r.Status != http.StatusNoContent {
		t.Fatalf("accept: %d %s", r.Status, r.Body)
	}
	got := env.Do(t, http.MethodGet, base, hq.OwnerToken, nil)
	if !strings.Contains(string(got.Body), `"state":"member"`) {
		t.Fatalf("after accepting: %s", got.Body)
	}
	ws := env.Do(t, http.MethodGet, "/api/v1/workshops/"+shop.Slug, shop.OwnerToken, nil)
	if ws.JSON()["franchise_id"] != id {
		t.Fatalf("workshop does not show its franchise: %s", ws.Body)
	}
	mgr := env.Do(t, http.MethodPost, base+"/managers", hq.OwnerToken,
		map[string]string{"email": "gestor-" + e2e.Unique() + "@example.com", "name": "Gestora da Rede"})
	if mgr.Status != http.StatusCreated || len(mgr.JSON()["managers"].([]any)) != 2 {
		t.Fatalf("add manager: %d %s", mgr.Status, mgr.Body)
	}
	if r := env.Do(t, http.MethodDelete, base+"/workshops/"+shop.ID, hq.OwnerToken, nil); r.Status != http.StatusNoContent {
		t.Fatalf("remove workshop: %d %s", r.Status, r.Body)
	}
	ws = env.Do(t, http.MethodGet, "/api/v1/workshops/"+shop.Slug, shop.OwnerToken, nil)
	if ws.JSON()["franchise_id"] != nil {
		t.Fatalf("workshop still in the franchise after removal: %s", ws.Body)
	}
}
