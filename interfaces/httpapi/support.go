package httpapi

import (
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/support"
	"github.com/torquehq/torque/domain/errs"
	dsupport "github.com/torquehq/torque/domain/support"
)

// SupportHandlers serve customer support (API.md "Support"): the help
// centre's articles, tickets and, through Chat, the live chat.
type SupportHandlers struct {
	Support *support.UseCases
	// Chat serves the live chat's WebSocket and history (optional).
	Chat *ChatHandlers
	Log  *slog.Logger
}

// MountWorkshop registers the staff routes under /api/v1/workshops/{slug}.
func (h *SupportHandlers) MountWorkshop(r chi.Router) {
	r.Get("/articles", h.listArticles)
	r.Post("/articles", h.createArticle)
	r.Post("/articles/images", h.uploadImage)
	r.Get("/articles/{id}", h.withID(h.getArticle))
	r.Put("/articles/{id}", h.withID(h.putArticle))
	r.Delete("/articles/{id}", h.withID(h.deleteArticle))
	r.Get("/tickets", h.listTickets)
	r.Get("/tickets/{id}", h.withID(h.getTicket))
	r.Post("/tickets/{id}/messages", h.withID(h.staffReply))
	r.Post("/tickets/{id}/status", h.withID(h.changeStatus))
	r.Post("/tickets/{id}/assign", h.withID(h.assign))
	if h.Chat != nil {
		h.Chat.MountWorkshop(r)
	}
}

// MountPortalPublic registers the help centre under
// /api/v1/portal/{slug}: no login, the tenant (or only the slug) in the
// request context (the portal's PublicRoutes).
func (h *SupportHandlers) MountPortalPublic(r chi.Router) {
	r.Get("/articles", h.publicArticles)
}

// MountPortal registers the car owner's routes under
// /api/v1/portal/{slug}: the tenant and the car owner's principal are in
// the request context (the portal's PortalRoutes).
func (h *SupportHandlers) MountPortal(r chi.Router) {
	r.Post("/tickets", h.openTicket)
	r.Get("/tickets", h.myTickets)
	r.Get("/tickets/{id}", h.withID(h.myTicket))
	r.Post("/tickets/{id}/messages", h.withID(h.customerReply))
	if h.Chat != nil {
		h.Chat.MountPortal(r)
	}
}

func (h *SupportHandlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	Fail(w, r, h.Log, err)
}

func (h *SupportHandlers) withID(next func(http.ResponseWriter, *http.Request, uuid.UUID)) http.HandlerFunc {
	return withIDParam(h.Log, next)
}

type articleRequest struct {
	Kind         string `json:"kind"`
	Title        string `json:"title"`
	BodyMarkdown string `json:"body_markdown"`
	Published    *bool  `json:"published"`
}

func (a articleRequest) input() dsupport.ArticleInput {
	in := dsupport.ArticleInput{Kind: a.Kind, Title: a.Title, BodyMarkdown: a.BodyMarkdown}
	if a.Published != nil {
		in.Published = *a.Published
	}
	return in
}

