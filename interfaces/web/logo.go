package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/errs"
)

// logoUpload takes the settings page's file field "logo".
func (h *Handler) logoUpload(w http.ResponseWriter, r *http.Request) {
	if !h.allowed(w, r, authz.UpdateWorkshop) {
		return
	}
	data, err := readLogo(r)
	if err == nil {
		_, err = h.cfg.Workshops.UploadLogo(r.Context(), data)
	}
	if err != nil {
		v := h.newView(r, "web.settings.title")
		v.Nav = "settings"
		if h.formErrors(r, &v, err) {
			ws, werr := h.cfg.Workshops.GetWorkshop(r.Context())
			if werr == nil {
				p := ws.Profile
				for k, val := range map[string]string{"name": p.Name, "legal_name": p.LegalName, "email": p.Email,
					"phone": formatPhone(p.Phone), "primary_color": p.PrimaryColor, "secondary_color": p.SecondaryColor,
					"logo_url": p.LogoURL, "privacy_policy": p.PrivacyPolicy} {
					v.Form.Set(k, val)
				}
			}
			h.render(w, r, http.StatusUnprocessableEntity, "settings", v)
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/settings"), "logo_saved"))
}

func readLogo(r *http.Request) ([]byte, error) {
	if err := r.ParseMultipartForm(workshops.MaxLogoBytes + 64<<10); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, errs.Invalid("logo", "too_large", "the logo must be at most 512 KiB")
		}
		return nil, errs.Invalid("logo", "required", "choose an image file")
	}
	f, _, err := r.FormFile("logo")
	if err != nil {
		return nil, errs.Invalid("logo", "required", "choose an image file")
	}
	defer func() { _ = f.Close() }() // an in-memory or temporary upload: nothing to flush
	data, err := io.ReadAll(io.LimitReader(f, workshops.MaxLogoBytes+1))
	if err != nil {
		return nil, errs.Invalid("logo", "required", "choose an image file")
	}
	return data, nil
}

// logo serves a workshop's logo publicly (it brands pages and the portal);
// its URL carries the content hash, so it is cached for a year.
func (h *Handler) logo(w http.ResponseWriter, r *http.Request) {
	a, err := h.cfg.Workshops.GetLogo(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(a.Data)))
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("ETag", `"`+a.SHA256[:16]+`"`)
	_, _ = w.Write(a.Data)
}
