package web

import (
	"html/template"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/pagination"
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
