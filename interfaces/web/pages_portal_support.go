package web

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/application/portal"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/support"
	"github.com/torquehq/torque/domain/errs"
)

// The portal's public help centre (/p/{slug}/ajuda): the workshop's
// published articles, searchable, and one article's sanitised body. No
// session is needed (application/support ListPublishedArticles).

func init() {
	registerPortalFeature(portalFeature{
		Link:   portalLink{Key: "help", Path: "ajuda", LabelKey: "web.portal.help.nav"},
		Public: true,
		Mount: func(h *Handler, r chi.Router) {
			r.Get("/ajuda", h.portalHelp)
			r.Get("/ajuda/{id}", h.portalHelpArticle)
		},
	})
}

// portalHelpPage is the help centre: the search and the matching articles.
type portalHelpPage struct {
	Query    string
	Articles []support.Article
}

// portalHelpArticlePage is one article; Body is sanitised by the Renderer.
type portalHelpArticlePage struct {
	Article support.Article
	Body    template.HTML
}

func (h *Handler) portalHelp(w http.ResponseWriter, r *http.Request) {
	if h.cfg.Support == nil {
		h.portalFail(w, r, errs.ErrNotFound)
		return
	}
	q := r.URL.Query().Get("q")
	page, err := h.cfg.Support.ListPublishedArticles(r.Context(), workshopOf(r.Context()).Slug,
		support.ListArticlesInput{Query: q, Page: pagination.Request{Limit: pagination.MaxLimit}})
	if err != nil {
		h.portalFail(w, r, err)
		return
	}
	v := h.portalView(r, "web.portal.help.title", "help")
	v.Data = portalHelpPage{Query: q, Articles: page.Items}
	h.renderPortal(w, r, http.StatusOK, "portal_help", v)
}

func (h *Handler) portalHelpArticle(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil || h.cfg.Support == nil {
		h.portalFail(w, r, errs.ErrNotFound)
		return
	}
	// Published articles only: look the id up in the public list.
	in := support.ListArticlesInput{Page: pagination.Request{Limit: pagination.MaxLimit}}
	for {
		page, err := h.cfg.Support.ListPublishedArticles(r.Context(), workshopOf(r.Context()).Slug, in)
		if err != nil {
			h.portalFail(w, r, err)
			return
		}
		for _, a := range page.Items {
			if a.ID == id {
				v := h.portalView(r, "web.portal.help.title", "help")
				v.Title = a.Title
				v.Data = portalHelpArticlePage{Article: a, Body: template.HTML(a.BodyHTML)} //nolint:gosec // sanitised by the Renderer
				h.renderPortal(w, r, http.StatusOK, "portal_help_article", v)
				return
			}
		}
		if page.NextCursor == "" {
			h.portalFail(w, r, errs.ErrNotFound)
			return
		}
		in.Page.Cursor = page.NextCursor
	}
}

// "Meus atendimentos": the car owner's tickets, a form to open one and a
// ticket's messages with a reply, all as the car owner (portal.read /
// portal.write; someone else's ticket is not found).

func init() {
	registerPortalFeature(portalFeature{
		Link: portalLink{Key: "tickets", Path: "atendimentos", LabelKey: "web.portal.tickets.nav"},
		Mount: func(h *Handler, r chi.Router) {
			r.Get("/atendimentos", h.portalTickets)
			r.Post("/atendimentos", h.portalTicketOpen)
			r.Get("/atendimentos/{id}", h.portalTicket)
			r.Post("/atendimentos/{id}", h.portalTicketReply)
		},
	})
}

// portalTicketsPage is the tickets list with the open-a-ticket form.
type portalTicketsPage struct {
	Tickets []support.Ticket
	Orders  []serviceorders.ServiceOrder
}

// portalTicketPage is one ticket with its messages.
type portalTicketPage struct{ Ticket support.Ticket }

func (h *Handler) portalTicketsView(w http.ResponseWriter, r *http.Request, status int, v view) {
	page, err := h.cfg.Support.ListMyTickets(r.Context(), pagination.Request{Limit: pagination.MaxLimit})
	if err != nil {
		h.portalFail(w, r, err)
		return
	}
	d := portalTicketsPage{Tickets: page.Items}
	if h.cfg.Portal != nil {
		if res, err := h.cfg.Portal.ListOrders(r.Context(), portal.ListOrdersInput{Page: pagination.Request{Limit: portalOrderLimit}}); err == nil {
			d.Orders = res.Items
		}
	}
	v.Data = d
	h.renderPortal(w, r, status, "portal_tickets", v)
}

