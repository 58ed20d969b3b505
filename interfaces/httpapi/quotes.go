package httpapi

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/invoices"
	"github.com/torquehq/torque/application/quotes"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/interfaces/session"
)

// QuoteHandlers serve quotes (orçamentos) and invoices (faturas) of
// service orders: the staff side under /api/v1/workshops/{slug} and the
// car owner's side under /api/v1/portal/{slug}.
type QuoteHandlers struct {
	Quotes   *quotes.UseCases
	Invoices *invoices.UseCases
	// TrustProxy takes the client IP of a decision's evidence from
	// X-Forwarded-For (TORQUE_TRUST_PROXY).
	TrustProxy bool
	Log        *slog.Logger
}

// MountWorkshop registers the staff routes under /api/v1/workshops/{slug}.
func (h *QuoteHandlers) MountWorkshop(r chi.Router) {
	r.Use(auditEndpoint)
	r.Post("/service-orders/{id}/quote", h.withID(h.sendQuote))
	r.Get("/service-orders/{id}/quote", h.withID(h.getQuote))
	r.Get("/service-orders/{id}/invoice", h.withID(h.getInvoice))
	r.Get("/service-orders/{id}/invoice.pdf", h.withID(h.getInvoicePDF))
}

// MountPortal registers the car owner's routes, relative to
// /api/v1/portal/{slug}; the context carries the tenant and the car
// owner's principal (authz.RoleCustomer).
func (h *QuoteHandlers) MountPortal(r chi.Router) {
	r.Get("/quotes/{id}", h.withID(h.portalGetQuote))
	r.Post("/quotes/{id}/decision", h.withID(h.portalDecide))
	r.Get("/orders/{id}/invoice.pdf", h.withID(h.portalInvoicePDF))
}

func (h *QuoteHandlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	Fail(w, r, h.Log, err)
}

func (h *QuoteHandlers) withID(next func(http.ResponseWriter, *http.Request, uuid.UUID)) http.HandlerFunc {
	return withIDParam(h.Log, next)
}

type quoteRequest struct {
	Items      []itemRequest `json:"items"`
	ValidUntil string        `json:"valid_until"`
	Note       string        `json:"note"`
}

func (h *QuoteHandlers) sendQuote(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	var req quoteRequest
	exp, err := decodeUpdate(r, &req)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := serviceorder.QuoteInput{ValidUntil: req.ValidUntil, Note: req.Note}
	for _, it := range req.Items {
		in.Items = append(in.Items, serviceorder.ItemInput{Service: it.Service, Description: it.Description,
			Quantity: it.Quantity, UnitPriceCents: it.UnitPriceCents})
	}
	q, err := h.Quotes.SendQuote(r.Context(), quotes.SendQuoteInput{OrderID: id, Quote: in, ExpectedVersion: exp})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", strings.TrimSuffix(r.URL.Path, "/"))
	WriteJSON(w, http.StatusCreated, toQuoteJSON(q))
}

func (h *QuoteHandlers) getQuote(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	q, err := h.Quotes.GetQuote(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, toQuoteJSON(q))
}

func (h *QuoteHandlers) getInvoice(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	inv, err := h.Invoices.GetInvoice(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, toInvoiceJSON(inv))
}

func (h *QuoteHandlers) getInvoicePDF(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	pdf, inv, err := h.Invoices.InvoicePDF(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writePDF(w, pdf, inv)
}

func (h *QuoteHandlers) portalGetQuote(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	q, err := h.Quotes.PortalGetQuote(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, toQuoteJSON(q))
}

func (h *QuoteHandlers) portalDecide(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	var req decisionRequest
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	q, err := h.Quotes.DecideQuote(r.Context(), quotes.DecideQuoteInput{QuoteID: id, Decision: req.input(),
		IP: session.ClientIP(r, h.TrustProxy), UserAgent: r.UserAgent()})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, toQuoteJSON(q))
}

func (h *QuoteHandlers) portalInvoicePDF(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	pdf, inv, err := h.Invoices.PortalInvoicePDF(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writePDF(w, pdf, inv)
}

func writePDF(w http.ResponseWriter, pdf []byte, inv invoices.Invoice) {
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `attachment; filename="fatura-os-`+strconv.FormatInt(inv.OrderNumber, 10)+`.pdf"`)
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.Itoa(len(pdf)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(pdf) //nolint:gosec // a PDF Torque rendered, sent as application/pdf with nosniff, not HTML
}

// decisionRequest is POST .../quotes/{id}/decision.
type decisionRequest struct {
	Items []struct {
		ID       string `json:"id"`
		Approved *bool  `json:"approved"`
	} `json:"items"`
}

func (d decisionRequest) input() serviceorder.DecisionInput {
	var in serviceorder.DecisionInput
	for _, it := range d.Items {
		in.Items = append(in.Items, serviceorder.ItemDecisionInput{ID: it.ID, Approved: it.Approved})
	}
	return in
}

// DecodeDecision decodes a decision body strictly (exported for its fuzz
// test and for the portal's pages).
func DecodeDecision(body []byte) (serviceorder.DecisionInput, error) {
	var req decisionRequest
	if err := DecodeJSONBytes(body, &req); err != nil {
		return serviceorder.DecisionInput{}, err
	}
	return req.input(), nil
}
