package web

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/application/support"
	"github.com/torquehq/torque/domain/errs"
	dsupport "github.com/torquehq/torque/domain/support"
)

// ticketStatuses are the columns of the ticket board, in life-cycle order.
var ticketStatuses = []string{"open", "in_progress", "waiting_customer", "resolved", "closed"}

// supportRoutes are the "Atendimento" pages under /app/{slug}.
func (h *Handler) supportRoutes(r chi.Router) {
	if h.cfg.Support == nil {
		return
	}
	r.Get("/support", h.supportInbox)
	r.Get("/support/conversations/{id}", h.supportConversation)
	r.Get("/support/tickets/{id}", h.supportTicket)
	r.Post("/support/tickets/{id}/reply", h.supportTicketReply)
	r.Post("/support/tickets/{id}/status", h.supportTicketStatus)
	r.Post("/support/tickets/{id}/assign", h.supportTicketAssign)
	r.Get("/support/articles", h.supportArticles)
	r.Get("/support/articles/new", h.supportArticleNew)
	r.Post("/support/articles", h.supportArticleSave)
	r.Get("/support/articles/{id}", h.supportArticleEdit)
	r.Post("/support/articles/{id}", h.supportArticleSave)
	r.Post("/support/articles/{id}/delete", h.supportArticleDelete)
}

type ticketColumn struct {
	Status  string
	Tickets []ticketRow
}

type ticketRow struct {
	support.Ticket
	IsLate bool
}

type inboxData struct {
	Conversations []support.Conversation
	Columns       []ticketColumn
	Late          int
}

func (h *Handler) supportInbox(w http.ResponseWriter, r *http.Request) {
	v := h.newView(r, "web.support.title")
	v.Nav = "support"
	convs, err := h.cfg.Support.ListConversations(r.Context(), pagination.Request{Limit: 50})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	tickets, err := h.cfg.Support.ListTickets(r.Context(), support.ListTicketsInput{Page: pagination.Request{Limit: pagination.MaxLimit}})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	late, err := h.cfg.Support.ListTickets(r.Context(), support.ListTicketsInput{Late: true, Page: pagination.Request{Limit: pagination.MaxLimit}})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	by := map[string][]ticketRow{}
	now := h.cfg.Support.Clock()
	for _, t := range tickets.Items {
		by[t.Status] = append(by[t.Status], ticketRow{Ticket: t, IsLate: t.Late(now) && t.Status != "resolved" && t.Status != "closed"})
	}
	d := inboxData{Conversations: convs.Items, Late: len(late.Items)}
	for _, s := range ticketStatuses {
		d.Columns = append(d.Columns, ticketColumn{Status: s, Tickets: by[s]})
	}
	v.Data = d
	h.render(w, r, http.StatusOK, "support", v)
}

type conversationData struct {
	Conversation support.Conversation
	Messages     []support.ChatMessage
	Last         int64
}

func (h *Handler) supportConversation(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		h.fail(w, r, errs.ErrNotFound)
		return
	}
	page, err := h.cfg.Support.ConversationMessages(r.Context(), support.ConversationMessagesInput{ConversationID: id,
		Page: pagination.Request{Limit: pagination.MaxLimit}})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// Show the latest page: follow the cursor to the end.
	msgs := page.Items
	for page.NextCursor != "" {
		if page, err = h.cfg.Support.ConversationMessages(r.Context(), support.ConversationMessagesInput{ConversationID: id,
			Page: pagination.Request{Limit: pagination.MaxLimit, Cursor: page.NextCursor}}); err != nil {
			h.fail(w, r, err)
			return
		}
		msgs = append(msgs, page.Items...)
	}
	if len(msgs) > 500 {
		msgs = msgs[len(msgs)-500:]
	}
	convs, err := h.cfg.Support.ListConversations(r.Context(), pagination.Request{Limit: pagination.MaxLimit})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := conversationData{Messages: msgs}
	for _, c := range convs.Items {
		if c.ID == id {
			d.Conversation = c
		}
	}
	if len(msgs) > 0 {
		d.Last = msgs[len(msgs)-1].ID
	}
	v := h.newView(r, "web.support.chat_title")
	v.Nav = "support"
	v.Data = d
	h.render(w, r, http.StatusOK, "support_conversation", v)
}

type ticketData struct {
	Ticket   support.Ticket
	Late     bool
	Next     []string
	Staff    []staffOption
	Statuses []string
}

type staffOption struct{ ID, Name string }

func (h *Handler) supportTicket(w http.ResponseWriter, r *http.Request) {
	h.renderTicket(w, r, http.StatusOK, nil)
}

func (h *Handler) renderTicket(w http.ResponseWriter, r *http.Request, status int, prepared *view) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		h.fail(w, r, errs.ErrNotFound)
		return
	}
	t, err := h.cfg.Support.GetTicket(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.newView(r, "web.support.ticket_title")
	if prepared != nil {
		v = *prepared
	}
	v.Nav = "support"
	v.Title = t.Subject
	d := ticketData{Ticket: t, Late: t.Late(h.cfg.Support.Clock())}
	cur, _ := dsupport.ParseStatus(t.Status)
	for _, s := range ticketStatuses {
		next, _ := dsupport.ParseStatus(s)
		if cur.CanChangeTo(next) {
			d.Next = append(d.Next, s)
		}
	}
	if list, err := h.cfg.Staff.ListStaff(r.Context()); err == nil {
		for _, m := range list {
			d.Staff = append(d.Staff, staffOption{ID: m.IdentityID, Name: m.Name})
		}
	}
	v.Data = d
	h.render(w, r, status, "support_ticket", v)
}

