package httpapi

import (
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	appmsg "github.com/torquehq/torque/application/messaging"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/messaging"
)

// WhatsAppWebhooks checks and reads the WhatsApp Cloud API webhooks.
type WhatsAppWebhooks interface {
	// VerifySubscription answers the GET handshake: the challenge to echo,
	// or false when the mode or the verify token are wrong.
	VerifySubscription(mode, token, challenge string) (string, bool)
	// Verify reports whether signature (X-Hub-Signature-256) signs body.
	Verify(body []byte, signature string) bool
	// Payload reads a verified body.
	Payload(body []byte) ([]appmsg.StatusReport, []appmsg.InboundMessage, error)
}

// MessagingHandlers serve the communication API (API.md
// "Communication"): preferences, messages, templates and campaigns under
// the workshop, and the public webhook, feedback and unsubscribe endpoints.
type MessagingHandlers struct {
	Messaging *appmsg.UseCases
	// WhatsApp is optional: without it the webhook answers 404.
	WhatsApp WhatsAppWebhooks
	// Limits throttle the public feedback and unsubscribe links (per
	// client behind ProxyHops trusted proxies, and per token).
	Limits    RateLimits
	ProxyHops int
	Log       *slog.Logger
}

// Mount registers the public routes on /api/v1.
func (h *MessagingHandlers) Mount(r chi.Router) {
	r.Get("/webhooks/whatsapp", h.whatsAppVerify)
	r.Post("/webhooks/whatsapp", h.whatsAppWebhook)
	r.With(h.linkLimits()).Post("/feedback/{token}", h.feedback)
	r.With(h.linkLimits()).Post("/unsubscribe/{token}", h.unsubscribe)
}

// MountWorkshop registers the routes under /api/v1/workshops/{slug}.
func (h *MessagingHandlers) MountWorkshop(r chi.Router) {
	r.Get("/customers/{id}/preferences", h.withID(h.getPreferences))
	r.Put("/customers/{id}/preferences", h.withID(h.putPreferences))
	r.Get("/messages", h.listMessages)
	r.Get("/message-templates", h.listTemplates)
	r.Put("/message-templates/{kind}", h.putTemplate)
	r.Post("/message-templates/{kind}/preview", h.previewTemplate)
	r.Post("/campaigns", h.createCampaign)
	r.Get("/campaigns", h.listCampaigns)
	r.Get("/campaigns/{id}", h.withID(h.getCampaign))
}

func (h *MessagingHandlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	Fail(w, r, h.Log, err)
}

func (h *MessagingHandlers) withID(next func(http.ResponseWriter, *http.Request, uuid.UUID)) http.HandlerFunc {
	return withIDParam(h.Log, next)
}

type quietHoursJSON struct {
	From string `json:"from"`
	To   string `json:"to"`
}

type preferencesJSON struct {
	Channels   []string        `json:"channels"`
	Reminders  string          `json:"reminders"`
	QuietHours *quietHoursJSON `json:"quiet_hours"`
	OptedOut   []string        `json:"opted_out,omitempty"`
}

func toPreferencesJSON(p messaging.Preferences) preferencesJSON {
	out := preferencesJSON{Channels: []string{}, Reminders: p.Reminders.String(),
		QuietHours: &quietHoursJSON{From: p.Quiet.From.String(), To: p.Quiet.To.String()}}
	for _, c := range p.Channels {
		out.Channels = append(out.Channels, c.String())
	}
	for _, c := range p.OptedOut {
		out.OptedOut = append(out.OptedOut, c.String())
	}
	return out
}

func (h *MessagingHandlers) getPreferences(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	p, err := h.Messaging.GetPreferences(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, toPreferencesJSON(p))
}

