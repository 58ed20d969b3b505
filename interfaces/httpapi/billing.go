package httpapi

import (
	"io"
	"net/http"
)

func (h *AccountHandlers) billingPortal(w http.ResponseWriter, r *http.Request) {
	url, err := h.Billing.OpenBillingPortal(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]string{"url": url})
}

func (h *AccountHandlers) checkout(w http.ResponseWriter, r *http.Request) {
	url, err := h.Billing.StartCheckout(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]string{"checkout_url": url})
}

func (h *AccountHandlers) stripeWebhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		WriteProblem(w, Problem{Type: "/problems/body-too-large", Status: http.StatusRequestEntityTooLarge})
		return
	}
	ev, err := h.Webhooks.Verify(body, r.Header.Get("Stripe-Signature"))
	if err != nil {
		status := http.StatusBadRequest
		WriteProblem(w, Problem{Type: "/problems/bad-webhook", Status: status, Detail: "The webhook signature or payload is invalid.",
			Errors: []FieldIssue{{Field: "Stripe-Signature", Code: "invalid_signature", Message: "signature verification failed"}}})
		return
	}
	applied, err := h.Billing.HandleBillingEvent(r.Context(), ev)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"received": true, "applied": applied})
}