func (h *SupportHandlers) listArticles(w http.ResponseWriter, r *http.Request) {
	page, err := pageRequest(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.Support.ListArticles(r.Context(), support.ListArticlesInput{Query: r.URL.Query().Get("q"), Page: page})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writePage(w, res, toArticleJSON)
}

func (h *SupportHandlers) publicArticles(w http.ResponseWriter, r *http.Request) {
	page, err := pageRequest(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.Support.ListPublishedArticles(r.Context(), chi.URLParam(r, "slug"),
		support.ListArticlesInput{Query: r.URL.Query().Get("q"), Page: page})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writePage(w, res, toPublicArticleJSON)
}

func (h *SupportHandlers) createArticle(w http.ResponseWriter, r *http.Request) {
	var req articleRequest
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	a, err := h.Support.CreateArticle(r.Context(), req.input())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", strings.TrimSuffix(r.URL.Path, "/")+"/"+a.ID.String())
	WriteJSON(w, http.StatusCreated, toArticleJSON(a))
}

func (h *SupportHandlers) getArticle(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	a, err := h.Support.GetArticle(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, toArticleJSON(a))
}

func (h *SupportHandlers) putArticle(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	var req articleRequest
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	a, err := h.Support.UpdateArticle(r.Context(), id, req.input())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, toArticleJSON(a))
}

func (h *SupportHandlers) deleteArticle(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	if err := h.Support.DeleteArticle(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *SupportHandlers) listTickets(w http.ResponseWriter, r *http.Request) {
	page, err := pageRequest(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	late := false
	switch q.Get("late") {
	case "", "false":
	case "true":
		late = true
	default:
		h.fail(w, r, errs.Invalid("late", "invalid_format", "late must be true or false"))
		return
	}
	res, err := h.Support.ListTickets(r.Context(), support.ListTicketsInput{Status: q.Get("status"), Late: late, Page: page})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writePage(w, res, h.ticketJSON)
}

func (h *SupportHandlers) getTicket(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	t, err := h.Support.GetTicket(r.Context(), id)
	h.writeTicket(w, r, http.StatusOK, t, err)
}

func (h *SupportHandlers) writeTicket(w http.ResponseWriter, r *http.Request, status int, t support.Ticket, err error) {
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeVersioned(w, status, t.Version, h.ticketJSON(t))
}

type bodyRequest struct {
	Body string `json:"body"`
}

func (h *SupportHandlers) staffReply(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	var req bodyRequest
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	t, err := h.Support.StaffReply(r.Context(), id, req.Body)
	h.writeTicket(w, r, http.StatusCreated, t, err)
}

func (h *SupportHandlers) changeStatus(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	var req struct {
		Status string `json:"status"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	t, err := h.Support.ChangeTicketStatus(r.Context(), id, req.Status)
	h.writeTicket(w, r, http.StatusOK, t, err)
}

func (h *SupportHandlers) assign(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	var req struct {
		StaffID string `json:"staff_id"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	t, err := h.Support.AssignTicket(r.Context(), id, req.StaffID)
	h.writeTicket(w, r, http.StatusOK, t, err)
}

func (h *SupportHandlers) openTicket(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Subject string `json:"subject"`
		Body    string `json:"body"`
		OrderID string `json:"order_id"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	t, err := h.Support.OpenTicket(r.Context(), support.OpenTicketInput{Subject: req.Subject, Body: req.Body, OrderID: req.OrderID})
	if err == nil {
		w.Header().Set("Location", strings.TrimSuffix(r.URL.Path, "/")+"/"+t.ID.String())
	}
	h.writeTicket(w, r, http.StatusCreated, t, err)
}

func (h *SupportHandlers) myTickets(w http.ResponseWriter, r *http.Request) {
	page, err := pageRequest(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.Support.ListMyTickets(r.Context(), page)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writePage(w, res, h.ticketJSON)
}

func (h *SupportHandlers) myTicket(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	t, err := h.Support.GetMyTicket(r.Context(), id)
	h.writeTicket(w, r, http.StatusOK, t, err)
}

func (h *SupportHandlers) customerReply(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	var req bodyRequest
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	t, err := h.Support.CustomerReply(r.Context(), id, req.Body)
	h.writeTicket(w, r, http.StatusCreated, t, err)
}

// uploadImage takes the raw image as the body (image/png or image/jpeg)
// and answers its URL for the article's Markdown.
func (h *SupportHandlers) uploadImage(w http.ResponseWriter, r *http.Request) {
	switch r.Header.Get("Content-Type") {
	case "image/png", "image/jpeg":
	default:
		WriteProblem(w, Problem{Type: "/problems/unsupported-media-type", Status: http.StatusUnsupportedMediaType,
			Detail: "Send the image as image/png or image/jpeg."})
		return
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, support.MaxImageBytes+1))
	if err != nil {
		WriteProblem(w, Problem{Type: "/problems/body-too-large", Status: http.StatusRequestEntityTooLarge})
		return
	}
	url, err := h.Support.UploadArticleImage(r.Context(), chi.URLParam(r, "slug"), data)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", url)
	WriteJSON(w, http.StatusCreated, map[string]string{"url": url})
}