func (h *MessagingHandlers) putPreferences(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	var req struct {
		Channels   []string        `json:"channels"`
		Reminders  string          `json:"reminders"`
		QuietHours *quietHoursJSON `json:"quiet_hours"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	in := messaging.PreferencesInput{Channels: req.Channels, Reminders: req.Reminders}
	if req.QuietHours != nil {
		in.QuietFrom, in.QuietTo = req.QuietHours.From, req.QuietHours.To
	}
	p, err := h.Messaging.SetPreferences(r.Context(), id, in)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, toPreferencesJSON(p))
}

type messageJSONOut struct {
	ID         uuid.UUID  `json:"id"`
	CustomerID uuid.UUID  `json:"customer_id"`
	Kind       string     `json:"kind"`
	Channel    *string    `json:"channel"`
	Status     string     `json:"status"`
	Reason     *string    `json:"reason"`
	Attempts   int        `json:"attempts"`
	To         *string    `json:"to"`
	OrderID    *uuid.UUID `json:"order_id"`
	CampaignID *uuid.UUID `json:"campaign_id"`
	CreatedAt  time.Time  `json:"created_at"`
	DueAt      time.Time  `json:"due_at"`
	SentAt     *time.Time `json:"sent_at"`
	Delivered  *time.Time `json:"delivered_at"`
	ReadAt     *time.Time `json:"read_at"`
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optUUID(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func toMessageJSON(m appmsg.Message) messageJSONOut {
	return messageJSONOut{ID: m.ID, CustomerID: m.CustomerID, Kind: m.Kind, Channel: optString(m.Channel), Status: m.Status,
		Reason: optString(m.Reason), Attempts: m.Attempts, To: optString(m.ToMasked), OrderID: optUUID(m.OrderID),
		CampaignID: optUUID(m.CampaignID), CreatedAt: m.CreatedAt.UTC(), DueAt: m.DueAt.UTC(), SentAt: utcPtr(m.SentAt),
		Delivered: utcPtr(m.DeliveredAt), ReadAt: utcPtr(m.ReadAt)}
}

func (h *MessagingHandlers) listMessages(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := appmsg.Filter{Kind: q.Get("kind"), Status: q.Get("status")}
	if s := q.Get("customer_id"); s != "" {
		id, err := uuid.Parse(s)
		if err != nil {
			h.fail(w, r, errs.Invalid("customer_id", "invalid_format", "customer_id must be a UUID"))
			return
		}
		f.CustomerID = id
	}
	page, err := pageRequest(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.Messaging.ListMessages(r.Context(), f, page)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writePage(w, res, toMessageJSON)
}

type templateJSON struct {
	Kind    string `json:"kind"`
	Channel string `json:"channel"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
	Default bool   `json:"default"`
}

func toTemplateJSON(t appmsg.TemplateView) templateJSON {
	return templateJSON{Kind: t.Kind.String(), Channel: t.Channel.String(), Subject: t.Subject, Body: t.Body, Default: t.Default}
}

func (h *MessagingHandlers) listTemplates(w http.ResponseWriter, r *http.Request) {
	ts, err := h.Messaging.ListTemplates(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]templateJSON, 0, len(ts))
	for _, t := range ts {
		out = append(out, toTemplateJSON(t))
	}
	WriteJSON(w, http.StatusOK, map[string]any{"items": out, "placeholders": messaging.Placeholders})
}

type templateRequest struct {
	Channel string `json:"channel"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

func (h *MessagingHandlers) putTemplate(w http.ResponseWriter, r *http.Request) {
	var req templateRequest
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	t, err := h.Messaging.SetTemplate(r.Context(), appmsg.TemplateInput{Kind: chi.URLParam(r, "kind"), Channel: req.Channel,
		Subject: req.Subject, Body: req.Body})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, toTemplateJSON(t))
}

func (h *MessagingHandlers) previewTemplate(w http.ResponseWriter, r *http.Request) {
	var req templateRequest
	if r.ContentLength != 0 {
		if err := DecodeJSON(r, &req); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	p, err := h.Messaging.PreviewTemplate(r.Context(), appmsg.TemplateInput{Kind: chi.URLParam(r, "kind"), Channel: req.Channel,
		Subject: req.Subject, Body: req.Body})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]string{"channel": p.Channel, "subject": p.Subject, "text": p.Text, "html": p.HTML})
}

type segmentJSON struct {
	LastVisitBefore *time.Time `json:"last_visit_before"`
	LastVisitAfter  *time.Time `json:"last_visit_after"`
	Services        []string   `json:"services"`
	Makes           []string   `json:"makes"`
	Cities          []string   `json:"cities"`
}

type campaignJSON struct {
	ID        uuid.UUID      `json:"id"`
	Name      string         `json:"name"`
	Channel   string         `json:"channel"`
	Template  templateShort  `json:"template"`
	Segment   segmentJSON    `json:"segment"`
	SendAt    time.Time      `json:"send_at"`
	CreatedAt time.Time      `json:"created_at"`
	Counts    map[string]int `json:"counts"`
}

type templateShort struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

func toCampaignJSON(c appmsg.Campaign) campaignJSON {
	n := c.Counts
	return campaignJSON{ID: c.ID, Name: c.Name, Channel: c.Channel, Template: templateShort{Subject: c.Subject, Body: c.Body},
		Segment: segmentJSON{LastVisitBefore: utcPtr(c.Segment.LastVisitBefore), LastVisitAfter: utcPtr(c.Segment.LastVisitAfter),
			Services: nonNil(c.Segment.Services), Makes: nonNil(c.Segment.Makes), Cities: nonNil(c.Segment.Cities)},
		SendAt: c.SendAt.UTC(), CreatedAt: c.CreatedAt.UTC(),
		Counts: map[string]int{"targeted": n.Targeted, "skipped_no_consent": n.SkippedNoConsent, "skipped_other": n.SkippedOther,
			"sent": n.Sent, "delivered": n.Delivered, "failed": n.Failed}}
}

func (h *MessagingHandlers) createCampaign(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name     string        `json:"name"`
		Channel  string        `json:"channel"`
		Template templateShort `json:"template"`
		Segment  segmentJSON   `json:"segment"`
		SendAt   *time.Time    `json:"send_at"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.Messaging.CreateCampaign(r.Context(), appmsg.CampaignInput{Name: req.Name, Channel: req.Channel,
		Subject: req.Template.Subject, Body: req.Template.Body, SendAt: req.SendAt,
		Segment: appmsg.Segment{LastVisitBefore: req.Segment.LastVisitBefore, LastVisitAfter: req.Segment.LastVisitAfter,
			Services: req.Segment.Services, Makes: req.Segment.Makes, Cities: req.Segment.Cities}})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "campaigns/"+c.ID.String())
	WriteJSON(w, http.StatusCreated, toCampaignJSON(c))
}

