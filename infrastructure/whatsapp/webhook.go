package whatsapp

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	appmsg "github.com/torquehq/torque/application/messaging"
	"github.com/torquehq/torque/domain/messaging"
)

// ErrBadSignature: the webhook's X-Hub-Signature-256 is missing or wrong.
var ErrBadSignature = errors.New("whatsapp: bad webhook signature")

// Webhook is the JSON a Cloud API webhook POSTs.
type Webhook struct {
	Object string  `json:"object"`
	Entry  []Entry `json:"entry"`
}

// Entry is one business account's changes.
type Entry struct {
	ID      string   `json:"id"`
	Changes []Change `json:"changes"`
}

// Change is one change; Field "messages" carries statuses and messages.
type Change struct {
	Field string `json:"field"`
	Value Value  `json:"value"`
}

// Value is the content of a "messages" change.
type Value struct {
	MessagingProduct string `json:"messaging_product"`
	Metadata         struct {
		DisplayPhoneNumber string `json:"display_phone_number"`
		PhoneNumberID      string `json:"phone_number_id"`
	} `json:"metadata"`
	Statuses []StatusObject  `json:"statuses,omitempty"`
	Messages []InboundObject `json:"messages,omitempty"`
}

// StatusObject is a status of a message we sent.
type StatusObject struct {
	ID                    string        `json:"id"`
	Status                string        `json:"status"`
	Timestamp             string        `json:"timestamp"`
	RecipientID           string        `json:"recipient_id"`
	BizOpaqueCallbackData string        `json:"biz_opaque_callback_data,omitempty"`
	Errors                []ErrorObject `json:"errors,omitempty"`
}

// ErrorObject explains a failed status.
type ErrorObject struct {
	Code    int    `json:"code"`
	Title   string `json:"title"`
	Message string `json:"message,omitempty"`
}

// InboundObject is a message a customer sent.
type InboundObject struct {
	From      string `json:"from"`
	ID        string `json:"id"`
	Timestamp string `json:"timestamp"`
	Type      string `json:"type"`
}

// WebhookVerifier checks and reads the Cloud API webhooks.
type WebhookVerifier struct{ appSecret, verifyToken string }

// NewWebhookVerifier validates the secrets.
func NewWebhookVerifier(appSecret, verifyToken string) (*WebhookVerifier, error) {
	if appSecret == "" || verifyToken == "" {
		return nil, errors.New("whatsapp: AppSecret and VerifyToken are required")
	}
	return &WebhookVerifier{appSecret: appSecret, verifyToken: verifyToken}, nil
}

// VerifySubscription answers the GET handshake: the challenge to echo, or
// false when mode or token are wrong.
func (v *WebhookVerifier) VerifySubscription(mode, token, challenge string) (string, bool) {
	if mode != "subscribe" || subtle.ConstantTimeCompare([]byte(token), []byte(v.verifyToken)) != 1 {
		return "", false
	}
	return challenge, true
}

// Sign returns the X-Hub-Signature-256 of body under secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Parse checks the signature of the raw body and reads its statuses and
// inbound messages. A bad signature is ErrBadSignature; a body that is not
// a Cloud API webhook is another error.
func (v *WebhookVerifier) Parse(body []byte, signature string) ([]appmsg.StatusReport, []appmsg.InboundMessage, error) {
	if !hmac.Equal([]byte(signature), []byte(Sign(v.appSecret, body))) {
		return nil, nil, ErrBadSignature
	}
	return ParsePayload(body)
}

// ParsePayload reads a webhook body (signature already checked). Unknown
// statuses and fields are ignored; the statuses of one delivery are
// returned in the order given, and applying them is order-independent.
func ParsePayload(body []byte) ([]appmsg.StatusReport, []appmsg.InboundMessage, error) {
	var w Webhook
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, nil, errors.New("whatsapp: webhook body is not JSON of the expected shape")
	}
	if w.Object != "whatsapp_business_account" {
		return nil, nil, errors.New("whatsapp: webhook object is not whatsapp_business_account")
	}
	var sts []appmsg.StatusReport
	var in []appmsg.InboundMessage
	for _, e := range w.Entry {
		for _, c := range e.Changes {
			if c.Field != "messages" {
				continue
			}
			for _, s := range c.Value.Statuses {
				st, ok := statusOf(s.Status)
				if !ok || s.ID == "" {
					continue
				}
				r := appmsg.StatusReport{Provider: Provider, ProviderID: s.ID, Status: st, At: unixTime(s.Timestamp)}
				r.Tenant, r.MessageID, _ = appmsg.ParseCallbackData(s.BizOpaqueCallbackData)
				if len(s.Errors) > 0 {
					r.Detail = strconv.Itoa(s.Errors[0].Code) + " " + s.Errors[0].Title
				}
				sts = append(sts, r)
			}
			for _, m := range c.Value.Messages {
				if m.From == "" || !digits(m.From) {
					continue
				}
				in = append(in, appmsg.InboundMessage{From: "+" + m.From, At: unixTime(m.Timestamp)})
			}
		}
	}
	return sts, in, nil
}

func statusOf(s string) (messaging.Status, bool) {
	switch s {
	case "sent":
		return messaging.StatusSent, true
	case "delivered":
		return messaging.StatusDelivered, true
	case "read":
		return messaging.StatusRead, true
	case "failed":
		return messaging.StatusFailed, true
	}
	return messaging.Status{}, false
}

func unixTime(s string) time.Time {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 || n > 1<<40 {
		return time.Now().UTC().Truncate(time.Microsecond)
	}
	return time.Unix(n, 0).UTC()
}

func digits(s string) bool {
	if len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Verify reports whether signature (X-Hub-Signature-256) signs body with
// the app secret.
func (v *WebhookVerifier) Verify(body []byte, signature string) bool {
	return hmac.Equal([]byte(signature), []byte(Sign(v.appSecret, body)))
}

// Payload reads a verified webhook body (ParsePayload).
func (v *WebhookVerifier) Payload(body []byte) ([]appmsg.StatusReport, []appmsg.InboundMessage, error) {
	return ParsePayload(body)
}
