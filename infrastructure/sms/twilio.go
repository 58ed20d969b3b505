// Package sms sends SMS through Twilio's Programmable Messaging REST API:
// POST /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded To,
// From and Body, HTTP basic auth with the account SID and auth token; the
// answer is the Message resource as JSON (its "sid" names it).
package sms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	appmsg "github.com/torquehq/torque/application/messaging"
)

var _ appmsg.Sender = (*TwilioSender)(nil)

// Provider names Twilio in provider references.
const Provider = "twilio"

// Config configures the adapter.
type Config struct {
	// APIURL is the API base (Twilio's, or the local fake's).
	APIURL     string
	AccountSID string
	AuthToken  string
	// From is the sending number (E.164).
	From string
	// StatusCallback is optional: the URL Twilio posts statuses to.
	StatusCallback string
	HTTPClient     *http.Client
}

// Validate reports what is missing.
func (c Config) Validate() error {
	if c.APIURL == "" || c.AccountSID == "" || c.AuthToken == "" || c.From == "" {
		return errors.New("sms: APIURL, AccountSID, AuthToken and From are required")
	}
	return nil
}

// TwilioSender implements messaging.Sender.
type TwilioSender struct{ cfg Config }

// New validates cfg.
func New(cfg Config) (*TwilioSender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 15 * time.Second}
	}
	cfg.APIURL = strings.TrimRight(cfg.APIURL, "/")
	return &TwilioSender{cfg: cfg}, nil
}

// MessageResource is the part of Twilio's Message resource we read.
type MessageResource struct {
	SID    string `json:"sid"`
	Status string `json:"status"`
	To     string `json:"to"`
	From   string `json:"from"`
	Body   string `json:"body"`
}

// ErrorResource is Twilio's error answer.
type ErrorResource struct {
	Code     int    `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
	Status   int    `json:"status"`
}

// Form is the request form of a message.
func (s *TwilioSender) Form(out appmsg.Outgoing) url.Values {
	f := url.Values{"To": {out.To}, "From": {s.cfg.From}, "Body": {out.Text}}
	if s.cfg.StatusCallback != "" {
		f.Set("StatusCallback", s.cfg.StatusCallback)
	}
	return f
}

// Send implements messaging.Sender.
func (s *TwilioSender) Send(ctx context.Context, out appmsg.Outgoing) (appmsg.Receipt, error) {
	u := s.cfg.APIURL + "/2010-04-01/Accounts/" + url.PathEscape(s.cfg.AccountSID) + "/Messages.json"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(s.Form(out).Encode()))
	if err != nil {
		return appmsg.Receipt{}, err
	}
	req.SetBasicAuth(s.cfg.AccountSID, s.cfg.AuthToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := s.cfg.HTTPClient.Do(req)
	if err != nil {
		return appmsg.Receipt{}, fmt.Errorf("sms: %w", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode/100 != 2 {
		var e ErrorResource
		_ = json.Unmarshal(raw, &e)
		err := fmt.Errorf("sms: %s: code %d: %s", resp.Status, e.Code, e.Message)
		if resp.StatusCode/100 == 4 && resp.StatusCode != http.StatusTooManyRequests {
			return appmsg.Receipt{}, errors.Join(err, appmsg.ErrPermanent)
		}
		return appmsg.Receipt{}, err
	}
	var m MessageResource
	if err := json.Unmarshal(raw, &m); err != nil || m.SID == "" {
		return appmsg.Receipt{}, fmt.Errorf("sms: unexpected answer")
	}
	return appmsg.Receipt{Provider: Provider, ProviderID: m.SID}, nil
}
