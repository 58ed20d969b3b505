// Package mailpit is a small client for Mailpit's HTTP API (v1), for tests that
// need to read the e-mail Torque or Ory sent: find the messages to an address,
// read one, pull a one-time code or a link out of it, and clean up.
//
// Mailpit is shared by every test package running against the local stack, so
// prefer the address-scoped calls (MessagesTo, WaitFor, DeleteTo) with a unique
// address per test over DeleteAll, which can pull mail from under another test.
package mailpit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Client talks to one Mailpit instance.
type Client struct {
	baseURL string
	hc      *http.Client
	// PollInterval is how often WaitFor asks again; default 100ms.
	PollInterval time.Duration
}

// New returns a client for Mailpit at baseURL (e.g. "http://127.0.0.1:8025").
// A nil hc means a client with a 10-second timeout.
func New(baseURL string, hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	return &Client{baseURL: strings.TrimRight(baseURL, "/"), hc: hc, PollInterval: 100 * time.Millisecond}
}

// Address is a mailbox with its display name.
type Address struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// Summary is a message as listed (no body).
type Summary struct {
	ID      string    `json:"ID"`
	From    Address   `json:"From"`
	To      []Address `json:"To"`
	Subject string    `json:"Subject"`
	Created time.Time `json:"Created"`
	// Snippet is the start of the text body (up to 250 characters).
	Snippet string `json:"Snippet"`
}

// Message is one message with its bodies.
type Message struct {
	ID      string    `json:"ID"`
	From    Address   `json:"From"`
	To      []Address `json:"To"`
	Subject string    `json:"Subject"`
	Date    time.Time `json:"Date"`
	Text    string    `json:"Text"`
	HTML    string    `json:"HTML"`
}

type listResponse struct {
	Total    int       `json:"total"`
	Messages []Summary `json:"messages"`
}

// Messages lists the newest messages in the mailbox (up to limit; 0 means 50),
// newest first.
func (c *Client) Messages(ctx context.Context, limit int) ([]Summary, error) {
	if limit <= 0 {
		limit = 50
	}
	var out listResponse
	err := c.do(ctx, http.MethodGet, "/api/v1/messages?limit="+strconv.Itoa(limit), &out)
	return out.Messages, err
}

// MessagesTo lists the messages sent to address (To, Cc or Bcc), newest first.
func (c *Client) MessagesTo(ctx context.Context, address string) ([]Summary, error) {
	var out listResponse
	err := c.do(ctx, http.MethodGet, "/api/v1/search?limit=200&query="+url.QueryEscape(toQuery(address)), &out)
	return out.Messages, err
}

// Message returns the message with this id, bodies included.
func (c *Client) Message(ctx context.Context, id string) (Message, error) {
	var m Message
	err := c.do(ctx, http.MethodGet, "/api/v1/message/"+url.PathEscape(id), &m)
	return m, err
}

// WaitFor polls until a message to address for which match returns true (nil
// matches any) has arrived, and returns it in full. It gives up when ctx ends:
// give ctx a deadline.
func (c *Client) WaitFor(ctx context.Context, address string, match func(Summary) bool) (Message, error) {
	tick := time.NewTicker(c.PollInterval)
	defer tick.Stop()
	for {
		list, err := c.MessagesTo(ctx, address)
		if err != nil && ctx.Err() == nil {
			return Message{}, err
		}
		for _, s := range list {
			if match == nil || match(s) {
				return c.Message(ctx, s.ID)
			}
		}
		select {
		case <-ctx.Done():
			return Message{}, fmt.Errorf("mailpit: no matching message to %s: %w", address, ctx.Err())
		case <-tick.C:
		}
	}
}

// SubjectContains is a WaitFor matcher.
func SubjectContains(s string) func(Summary) bool {
	return func(m Summary) bool { return strings.Contains(m.Subject, s) }
}

// DeleteTo deletes every message sent to address.
func (c *Client) DeleteTo(ctx context.Context, address string) error {
	return c.do(ctx, http.MethodDelete, "/api/v1/search?query="+url.QueryEscape(toQuery(address)), nil)
}

// DeleteAll empties the mailbox. See the package comment before using it.
func (c *Client) DeleteAll(ctx context.Context) error {
	return c.do(ctx, http.MethodDelete, "/api/v1/messages", nil)
}

// toQuery builds a Mailpit search for messages to address.
func toQuery(address string) string {
	return `to:"` + strings.ReplaceAll(address, `"`, "") + `"`
}

func (c *Client) do(ctx context.Context, method, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.baseURL+path, nil)
	if err != nil {
		return fmt.Errorf("mailpit: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("mailpit: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return fmt.Errorf("mailpit: %s %s: %w", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("mailpit: %s %s: %s: %s", method, path, resp.Status, strings.TrimSpace(string(body)))
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("mailpit: %s %s: decode: %w", method, path, err)
	}
	return nil
}

// ErrNoMatch is returned by the extractors when the text holds nothing matching.
var ErrNoMatch = errors.New("mailpit: nothing matching in the message")

var sixDigits = regexp.MustCompile(`(?:^|[^0-9])([0-9]{6})(?:[^0-9]|$)`)

// Code returns the first standalone 6-digit number in text: the one-time code of
// Ory's recovery, verification and login e-mails.
func Code(text string) (string, error) {
	// A code on a line of its own wins over digits elsewhere (e.g. in a
	// workshop's name).
	if m := codeLine.FindStringSubmatch(text); m != nil {
		return m[1], nil
	}
	m := sixDigits.FindStringSubmatch(text)
	if m == nil {
		return "", ErrNoMatch
	}
	return m[1], nil
}

var codeLine = regexp.MustCompile(`(?m)^\s*(\d{6})\s*$`)

var httpLink = regexp.MustCompile(`https?://[^\s"'<>]+`)

// Link returns the first http(s) URL in text that starts with prefix ("" matches
// any), with trailing punctuation removed and HTML entities (&amp;) decoded.
func Link(text, prefix string) (string, error) {
	for _, l := range httpLink.FindAllString(text, -1) {
		l = strings.TrimRight(l, ".,;:!?)]")
		l = strings.ReplaceAll(l, "&amp;", "&")
		if strings.HasPrefix(l, prefix) {
			return l, nil
		}
	}
	return "", ErrNoMatch
}