func (h *Handler) ticketAction(w http.ResponseWriter, r *http.Request, do func(id uuid.UUID) error) {
	_ = r.ParseForm()
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		h.fail(w, r, errs.ErrNotFound)
		return
	}
	if err := do(id); err != nil {
		v := h.newView(r, "web.support.ticket_title")
		v.Form = r.PostForm
		if h.formErrors(r, &v, err) {
			h.renderTicket(w, r, http.StatusUnprocessableEntity, &v)
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/support/tickets/", id.String()), "ticket_updated"))
}

func (h *Handler) supportTicketReply(w http.ResponseWriter, r *http.Request) {
	h.ticketAction(w, r, func(id uuid.UUID) error {
		_, err := h.cfg.Support.StaffReply(r.Context(), id, r.PostForm.Get("body"))
		return err
	})
}

func (h *Handler) supportTicketStatus(w http.ResponseWriter, r *http.Request) {
	h.ticketAction(w, r, func(id uuid.UUID) error {
		_, err := h.cfg.Support.ChangeTicketStatus(r.Context(), id, r.PostForm.Get("status"))
		return err
	})
}

func (h *Handler) supportTicketAssign(w http.ResponseWriter, r *http.Request) {
	h.ticketAction(w, r, func(id uuid.UUID) error {
		_, err := h.cfg.Support.AssignTicket(r.Context(), id, r.PostForm.Get("staff_id"))
		return err
	})
}

func (h *Handler) supportArticles(w http.ResponseWriter, r *http.Request) {
	v := h.newView(r, "web.support.articles")
	v.Nav = "support"
	page, err := h.cfg.Support.ListArticles(r.Context(), support.ListArticlesInput{Page: pagination.Request{Limit: pagination.MaxLimit}})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Data = page.Items
	h.render(w, r, http.StatusOK, "support_articles", v)
}

type articleFormData struct {
	ID      string
	Default bool
	// Preview is the sanitised HTML of the Markdown (bluemonday), so the
	// template shows it as is.
	Preview template.HTML
}

func (h *Handler) supportArticleNew(w http.ResponseWriter, r *http.Request) {
	if !h.allowed(w, r, authz.ManageArticles) {
		return
	}
	v := h.newView(r, "web.support.new_article")
	v.Nav = "support"
	v.Form.Set("kind", dsupport.KindFAQ)
	v.Form.Set("published", "on")
	v.Data = articleFormData{}
	h.render(w, r, http.StatusOK, "support_article", v)
}

func (h *Handler) supportArticleEdit(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		h.fail(w, r, errs.ErrNotFound)
		return
	}
	a, err := h.cfg.Support.GetArticle(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.newView(r, "web.support.edit_article")
	v.Nav = "support"
	v.Form.Set("kind", a.Kind)
	v.Form.Set("title", a.Title)
	v.Form.Set("body_markdown", a.BodyMarkdown)
	if a.Published {
		v.Form.Set("published", "on")
	}
	v.Data = articleFormData{ID: a.ID.String(), Default: a.DefaultKey != "", Preview: template.HTML(a.BodyHTML)} //nolint:gosec // sanitised by the Renderer
	h.render(w, r, http.StatusOK, "support_article", v)
}

// supportArticleSave saves, or with action=preview renders the Markdown
// beside the form without saving.
func (h *Handler) supportArticleSave(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f := r.PostForm
	idStr := chi.URLParam(r, "id")
	in := dsupport.ArticleInput{Kind: f.Get("kind"), Title: f.Get("title"), BodyMarkdown: f.Get("body_markdown"), Published: f.Get("published") != ""}
	title := "web.support.new_article"
	if idStr != "" {
		title = "web.support.edit_article"
	}
	v := h.newView(r, title)
	v.Nav = "support"
	v.Form = f
	d := articleFormData{ID: idStr}
	if f.Get("action") == "preview" {
		html, err := h.cfg.Support.PreviewArticle(r.Context(), in.BodyMarkdown)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		d.Preview = template.HTML(html) //nolint:gosec // sanitised by the Renderer
		v.Data = d
		h.render(w, r, http.StatusOK, "support_article", v)
		return
	}
	var err error
	if idStr == "" {
		_, err = h.cfg.Support.CreateArticle(r.Context(), in)
	} else {
		id, perr := uuid.Parse(idStr)
		if perr != nil {
			h.fail(w, r, errs.ErrNotFound)
			return
		}
		_, err = h.cfg.Support.UpdateArticle(r.Context(), id, in)
	}
	if err != nil {
		if h.formErrors(r, &v, err) {
			v.Data = d
			h.render(w, r, http.StatusUnprocessableEntity, "support_article", v)
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/support/articles"), "article_saved"))
}

func (h *Handler) supportArticleDelete(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		h.fail(w, r, errs.ErrNotFound)
		return
	}
	if err := h.cfg.Support.DeleteArticle(r.Context(), id); err != nil {
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/support/articles"), "article_deleted"))
}

// articleImage serves an image of the help centre (public, cached for
// ever: its name is derived from its content).
func (h *Handler) articleImage(w http.ResponseWriter, r *http.Request) {
	if h.cfg.Support == nil {
		http.NotFound(w, r)
		return
	}
	img, err := h.cfg.Support.ArticleImage(r.Context(), chi.URLParam(r, "slug"), chi.URLParam(r, "name"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", img.ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(img.Data)))
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(img.Data)
}
