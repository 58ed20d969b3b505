// Package whatsapp is a local fake of Meta's WhatsApp Business Cloud API for
// tests and the local stack: it accepts POST /{version}/{phone-number-id}/messages
// in the Cloud API's JSON, answers like the Cloud API, keeps every message
// for a list page (GET /) and JSON (GET /fake/messages), and, when given a
// webhook URL and app secret, reports each message "sent" then "delivered"
// with a signed webhook as the Cloud API does.
package whatsapp

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Message is one message the fake accepted.
type Message struct {
	ID           string    `json:"id"`
	PhoneNumber  string    `json:"phone_number_id"`
	To           string    `json:"to"`
	Type         string    `json:"type"`
	Text         string    `json:"text"`
	Template     string    `json:"template,omitempty"`
	CallbackData string    `json:"biz_opaque_callback_data,omitempty"`
	At           time.Time `json:"at"`
}

// Fake is the fake server's state; it is an http.Handler.
type Fake struct {
	// AccessToken expected as Bearer ("" accepts any).
	AccessToken string
	// WebhookURL and AppSecret, when set, receive signed status webhooks.
	WebhookURL, AppSecret string
	// FailNext makes the next n sends answer 500.
	FailNext int
	Client   *http.Client

	mu   sync.Mutex
	msgs []Message
	seq  int
}

// New returns a fake.
func New() *Fake { return &Fake{Client: &http.Client{Timeout: 5 * time.Second}} }

// Messages returns what the fake accepted, oldest first.
func (f *Fake) Messages() []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Message{}, f.msgs...)
}

type sendBody struct {
	MessagingProduct string `json:"messaging_product"`
	RecipientType    string `json:"recipient_type"`
	To               string `json:"to"`
	Type             string `json:"type"`
	Text             *struct {
		Body string `json:"body"`
	} `json:"text"`
	Template *struct {
		Name     string `json:"name"`
		Language struct {
			Code string `json:"code"`
		} `json:"language"`
		Components []struct {
			Type       string `json:"type"`
			Parameters []struct {
				Type string `json:"type"`
				Text string `json:"text"`
			} `json:"parameters"`
		} `json:"components"`
	} `json:"template"`
	BizOpaqueCallbackData string `json:"biz_opaque_callback_data"`
}

func graphError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": msg, "type": "OAuthException", "code": code, "fbtrace_id": "fake"}})
}

// ServeHTTP implements http.Handler.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/":
		f.page(w)
	case r.Method == http.MethodGet && r.URL.Path == "/fake/messages":
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(f.Messages())
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/messages"):
		f.send(w, r)
	default:
		graphError(w, http.StatusNotFound, 100, "Unknown path components")
	}
}

func (f *Fake) send(w http.ResponseWriter, r *http.Request) {
	if f.AccessToken != "" && r.Header.Get("Authorization") != "Bearer "+f.AccessToken {
		graphError(w, http.StatusUnauthorized, 190, "Invalid OAuth access token")
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	phoneID := parts[len(parts)-2]
	var b sendBody
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&b); err != nil {
		graphError(w, http.StatusBadRequest, 100, "Invalid JSON")
		return
	}
	m := Message{PhoneNumber: phoneID, To: b.To, Type: b.Type, CallbackData: b.BizOpaqueCallbackData, At: time.Now().UTC()}
	switch {
	case b.MessagingProduct != "whatsapp":
		graphError(w, http.StatusBadRequest, 100, "messaging_product must be whatsapp")
		return
	case b.To == "" || strings.TrimLeft(b.To, "+0123456789") != "":
		graphError(w, http.StatusBadRequest, 131009, "Parameter value is not valid: to")
		return
	case b.Type == "text" && b.Text != nil && b.Text.Body != "":
		m.Text = b.Text.Body
	case b.Type == "template" && b.Template != nil && b.Template.Name != "" && b.Template.Language.Code != "":
		m.Template = b.Template.Name
		for _, c := range b.Template.Components {
			for _, p := range c.Parameters {
				if strings.ContainsAny(p.Text, "\n\t") {
					graphError(w, http.StatusBadRequest, 132018, "Param text cannot have new-line/tab characters")
					return
				}
				m.Text += p.Text
			}
		}
	default:
		graphError(w, http.StatusBadRequest, 100, "Invalid parameter: type, text or template")
		return
	}
	f.mu.Lock()
	if f.FailNext > 0 {
		f.FailNext--
		f.mu.Unlock()
		graphError(w, http.StatusInternalServerError, 1, "An unknown error occurred")
		return
	}
	f.seq++
	m.ID = "wamid.FAKE" + strconv.Itoa(f.seq)
	f.msgs = append(f.msgs, m)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"messaging_product": "whatsapp",
		"contacts": []map[string]string{{"input": b.To, "wa_id": strings.TrimPrefix(b.To, "+")}},
		"messages": []map[string]string{{"id": m.ID}}})
	if f.WebhookURL != "" && f.AppSecret != "" {
		go f.report(m, "sent", "delivered")
	}
}

// StatusWebhook builds a Cloud API status webhook body for message m.
func StatusWebhook(phoneID, messageID, recipient, callback, status string, at time.Time) []byte {
	st := map[string]any{"id": messageID, "status": status, "timestamp": strconv.FormatInt(at.Unix(), 10),
		"recipient_id": strings.TrimPrefix(recipient, "+")}
	if callback != "" {
		st["biz_opaque_callback_data"] = callback
	}
	body, _ := json.Marshal(map[string]any{"object": "whatsapp_business_account", "entry": []any{map[string]any{
		"id": "WABA-FAKE", "changes": []any{map[string]any{"field": "messages", "value": map[string]any{
			"messaging_product": "whatsapp",
			"metadata":          map[string]string{"display_phone_number": "5511000000000", "phone_number_id": phoneID},
			"statuses":          []any{st}}}}}}})
	return body
}

// Sign is the X-Hub-Signature-256 header of body.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func (f *Fake) report(m Message, statuses ...string) {
	for _, st := range statuses {
		body := StatusWebhook(m.PhoneNumber, m.ID, m.To, m.CallbackData, st, time.Now())
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, f.WebhookURL, bytes.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Hub-Signature-256", Sign(f.AppSecret, body))
		resp, err := f.Client.Do(req)
		if err != nil {
			return
		}
		_ = resp.Body.Close()
	}
}

var pageTmpl = template.Must(template.New("p").Parse(`<!doctype html><html lang="pt-BR"><head><meta charset="utf-8">
<title>WhatsApp (fake)</title><style>body{font-family:sans-serif;margin:2em}td,th{border-bottom:1px solid #ddd;padding:.4em;text-align:left;vertical-align:top}</style></head>
<body><h1>WhatsApp Cloud API — mensagens recebidas pelo fake</h1><table><tr><th>quando</th><th>para</th><th>tipo</th><th>texto</th><th>id</th></tr>
{{range .}}<tr><td>{{.At.Format "2006-01-02 15:04:05"}}</td><td>{{.To}}</td><td>{{.Type}} {{.Template}}</td><td style="white-space:pre-wrap">{{.Text}}</td><td>{{.ID}}</td></tr>{{end}}
</table></body></html>`))

func (f *Fake) page(w http.ResponseWriter) {
	msgs := f.Messages()
	for i, j := 0, len(msgs)-1; i < j; i, j = i+1, j-1 {
		msgs[i], msgs[j] = msgs[j], msgs[i]
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := pageTmpl.Execute(w, msgs); err != nil {
		fmt.Fprint(w, err)
	}
}
