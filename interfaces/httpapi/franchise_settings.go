package httpapi

import (
	"net/http"

	"github.com/torquehq/torque/application/franchises"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/franchise"
)

// franchiseSettingsJSON is the body of GET/PUT /franchises/{id}/settings.
type franchiseSettingsJSON struct {
	ShareComparisonWithMembers *bool `json:"share_comparison_with_members"`
}

func toFranchiseSettingsJSON(v franchises.FranchiseView) franchiseSettingsJSON {
	share := v.ShareComparisonWithMembers
	return franchiseSettingsJSON{ShareComparisonWithMembers: &share}
}

// getFranchiseSettings answers the settings of a franchise the caller
// manages (anyone else: 404).
func (h *AccountHandlers) getFranchiseSettings(w http.ResponseWriter, r *http.Request) {
	h.answerFranchise(w, r, func(v franchises.FranchiseView) any { return toFranchiseSettingsJSON(v) })
}

// putFranchiseSettings replaces them: {"share_comparison_with_members": bool}.
func (h *AccountHandlers) putFranchiseSettings(w http.ResponseWriter, r *http.Request) {
	id, err := pathUUID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var req franchiseSettingsJSON
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if req.ShareComparisonWithMembers == nil {
		h.fail(w, r, errs.Invalid("share_comparison_with_members", "required", "share_comparison_with_members is required"))
		return
	}
	v, err := h.Franchises.UpdateFranchiseSettings(r.Context(), caller(r), id,
		franchise.Settings{ShareComparisonWithMembers: *req.ShareComparisonWithMembers})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, toFranchiseSettingsJSON(v))
}
