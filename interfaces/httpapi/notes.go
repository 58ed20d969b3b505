package httpapi

import (
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/customers"
)

func (h *RecordsHandlers) addNote(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	var req struct {
		Text string `json:"text"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	n, err := h.Customers.AddNote(r.Context(), customers.AddNoteInput{CustomerID: id, Text: req.Text})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, toNoteJSON(n))
}

func (h *RecordsHandlers) listNotes(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	page, err := pageRequest(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.Customers.ListNotes(r.Context(), customers.ListNotesInput{CustomerID: id, Page: page})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writePage(w, res, toNoteJSON)
}

type noteJSON struct {
	ID        uuid.UUID `json:"id"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
	Author    string    `json:"author"`
}

func toNoteJSON(n customers.Note) noteJSON {
	return noteJSON{ID: n.ID, Text: n.Text, CreatedAt: n.AddedAt.UTC(), Author: n.Author}
}
