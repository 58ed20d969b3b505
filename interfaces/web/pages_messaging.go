package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	appmsg "github.com/torquehq/torque/application/messaging"
	"github.com/torquehq/torque/application/pagination"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/messaging"
)

// The messaging pages: a customer's messages and preferences (a section of
// the 360 page, loaded by htmx, and a page of its own), the templates page
// with its preview, and the public feedback (/f/{token}) and unsubscribe
// (/u/{token}) pages, which need no login.

type customerMessagesPage struct {
	CustomerID uuid.UUID
	Name       string
	Messages   []appmsg.Message
	Prefs      messaging.Preferences
	Channels   []string
	Reminders  []string
}

func (p customerMessagesPage) Chose(ch string) bool {
	for _, c := range p.Prefs.Channels {
		if c.String() == ch {
			return true
		}
	}
	return false
}

func (h *Handler) messagingOff(w http.ResponseWriter, r *http.Request) bool {
	if h.cfg.Messaging == nil {
		h.fail(w, r, errs.ErrNotFound)
		return true
	}
	return false
}

func (h *Handler) customerMessages(w http.ResponseWriter, r *http.Request) {
	h.renderCustomerMessages(w, r, http.StatusOK, nil)
}

func (h *Handler) renderCustomerMessages(w http.ResponseWriter, r *http.Request, status int, prepared *view) {
	if h.messagingOff(w, r) {
		return
	}
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	v := h.newView(r, "web.messages.title")
	if prepared != nil {
		v = *prepared
	}
	v.Nav = "customers"
	prefs, err := h.cfg.Messaging.GetPreferences(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := customerMessagesPage{CustomerID: id, Prefs: prefs, Channels: []string{"whatsapp", "email", "sms"},
		Reminders: []string{"each_due", "monthly", "quarterly", "never"}}
	if v.Can("message.read") {
		page, err := h.cfg.Messaging.ListMessages(r.Context(), appmsg.Filter{CustomerID: id}, pagination.Request{Limit: 50})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		p.Messages = page.Items
	}
	if len(v.Form) == 0 {
		v.Form.Set("quiet_from", prefs.Quiet.From.String())
		v.Form.Set("quiet_to", prefs.Quiet.To.String())
		v.Form.Set("reminders", prefs.Reminders.String())
	}
	v.Data = p
	if r.Header.Get("HX-Request") != "" {
		h.renderBlock(w, r, status, "customer_messages", "messages", v)
		return
	}
	h.render(w, r, status, "customer_messages", v)
}

func (h *Handler) customerPreferencesSave(w http.ResponseWriter, r *http.Request) {
	if h.messagingOff(w, r) {
		return
	}
	id, ok := h.pathID(w, r)
	if !ok {
		return
	}
	_ = r.ParseForm()
	in := messaging.PreferencesInput{Channels: append([]string{}, r.PostForm["channels"]...), Reminders: r.PostForm.Get("reminders"),
		QuietFrom: r.PostForm.Get("quiet_from"), QuietTo: r.PostForm.Get("quiet_to")}
	if _, err := h.cfg.Messaging.SetPreferences(r.Context(), id, in); err != nil {
		v := h.newView(r, "web.messages.title")
		v.Form = r.PostForm
		if h.formErrors(r, &v, err) {
			h.renderCustomerMessages(w, r, http.StatusUnprocessableEntity, &v)
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/customers/", id.String()), "prefs_saved")+"#mensagens")
}

type templatesPage struct {
	Templates    []appmsg.TemplateView
	Placeholders []string
	Preview      *appmsg.Preview
	// Editing is the kind/channel of the form that was posted.
	EditKind, EditChannel string
}

func (h *Handler) messageTemplates(w http.ResponseWriter, r *http.Request) {
	h.renderTemplates(w, r, http.StatusOK, nil, nil)
}

func (h *Handler) renderTemplates(w http.ResponseWriter, r *http.Request, status int, prepared *view, preview *appmsg.Preview) {
	if h.messagingOff(w, r) {
		return
	}
	v := h.newView(r, "web.templates.title")
	if prepared != nil {
		v = *prepared
	}
	v.Nav = "messages"
	ts, err := h.cfg.Messaging.ListTemplates(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Data = templatesPage{Templates: ts, Placeholders: messaging.Placeholders, Preview: preview,
		EditKind: v.Form.Get("kind"), EditChannel: v.Form.Get("channel")}
	h.render(w, r, status, "message_templates", v)
}

func templateInput(r *http.Request) appmsg.TemplateInput {
	_ = r.ParseForm()
	return appmsg.TemplateInput{Kind: r.PostForm.Get("kind"), Channel: r.PostForm.Get("channel"),
		Subject: r.PostForm.Get("subject"), Body: r.PostForm.Get("body")}
}

func (h *Handler) messageTemplateSave(w http.ResponseWriter, r *http.Request) {
	if h.messagingOff(w, r) {
		return
	}
	in := templateInput(r)
	if r.PostForm.Get("action") == "preview" {
		h.messageTemplatePreview(w, r)
		return
	}
	if _, err := h.cfg.Messaging.SetTemplate(r.Context(), in); err != nil {
		v := h.newView(r, "web.templates.title")
		v.Form = r.PostForm
		if h.formErrors(r, &v, err) {
			h.renderTemplates(w, r, http.StatusUnprocessableEntity, &v, nil)
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/message-templates"), "template_saved")+"#t-"+in.Kind+"-"+in.Channel)
}

func (h *Handler) messageTemplatePreview(w http.ResponseWriter, r *http.Request) {
	in := templateInput(r)
	v := h.newView(r, "web.templates.title")
	v.Form = r.PostForm
	p, err := h.cfg.Messaging.PreviewTemplate(r.Context(), in)
	if err != nil {
		if h.formErrors(r, &v, err) {
			h.renderTemplates(w, r, http.StatusUnprocessableEntity, &v, nil)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.renderTemplates(w, r, http.StatusOK, &v, &p)
}

type feedbackPage struct {
	Token        string
	WorkshopName string
	Answered     bool
	Done         bool
	Scores       []int
	CSATs        []int
}

func (h *Handler) feedbackForm(w http.ResponseWriter, r *http.Request) {
	h.renderFeedback(w, r, http.StatusOK, nil, false)
}

func (h *Handler) renderFeedback(w http.ResponseWriter, r *http.Request, status int, prepared *view, done bool) {
	if h.messagingOff(w, r) {
		return
	}
	tok := chi.URLParam(r, "token")
	req, err := h.cfg.Messaging.FeedbackPage(r.Context(), tok)
	if err != nil {
		h.publicFail(w, r, err)
		return
	}
	v := h.newView(r, "web.feedback.title")
	if prepared != nil {
		v = *prepared
	}
	scores := make([]int, 11)
	for i := range scores {
		scores[i] = i
	}
	v.Data = feedbackPage{Token: tok, WorkshopName: req.WorkshopName, Answered: req.Answered, Done: done, Scores: scores,
		CSATs: []int{1, 2, 3, 4, 5}}
	h.render(w, r, status, "feedback", v)
}

func (h *Handler) feedbackSubmit(w http.ResponseWriter, r *http.Request) {
	if h.messagingOff(w, r) {
		return
	}
	_ = r.ParseForm()
	score, err := strconv.Atoi(r.PostForm.Get("score"))
	if err != nil {
		score = -1
	}
	var csat *int
	if s := r.PostForm.Get("csat"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			n = -1
		}
		csat = &n
	}
	_, err = h.cfg.Messaging.SubmitFeedback(r.Context(), chi.URLParam(r, "token"), score, csat, r.PostForm.Get("comment"))
	switch {
	case err == nil:
		h.renderFeedback(w, r, http.StatusCreated, nil, true)
	case errors.Is(err, errs.ErrConflict):
		h.renderFeedback(w, r, http.StatusConflict, nil, false)
	default:
		v := h.newView(r, "web.feedback.title")
		v.Form = r.PostForm
		if h.formErrors(r, &v, err) {
			h.renderFeedback(w, r, http.StatusUnprocessableEntity, &v, false)
			return
		}
		h.publicFail(w, r, err)
	}
}

type unsubscribePage struct {
	Token, WorkshopName, Channel string
	Done                         bool
}

func (h *Handler) unsubscribeForm(w http.ResponseWriter, r *http.Request) {
	if h.messagingOff(w, r) {
		return
	}
	tok := chi.URLParam(r, "token")
	u, err := h.cfg.Messaging.UnsubscribePage(r.Context(), tok)
	if err != nil {
		h.publicFail(w, r, err)
		return
	}
	v := h.newView(r, "web.unsubscribe.title")
	v.Data = unsubscribePage{Token: tok, WorkshopName: u.WorkshopName, Channel: u.Channel}
	h.render(w, r, http.StatusOK, "unsubscribe", v)
}

func (h *Handler) unsubscribeSubmit(w http.ResponseWriter, r *http.Request) {
	if h.messagingOff(w, r) {
		return
	}
	tok := chi.URLParam(r, "token")
	u, err := h.cfg.Messaging.Unsubscribe(r.Context(), tok)
	if err != nil {
		h.publicFail(w, r, err)
		return
	}
	v := h.newView(r, "web.unsubscribe.title")
	v.Data = unsubscribePage{Token: tok, WorkshopName: u.WorkshopName, Channel: u.Channel, Done: true}
	h.render(w, r, http.StatusOK, "unsubscribe", v)
}

// publicFail answers a public link that names nothing with a plain page.
func (h *Handler) publicFail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, errs.ErrNotFound) {
		h.errorPage(w, r, http.StatusNotFound, "web.public.invalid_link")
		return
	}
	h.fail(w, r, err)
}

type campaignsPage struct {
	Campaigns []appmsg.Campaign
	Channels  []string
}

func (h *Handler) campaigns(w http.ResponseWriter, r *http.Request) {
	h.renderCampaigns(w, r, http.StatusOK, nil)
}

func (h *Handler) renderCampaigns(w http.ResponseWriter, r *http.Request, status int, prepared *view) {
	if h.messagingOff(w, r) {
		return
	}
	v := h.newView(r, "web.campaigns.title")
	if prepared != nil {
		v = *prepared
	}
	v.Nav = "messages"
	cs, err := h.cfg.Messaging.ListCampaigns(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Form.Get("channel") == "" {
		v.Form.Set("channel", "email")
	}
	v.Data = campaignsPage{Campaigns: cs, Channels: []string{"email", "whatsapp", "sms"}}
	h.render(w, r, status, "campaigns", v)
}

// splitList reads a comma-separated form field.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (h *Handler) campaignCreate(w http.ResponseWriter, r *http.Request) {
	if h.messagingOff(w, r) {
		return
	}
	_ = r.ParseForm()
	f := r.PostForm
	in := appmsg.CampaignInput{Name: f.Get("name"), Channel: f.Get("channel"), Subject: f.Get("subject"), Body: f.Get("body"),
		Segment: appmsg.Segment{Services: splitList(f.Get("services")), Makes: splitList(f.Get("makes")), Cities: splitList(f.Get("cities"))}}
	v := h.newView(r, "web.campaigns.title")
	v.Form = f
	for field, dst := range map[string]**time.Time{"last_visit_before": &in.Segment.LastVisitBefore, "last_visit_after": &in.Segment.LastVisitAfter} {
		if s := f.Get(field); s != "" {
			d, err := time.ParseInLocation("2006-01-02", s, saoPaulo)
			if err != nil {
				v.Errors[field] = messages.FieldError(v.L, "invalid_format")
				continue
			}
			*dst = &d
		}
	}
	if len(v.Errors) > 0 {
		v.Alert = tr(v.L, "web.form.fix_errors")
		h.renderCampaigns(w, r, http.StatusUnprocessableEntity, &v)
		return
	}
	if _, err := h.cfg.Messaging.CreateCampaign(r.Context(), in); err != nil {
		if h.formErrors(r, &v, err) {
			for k, msg := range v.Errors {
				if after, ok := strings.CutPrefix(k, "template."); ok {
					v.Errors[after] = msg
				}
			}
			h.renderCampaigns(w, r, http.StatusUnprocessableEntity, &v)
			return
		}
		h.fail(w, r, err)
		return
	}
	redirect(w, r, withFlash(h.appPath(r, "/campaigns"), "campaign_created"))
}
