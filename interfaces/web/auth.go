package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/requestmeta"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/interfaces/httpapi"
)

type sessionKey struct{}
type workshopKey struct{}

func sessionOf(ctx context.Context) (identity.Session, bool) {
	s, ok := ctx.Value(sessionKey{}).(identity.Session)
	return s, ok
}

func workshopOf(ctx context.Context) workshops.WorkshopView {
	w, _ := ctx.Value(workshopKey{}).(workshops.WorkshopView)
	return w
}

// requireSession sends a visitor without a valid staff session to the login
// page, and refuses cross-site form posts (CSRF).
func (h *Handler) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !h.sameOrigin(r) {
			h.errorPage(w, r, http.StatusForbidden, "web.error.csrf")
			return
		}
		s, err := httpapi.ResolveSession(r, h.cfg.Authn)
		if err != nil {
			if r.Header.Get("HX-Request") != "" {
				w.Header().Set("HX-Redirect", "/login")
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		if s.Identity.Schema != "" && s.Identity.Schema != identity.SchemaStaff {
			h.errorPage(w, r, http.StatusForbidden, "web.error.staff_only")
			return
		}
		ctx := context.WithValue(r.Context(), sessionKey{}, s)
		m := requestmeta.From(ctx)
		m.Actor = "staff:" + s.Identity.ID
		ctx = requestmeta.With(ctx, m)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// workshopScoped is httpapi.WorkshopScoped for pages: {slug} and the
// caller's membership put the request in that tenant with that role; a
// workshop the caller does not belong to is a 404 page.
func (h *Handler) workshopScoped(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		notFound := func() { h.errorPage(w, r, http.StatusNotFound, "web.error.not_found") }
		s, ok := sessionOf(r.Context())
		if !ok {
			notFound()
			return
		}
		ctx, ws, err := httpapi.ScopeToWorkshop(r.Context(), h.cfg.Scopes, chi.URLParam(r, "slug"), s)
		if err != nil {
			notFound()
			return
		}
		ctx = context.WithValue(ctx, workshopKey{}, ws)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// kratosFlows reads Kratos's self-service browser flows server-side,
// forwarding the browser's cookies (the CSRF cookie binds a flow to it).
type kratosFlows struct {
	base string
	hc   *http.Client
}

// flowUI is the part of a Kratos flow a page renders.
type flowUI struct {
	ID string `json:"id"`
	UI struct {
		Action   string        `json:"action"`
		Method   string        `json:"method"`
		Messages []flowMessage `json:"messages"`
		Nodes    []struct {
			Group      string `json:"group"`
			Attributes struct {
				Name  string `json:"name"`
				Type  string `json:"type"`
				Value any    `json:"value"`
			} `json:"attributes"`
			Messages []flowMessage `json:"messages"`
		} `json:"nodes"`
	} `json:"ui"`
	State string `json:"state"`
}

type flowMessage struct {
	ID   int    `json:"id"`
	Type string `json:"type"`
	Text string `json:"text"`
}

var errFlowGone = errors.New("kratos flow expired or unknown")

func (k *kratosFlows) get(ctx context.Context, path string, cookie string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, k.base+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := k.hc.Do(req)
	if err != nil {
		return fmt.Errorf("kratos: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone || resp.StatusCode == http.StatusForbidden:
		return errFlowGone
	case resp.StatusCode == http.StatusUnauthorized:
		return errFlowGone
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("kratos: %s answered %d", strings.SplitN(path, "?", 2)[0], resp.StatusCode)
	}
	return json.Unmarshal(body, out)
}

// flow fetches a self-service flow (kind "login", "recovery", "settings"...).
func (k *kratosFlows) flow(ctx context.Context, kind, id, cookie string) (flowUI, error) {
	var f flowUI
	err := k.get(ctx, "/self-service/"+kind+"/flows?id="+url.QueryEscape(id), cookie, &f)
	return f, err
}

// value returns the value of the flow's input called name.
func (f flowUI) value(name string) string {
	for _, n := range f.UI.Nodes {
		if n.Attributes.Name == name {
			if s, ok := n.Attributes.Value.(string); ok {
				return s
			}
		}
	}
	return ""
}

// hasInput reports whether the flow asks the person to type name (hidden
// inputs and buttons, such as "resend the code", do not count).
func (f flowUI) hasInput(name string) bool {
	for _, n := range f.UI.Nodes {
		if n.Attributes.Name != name {
			continue
		}
		switch n.Attributes.Type {
		case "text", "email", "password", "number", "tel":
			return true
		}
	}
	return false
}

// messages lists every message of the flow and its nodes.
func (f flowUI) messages() []flowMessage {
	out := append([]flowMessage(nil), f.UI.Messages...)
	for _, n := range f.UI.Nodes {
		out = append(out, n.Messages...)
	}
	return out
}
