// Package whatsapp speaks Meta's WhatsApp Business Cloud API: sending
// (POST /{phone-number-id}/messages, a free-form text inside the 24-hour
// customer-service window, an approved template outside it) and the signed
// webhook that reports statuses and inbound messages.
package whatsapp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	appmsg "github.com/torquehq/torque/application/messaging"
)

var _ appmsg.Sender = (*CloudAPISender)(nil)

// Config configures the Cloud API adapter.
type Config struct {
	// APIURL is the Graph API base including its version, e.g.
	// "https://<graph host>/v21.0" (or the local fake's URL).
	APIURL string
	// PhoneNumberID is the business phone number's id.
	PhoneNumberID string
	// AccessToken is the system user's token (Bearer).
	AccessToken string
	// AppSecret signs webhooks (X-Hub-Signature-256).
	AppSecret string
	// VerifyToken answers the webhook subscription handshake.
	VerifyToken string
	// Language of templates (default "pt_BR").
	Language string
	// HTTPClient (default: 15 s timeout).
	HTTPClient *http.Client
}

// Validate reports what is missing.
func (c Config) Validate() error {
	var missing []string
	for name, v := range map[string]string{"APIURL": c.APIURL, "PhoneNumberID": c.PhoneNumberID,
		"AccessToken": c.AccessToken, "AppSecret": c.AppSecret, "VerifyToken": c.VerifyToken} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("whatsapp: %s required", strings.Join(missing, ", "))
	}
	return nil
}

// CloudAPISender implements messaging.Sender on the Cloud API.
type CloudAPISender struct{ cfg Config }

// NewSender validates cfg.
func NewSender(cfg Config) (*CloudAPISender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Language == "" {
		cfg.Language = "pt_BR"
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 15 * time.Second}
	}
	cfg.APIURL = strings.TrimRight(cfg.APIURL, "/")
	return &CloudAPISender{cfg: cfg}, nil
}

// SendRequest is the body of POST /{phone-number-id}/messages.
type SendRequest struct {
	MessagingProduct      string       `json:"messaging_product"`
	RecipientType         string       `json:"recipient_type"`
	To                    string       `json:"to"`
	Type                  string       `json:"type"`
	Text                  *TextBody    `json:"text,omitempty"`
	Template              *TemplateRef `json:"template,omitempty"`
	BizOpaqueCallbackData string       `json:"biz_opaque_callback_data,omitempty"`
}

// TextBody is a session (free-form) text message.
type TextBody struct {
	PreviewURL bool   `json:"preview_url"`
	Body       string `json:"body"`
}

// TemplateRef names an approved template and its parameters.
type TemplateRef struct {
	Name       string      `json:"name"`
	Language   Language    `json:"language"`
	Components []Component `json:"components,omitempty"`
}

// Language of a template.
type Language struct {
	Code string `json:"code"`
}

// Component of a template (type "body").
type Component struct {
	Type       string      `json:"type"`
	Parameters []Parameter `json:"parameters"`
}

// Parameter of a template component (type "text").
type Parameter struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// SendResponse is the answer to a send.
type SendResponse struct {
	MessagingProduct string `json:"messaging_product"`
	Contacts         []struct {
		Input string `json:"input"`
		WaID  string `json:"wa_id"`
	} `json:"contacts"`
	Messages []struct {
		ID string `json:"id"`
	} `json:"messages"`
}

// ErrorResponse is a Graph API error.
type ErrorResponse struct {
	Error struct {
		Message   string `json:"message"`
		Type      string `json:"type"`
		Code      int    `json:"code"`
		FBTraceID string `json:"fbtrace_id"`
	} `json:"error"`
}

// templateText makes a template parameter of text: the Cloud API refuses
// new lines, tabs and more than four spaces in a row in parameters.
func templateText(s string) string {
	s = strings.ReplaceAll(s, "\r", "")
	s = strings.ReplaceAll(s, "\t", " ")
	s = strings.ReplaceAll(s, "\n", " · ")
	for strings.Contains(s, "     ") {
		s = strings.ReplaceAll(s, "     ", " ")
	}
	return s
}

// BuildRequest is the Cloud API request for out: a text message when the
// session window is open, else the template out.Template with the
// rendered text as its one body parameter.
func (s *CloudAPISender) BuildRequest(out appmsg.Outgoing) SendRequest {
	req := SendRequest{MessagingProduct: "whatsapp", RecipientType: "individual", To: strings.TrimPrefix(out.To, "+"),
		BizOpaqueCallbackData: out.CallbackData}
	if out.SessionOpen {
		req.Type, req.Text = "text", &TextBody{PreviewURL: true, Body: out.Text}
		return req
	}
	req.Type = "template"
	req.Template = &TemplateRef{Name: out.Template, Language: Language{Code: s.cfg.Language},
		Components: []Component{{Type: "body", Parameters: []Parameter{{Type: "text", Text: templateText(out.Text)}}}}}
	return req
}

// Send implements messaging.Sender.
func (s *CloudAPISender) Send(ctx context.Context, out appmsg.Outgoing) (appmsg.Receipt, error) {
	body, err := json.Marshal(s.BuildRequest(out))
	if err != nil {
		return appmsg.Receipt{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.APIURL+"/"+s.cfg.PhoneNumberID+"/messages", bytes.NewReader(body))
	if err != nil {
		return appmsg.Receipt{}, err
	}
	req.Header.Set("Authorization", "Bearer "+s.cfg.AccessToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.cfg.HTTPClient.Do(req)
	if err != nil {
		return appmsg.Receipt{}, fmt.Errorf("whatsapp: %w", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode/100 != 2 {
		var e ErrorResponse
		_ = json.Unmarshal(raw, &e)
		err := fmt.Errorf("whatsapp: %s: code %d: %s", resp.Status, e.Error.Code, e.Error.Message)
		// 4xx other than throttling: the request itself is refused.
		if resp.StatusCode/100 == 4 && resp.StatusCode != http.StatusTooManyRequests && e.Error.Code != 130429 && e.Error.Code != 80007 {
			return appmsg.Receipt{}, errors.Join(err, appmsg.ErrPermanent)
		}
		return appmsg.Receipt{}, err
	}
	var ok SendResponse
	if err := json.Unmarshal(raw, &ok); err != nil || len(ok.Messages) == 0 || ok.Messages[0].ID == "" {
		return appmsg.Receipt{}, fmt.Errorf("whatsapp: unexpected answer %q", truncate(string(raw), 200))
	}
	return appmsg.Receipt{Provider: Provider, ProviderID: ok.Messages[0].ID}, nil
}

// Provider names WhatsApp in provider references.
const Provider = "whatsapp"

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
