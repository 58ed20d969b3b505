package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/quotes"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/interfaces/session"
)

// The portal's quote (orçamento) page, where the car owner approves or
// declines each line, and the invoice (fatura) download of their own
// completed orders. Both run application/quotes and application/invoices as
// the car owner (portal.read / portal.write, own orders only).

func init() {
	registerPortalFeature(portalFeature{Mount: func(h *Handler, r chi.Router) {
		r.Get("/quotes/{id}", h.portalQuote)
		r.Post("/quotes/{id}", h.portalQuoteDecide)
		r.Get("/orders/{id}/invoice.pdf", h.portalInvoicePDF)
	}})
}

// portalQuotePage is the quote page: the quote, its validity as
// dd/mm/yyyy, and whether it still waits for the car owner's decision.
type portalQuotePage struct {
	Quote      quotes.Quote
	ValidUntil string
	Pending    bool
}

// portalOrderExtras are the order page's links: its current quote (nil
// when none) and whether the invoice can be downloaded.
type portalOrderExtras struct {
	Quote      *quotes.Quote
	CanInvoice bool
}

func (h *Handler) portalOrderExtrasOf(r *http.Request, o serviceorders.ServiceOrder) portalOrderExtras {
	var out portalOrderExtras
	if h.cfg.Quotes != nil {
		if q, err := h.cfg.Quotes.PortalCurrentQuote(r.Context(), o.ID); err == nil {
			out.Quote = &q
		}
	}
	out.CanInvoice = h.cfg.Invoices != nil && (o.Status == "completed" || o.Status == "delivered")
	return out
}

func (h *Handler) portalQuoteID(w http.ResponseWriter, r *http.Request) (uuid.UUID, bool) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil || h.cfg.Quotes == nil {
		h.portalFail(w, r, errs.ErrNotFound)
		return uuid.Nil, false
	}
	return id, true
}

func (h *Handler) renderPortalQuote(w http.ResponseWriter, r *http.Request, status int, v view, q quotes.Quote) {
	page := portalQuotePage{Quote: q, Pending: q.Status == "sent" && q.Decision == nil}
	if d, err := time.Parse(time.DateOnly, q.ValidUntil); err == nil {
		page.ValidUntil = d.Format("02/01/2006")
	}
	v.Data = page
	h.renderPortal(w, r, status, "portal_quote", v)
}

func (h *Handler) portalQuote(w http.ResponseWriter, r *http.Request) {
	id, ok := h.portalQuoteID(w, r)
	if !ok {
		return
	}
	q, err := h.cfg.Quotes.PortalGetQuote(r.Context(), id)
	if err != nil {
		h.portalFail(w, r, err)
		return
	}
	v := h.portalView(r, "web.portal.quote.title", "orders", q.OrderNumber)
	if r.URL.Query().Get("ok") == "decided" {
		v.Flash = tr(v.L, "web.portal.quote.decided")
	}
	h.renderPortalQuote(w, r, http.StatusOK, v, q)
}

// portalQuoteDecide records the decision of every line: form fields
// "item.<line id>" = "approve" | "decline".
func (h *Handler) portalQuoteDecide(w http.ResponseWriter, r *http.Request) {
	id, ok := h.portalQuoteID(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.portalError(w, r, http.StatusBadRequest, "web.error.generic")
		return
	}
	q, err := h.cfg.Quotes.PortalGetQuote(r.Context(), id)
	if err != nil {
		h.portalFail(w, r, err)
		return
	}
	v := h.portalView(r, "web.portal.quote.title", "orders", q.OrderNumber)
	v.Form = r.PostForm
	var in serviceorder.DecisionInput
	for _, it := range q.Items {
		name := "item." + it.ID.String()
		var approved *bool
		switch r.PostForm.Get(name) {
		case "approve":
			approved = ptrBool(true)
		case "decline":
			approved = ptrBool(false)
		default:
			v.Errors[name] = tr(v.L, "web.portal.quote.choose")
		}
		in.Items = append(in.Items, serviceorder.ItemDecisionInput{ID: it.ID.String(), Approved: approved})
	}
	if len(v.Errors) > 0 {
		v.Alert = tr(v.L, "web.portal.quote.choose_all")
		h.renderPortalQuote(w, r, http.StatusUnprocessableEntity, v, q)
		return
	}
	if _, err := h.cfg.Quotes.DecideQuote(r.Context(), quotes.DecideQuoteInput{QuoteID: id, Decision: in,
		IP: session.ClientIP(r, h.cfg.TrustProxy), UserAgent: r.UserAgent()}); err != nil {
		var ce *errs.ConflictError
		if errors.As(err, &ce) {
			if cur, gerr := h.cfg.Quotes.PortalGetQuote(r.Context(), id); gerr == nil {
				q = cur
			}
			v.Alert = tr(v.L, "web.portal.quote.conflict")
			h.renderPortalQuote(w, r, http.StatusConflict, v, q)
			return
		}
		h.portalFail(w, r, err)
		return
	}
	http.Redirect(w, r, "/p/"+chi.URLParam(r, "slug")+"/quotes/"+id.String()+"?ok=decided", http.StatusSeeOther)
}

func ptrBool(b bool) *bool { return &b }

// portalInvoicePDF downloads the invoice of one of the car owner's own
// completed or delivered orders: GET /p/{slug}/orders/{id}/invoice.pdf.
func (h *Handler) portalInvoicePDF(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil || h.cfg.Invoices == nil {
		h.portalFail(w, r, errs.ErrNotFound)
		return
	}
	pdf, inv, err := h.cfg.Invoices.PortalInvoicePDF(r.Context(), id)
	if err != nil {
		h.portalFail(w, r, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/pdf")
	hd.Set("Content-Disposition", `attachment; filename="fatura-os-`+strconv.FormatInt(inv.OrderNumber, 10)+`.pdf"`)
	hd.Set("Cache-Control", "private, no-store")
	_, _ = w.Write(pdf) //nolint:gosec // a PDF Torque rendered, sent as application/pdf with nosniff
}