func (h *MessagingHandlers) getCampaign(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	c, err := h.Messaging.GetCampaign(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, toCampaignJSON(c))
}

func (h *MessagingHandlers) listCampaigns(w http.ResponseWriter, r *http.Request) {
	cs, err := h.Messaging.ListCampaigns(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]campaignJSON, 0, len(cs))
	for _, c := range cs {
		out = append(out, toCampaignJSON(c))
	}
	WriteJSON(w, http.StatusOK, map[string]any{"items": out})
}

func (h *MessagingHandlers) whatsAppVerify(w http.ResponseWriter, r *http.Request) {
	if h.WhatsApp == nil {
		h.fail(w, r, errs.ErrNotFound)
		return
	}
	q := r.URL.Query()
	challenge, ok := h.WhatsApp.VerifySubscription(q.Get("hub.mode"), q.Get("hub.verify_token"), q.Get("hub.challenge"))
	if !ok {
		WriteProblem(w, Problem{Type: "/problems/forbidden", Status: http.StatusForbidden, Detail: "The verify token does not match."})
		return
	}
	if !plainToken.MatchString(challenge) {
		WriteProblem(w, Problem{Type: "/problems/bad-request", Status: http.StatusBadRequest, Detail: "hub.challenge must be a short token."})
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, challenge) //nolint:gosec // text/plain, nosniff, and only [A-Za-z0-9_-]
}

// plainToken is what a handshake challenge may hold.
var plainToken = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

func (h *MessagingHandlers) whatsAppWebhook(w http.ResponseWriter, r *http.Request) {
	if h.WhatsApp == nil {
		h.fail(w, r, errs.ErrNotFound)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		WriteProblem(w, Problem{Type: "/problems/body-too-large", Status: http.StatusRequestEntityTooLarge})
		return
	}
	if !h.WhatsApp.Verify(body, r.Header.Get("X-Hub-Signature-256")) {
		WriteProblem(w, Problem{Type: "/problems/unauthorized", Status: http.StatusUnauthorized,
			Detail: "The webhook signature is missing or invalid.",
			Errors: []FieldIssue{{Field: "X-Hub-Signature-256", Code: "invalid_signature", Message: "signature verification failed"}}})
		return
	}
	statuses, inbound, err := h.WhatsApp.Payload(body)
	if err != nil {
		WriteProblem(w, Problem{Type: "/problems/bad-webhook", Status: http.StatusBadRequest, Detail: err.Error()})
		return
	}
	n, err := h.Messaging.ApplyProviderReports(r.Context(), statuses, inbound)
	if err != nil {
		h.fail(w, r, err) // 500: the provider retries the delivery
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"received": true, "applied": n})
}

func (h *MessagingHandlers) feedback(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Score   *int   `json:"score"`
		CSAT    *int   `json:"csat"`
		Comment string `json:"comment"`
	}
	if err := DecodeJSON(r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	score := -1
	if req.Score != nil {
		score = *req.Score
	}
	e, err := h.Messaging.SubmitFeedback(r.Context(), chi.URLParam(r, "token"), score, req.CSAT, req.Comment)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := map[string]any{"score": e.Score, "received_at": e.ReceivedAt.UTC()}
	if e.CSAT != 0 {
		out["csat"] = e.CSAT
	}
	WriteJSON(w, http.StatusCreated, out)
}

func (h *MessagingHandlers) unsubscribe(w http.ResponseWriter, r *http.Request) {
	u, err := h.Messaging.Unsubscribe(r.Context(), chi.URLParam(r, "token"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"unsubscribed": true, "channel": u.Channel})
}
