package httpapi

import (
	"io"
	"net/http"

	"github.com/torquehq/torque/application/workshops"
)

// uploadLogo takes the raw image as the body (Content-Type image/png or
// image/jpeg).
func (h *AccountHandlers) uploadLogo(w http.ResponseWriter, r *http.Request) {
	switch ct := r.Header.Get("Content-Type"); ct {
	case "image/png", "image/jpeg":
	default:
		WriteProblem(w, Problem{Type: "/problems/unsupported-media-type", Status: http.StatusUnsupportedMediaType,
			Detail: "Send the logo as image/png or image/jpeg."})
		return
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, workshops.MaxLogoBytes+1))
	if err != nil {
		WriteProblem(w, Problem{Type: "/problems/body-too-large", Status: http.StatusRequestEntityTooLarge})
		return
	}
	v, err := h.Workshops.UploadLogo(r.Context(), data)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeWorkshop(w, http.StatusOK, v)
}