func (h *Handler) portalTickets(w http.ResponseWriter, r *http.Request) {
	if h.cfg.Support == nil {
		h.portalFail(w, r, errs.ErrNotFound)
		return
	}
	h.portalTicketsView(w, r, http.StatusOK, h.portalView(r, "web.portal.tickets.title", "tickets"))
}

func (h *Handler) portalTicketOpen(w http.ResponseWriter, r *http.Request) {
	if h.cfg.Support == nil {
		h.portalFail(w, r, errs.ErrNotFound)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.portalError(w, r, http.StatusBadRequest, "web.error.generic")
		return
	}
	f := r.PostForm
	t, err := h.cfg.Support.OpenTicket(r.Context(), support.OpenTicketInput{
		Subject: strings.TrimSpace(f.Get("subject")), Body: strings.TrimSpace(f.Get("body")), OrderID: f.Get("order_id")})
	if err != nil {
		v := h.portalView(r, "web.portal.tickets.title", "tickets")
		v.Form = f
		if h.formErrors(r, &v, err) {
			h.portalTicketsView(w, r, http.StatusUnprocessableEntity, v)
			return
		}
		h.portalFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/p/"+chi.URLParam(r, "slug")+"/atendimentos/"+t.ID.String(), http.StatusSeeOther)
}

func (h *Handler) portalTicketID(w http.ResponseWriter, r *http.Request) (uuid.UUID, bool) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil || h.cfg.Support == nil {
		h.portalFail(w, r, errs.ErrNotFound)
		return uuid.Nil, false
	}
	return id, true
}

func (h *Handler) portalTicketView(w http.ResponseWriter, r *http.Request, status int, v view, id uuid.UUID) {
	t, err := h.cfg.Support.GetMyTicket(r.Context(), id)
	if err != nil {
		h.portalFail(w, r, err)
		return
	}
	v.Title = t.Subject
	v.Data = portalTicketPage{Ticket: t}
	h.renderPortal(w, r, status, "portal_ticket", v)
}

func (h *Handler) portalTicket(w http.ResponseWriter, r *http.Request) {
	if id, ok := h.portalTicketID(w, r); ok {
		h.portalTicketView(w, r, http.StatusOK, h.portalView(r, "web.portal.tickets.title", "tickets"), id)
	}
}

func (h *Handler) portalTicketReply(w http.ResponseWriter, r *http.Request) {
	id, ok := h.portalTicketID(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.portalError(w, r, http.StatusBadRequest, "web.error.generic")
		return
	}
	if _, err := h.cfg.Support.CustomerReply(r.Context(), id, strings.TrimSpace(r.PostForm.Get("body"))); err != nil {
		v := h.portalView(r, "web.portal.tickets.title", "tickets")
		v.Form = r.PostForm
		if h.formErrors(r, &v, err) {
			h.portalTicketView(w, r, http.StatusUnprocessableEntity, v, id)
			return
		}
		h.portalFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/p/"+chi.URLParam(r, "slug")+"/atendimentos/"+id.String(), http.StatusSeeOther)
}

// The car owner's live chat page (/p/{slug}/chat) and its WebSocket, the
// API's chat handlers mounted at /p/{slug}/live behind the cookie session
// (the browser cannot send the API's Bearer token on a WebSocket).

func init() {
	registerPortalFeature(portalFeature{
		Link: portalLink{Key: "chat", Path: "chat", LabelKey: "web.portal.chat.nav"},
		Mount: func(h *Handler, r chi.Router) {
			r.Get("/chat", h.portalChat)
			if h.cfg.PortalChat != nil {
				r.Mount("/live", h.cfg.PortalChat)
			}
		},
	})
}

func (h *Handler) portalChat(w http.ResponseWriter, r *http.Request) {
	if h.cfg.Support == nil || h.cfg.PortalChat == nil {
		h.portalFail(w, r, errs.ErrNotFound)
		return
	}
	h.renderPortal(w, r, http.StatusOK, "portal_chat", h.portalView(r, "web.portal.chat.title", "chat"))
}
