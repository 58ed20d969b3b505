package ory

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/domain/errs"
)

// KratosBrowserFlows implements identity.BrowserFlows on Kratos's public
// self-service API. It reads flows with plain JSON rather than client-go's
// generated UI-node union types: a page needs only names, types, values and
// messages, and that subset has been stable across Kratos releases.
type KratosBrowserFlows struct {
	base string
	hc   *http.Client
}

var _ identity.BrowserFlows = (*KratosBrowserFlows)(nil)

// NewBrowserFlows reads flows from Kratos's public URL; hc nil means a client
// with a 10 s timeout.
func NewBrowserFlows(publicURL string, hc *http.Client) *KratosBrowserFlows {
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	return &KratosBrowserFlows{base: strings.TrimRight(publicURL, "/"), hc: hc}
}

// PublicURL implements identity.BrowserFlows.
func (k *KratosBrowserFlows) PublicURL() string { return k.base }

// StartURL implements identity.BrowserFlows.
func (k *KratosBrowserFlows) StartURL(kind string) string {
	return k.base + "/self-service/" + kind + "/browser"
}

// Flow implements identity.BrowserFlows.
func (k *KratosBrowserFlows) Flow(ctx context.Context, kind, id, cookieHeader string) (identity.Flow, error) {
	var f kratosFlow
	if err := k.get(ctx, "/self-service/"+kind+"/flows?id="+url.QueryEscape(id), cookieHeader, &f); err != nil {
		return identity.Flow{}, err
	}
	return f.toFlow(), nil
}

// LogoutURL implements identity.BrowserFlows.
func (k *KratosBrowserFlows) LogoutURL(ctx context.Context, cookieHeader string) (string, error) {
	var out struct {
		LogoutURL string `json:"logout_url"`
	}
	if err := k.get(ctx, "/self-service/logout/browser", cookieHeader, &out); err != nil {
		return "", err
	}
	if out.LogoutURL == "" {
		return "", identity.ErrFlowGone
	}
	return out.LogoutURL, nil
}

// kratosFlow is the JSON of a self-service flow, as far as pages need it.
type kratosFlow struct {
	ID string `json:"id"`
	UI struct {
		Action   string          `json:"action"`
		Method   string          `json:"method"`
		Messages []kratosMessage `json:"messages"`
		Nodes    []struct {
			Group      string `json:"group"`
			Attributes struct {
				Name  string `json:"name"`
				Type  string `json:"type"`
				Value any    `json:"value"`
				ID    string `json:"id"`
				Src   string `json:"src"`
				Text  struct {
					Text string `json:"text"`
				} `json:"text"`
			} `json:"attributes"`
			Messages []kratosMessage `json:"messages"`
		} `json:"nodes"`
	} `json:"ui"`
	State        string `json:"state"`
	Refresh      bool   `json:"refresh"`
	RequestedAAL string `json:"requested_aal"`
	ReturnTo     string `json:"return_to"`
}

type kratosMessage struct {
	ID   int64  `json:"id"`
	Type string `json:"type"`
	Text string `json:"text"`
}

func (f kratosFlow) toFlow() identity.Flow {
	out := identity.Flow{ID: f.ID, State: f.State, Action: f.UI.Action, Method: f.UI.Method,
		Messages: messages(f.UI.Messages), Refresh: f.Refresh, RequestedAAL: f.RequestedAAL, ReturnTo: f.ReturnTo}
	for _, n := range f.UI.Nodes {
		value, _ := n.Attributes.Value.(string) // booleans and numbers are never read back
		out.Inputs = append(out.Inputs, identity.FlowInput{Group: n.Group, Name: n.Attributes.Name,
			Type: n.Attributes.Type, Value: value, Messages: messages(n.Messages),
			ID: n.Attributes.ID, Src: n.Attributes.Src, Text: n.Attributes.Text.Text})
	}
	return out
}

func messages(in []kratosMessage) []identity.FlowMessage {
	out := make([]identity.FlowMessage, 0, len(in))
	for _, m := range in {
		out = append(out, identity.FlowMessage{ID: m.ID, Type: m.Type, Text: m.Text})
	}
	return out
}

func (k *KratosBrowserFlows) get(ctx context.Context, path, cookieHeader string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, k.base+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if cookieHeader != "" {
		req.Header.Set("Cookie", cookieHeader)
	}
	resp, err := k.hc.Do(req)
	if err != nil {
		return fmt.Errorf("ory: browser flow: %w: %w", errs.ErrUnavailable, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("ory: browser flow: %w", err)
	}
	switch resp.StatusCode {
	case http.StatusOK:
		return json.Unmarshal(body, out)
	case http.StatusNotFound, http.StatusGone, http.StatusForbidden, http.StatusUnauthorized:
		return identity.ErrFlowGone
	default:
		if resp.StatusCode >= 500 {
			return fmt.Errorf("ory: %s answered %d: %w", strings.SplitN(path, "?", 2)[0], resp.StatusCode, errs.ErrUnavailable)
		}
		return fmt.Errorf("ory: %s answered %d", strings.SplitN(path, "?", 2)[0], resp.StatusCode)
	}
}
