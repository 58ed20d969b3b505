package httpapi

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/franchises"
	"github.com/torquehq/torque/domain/errs"
)

type franchiseJSON struct {
	ID        uuid.UUID               `json:"id"`
	Name      string                  `json:"name"`
	Managers  []string                `json:"managers"`
	Workshops []franchiseWorkshopJSON `json:"workshops"`
}

type franchiseWorkshopJSON struct {
	WorkshopID uuid.UUID `json:"workshop_id"`
	Slug       string    `json:"slug"`
	Name       string    `json:"name"`
	State      string    `json:"state"`
}

func toFranchiseJSON(v franchises.FranchiseView) franchiseJSON {
	out := franchiseJSON{ID: v.ID, Name: v.Name, Managers: v.Managers, Workshops: []franchiseWorkshopJSON{}}
	if out.Managers == nil {
		out.Managers = []string{}
	}
	for _, w := range v.Workshops {
		out.Workshops = append(out.Workshops, franchiseWorkshopJSON(w))
	}
	return out
}

func pathUUID(r *http.Request, name string) (uuid.UUID, error) {
	id, err := uuid.Parse(chi.URLParam(r, name))
	if err != nil {
		return uuid.Nil, errs.ErrNotFound
	}
	return id, nil
}

func (h *AccountHandlers) createFranchise(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name string `json:"name"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.Franchises.CreateFranchise(r.Context(), caller(r), req.Name)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, toFranchiseJSON(v))
}

func (h *AccountHandlers) getFranchise(w http.ResponseWriter, r *http.Request) {
	h.answerFranchise(w, r, func(v franchises.FranchiseView) any { return toFranchiseJSON(v) })
}

// answerFranchise reads the franchise of the {id} path parameter as the
// caller may see it (anyone else: 404) and answers it in the shape asJSON
// gives (the franchise itself, or its settings).
func (h *AccountHandlers) answerFranchise(w http.ResponseWriter, r *http.Request, asJSON func(franchises.FranchiseView) any) {
	id, err := pathUUID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.Franchises.GetFranchise(r.Context(), caller(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, asJSON(v))
}

func (h *AccountHandlers) inviteWorkshop(w http.ResponseWriter, r *http.Request) {
	id, err := pathUUID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var req struct {
		WorkshopSlug string `json:"workshop_slug"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.Franchises.InviteWorkshop(r.Context(), caller(r), id, req.WorkshopSlug)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, toFranchiseJSON(v))
}

func (h *AccountHandlers) removeWorkshop(w http.ResponseWriter, r *http.Request) {
	id, err := pathUUID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	wid, err := pathUUID(r, "workshop_id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Franchises.RemoveWorkshop(r.Context(), caller(r), id, wid); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *AccountHandlers) addManager(w http.ResponseWriter, r *http.Request) {
	id, err := pathUUID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var req struct {
		Email string `json:"email"`
		Name  string `json:"name"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	v, err := h.Franchises.AddFranchiseManager(r.Context(), caller(r), id, req.Email, req.Name)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, toFranchiseJSON(v))
}

func (h *AccountHandlers) acceptFranchise(w http.ResponseWriter, r *http.Request) {
	var req struct {
		FranchiseID uuid.UUID `json:"franchise_id"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.Franchises.AcceptFranchise(r.Context(), req.FranchiseID); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
