package web

import (
	"bytes"
	"fmt"
	"github.com/torquehq/torque/interfaces/httperr"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/i18n"
	"github.com/torquehq/torque/application/identity"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/catalog"
)

// view is what every page template receives.
type view struct {
	L     i18n.Locale
	Title string
	// Workshop is set inside /app/{slug}.
	Workshop *workshops.WorkshopView
	Slug     string
	Role     string
	User     string
	Nav      string
	Path     string
	// Errors maps a field name (the API's, e.g. "phones.mobile") to its message.
	Errors map[string]string
	// Alert is a message for the whole form (conflict, permission...).
	Alert string
	Flash string
	// Unverified is set for a staff member whose e-mail address is not
	// verified yet: the back office asks them to verify it.
	Unverified bool
	Form       url.Values
	Data       any
	// PortalNav is the customer portal's navigation (pages_portal.go).
	PortalNav []portalLink
}

// can reports whether the principal may perform an authz action.
func (v view) Can(action string) bool {
	r, err := authz.ParseRole(v.Role)
	return err == nil && authz.Allowed(r, authz.Action(action))
}

// Val returns the submitted value of a field.
func (v view) Val(name string) string { return v.Form.Get(name) }

// Err returns the error message of a field ("" when valid).
func (v view) Err(name string) string { return v.Errors[name] }

type pages struct {
	set map[string]*template.Template
}

func funcs() template.FuncMap {
	return template.FuncMap{
		"t": func(l i18n.Locale, key string, args ...any) string { return tr(l, key, args...) },
		"money": func(cents int64) string {
			m, err := br.NewMoneyCents(cents)
			if err != nil {
				return strconv.FormatInt(cents, 10)
			}
			return m.String()
		},
		"date":     func(t time.Time) string { return t.In(saoPaulo).Format("02/01/2006") },
		"datetime": func(t time.Time) string { return t.In(saoPaulo).Format("02/01/2006 15:04") },
		"doc": func(s string) string {
			if d, err := br.ParseDocument(s); err == nil {
				return d.Formatted()
			}
			return s
		},
		"phone": func(s string) string {
			if p, err := br.ParsePhone(s); err == nil {
				return p.Formatted()
			}
			return s
		},
		"cep": func(s string) string {
			if c, err := br.ParseCEP(s); err == nil {
				return c.Formatted()
			}
			return s
		},
		"status": func(l i18n.Locale, s string) string { return tr(l, "web.status."+s) },
		"role":   func(l i18n.Locale, s string) string { return tr(l, "role."+s) },
		"service": func(code string) string {
			sc, err := catalog.ParseServiceCode(code)
			if err == nil {
				if s, ok := catalog.Default().Lookup(sc); ok {
					return s.Label()
				}
			}
			return code
		},
		"km": func(p *int64) string {
			if p == nil {
				return ""
			}
			return thousands(*p) + " km"
		},
		"add":  func(a, b int) int { return a + b },
		"list": func(items ...string) []string { return items },
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"str":  func(v any) string { return fmt.Sprint(v) },
		"path": func(parts ...string) string { return strings.Join(parts, "") },
	}
}

func parsePages() (*pages, error) {
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	base := template.New("").Funcs(funcs())
	for _, shared := range []string{"templates/layout.html", "templates/partials.html", "templates/portal_layout.html"} {
		if base, err = base.ParseFS(assets, shared); err != nil {
			return nil, err
		}
	}
	p := &pages{set: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" || name == "partials" || name == "portal_layout" {
			continue
		}
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if t, err = t.ParseFS(assets, n); err != nil {
			return nil, fmt.Errorf("template %s: %w", n, err)
		}
		p.set[name] = t
	}
	return p, nil
}

var saoPaulo = func() *time.Location {
	if l, err := time.LoadLocation("America/Sao_Paulo"); err == nil {
		return l
	}
	return time.FixedZone("BRT", -3*3600)
}()

// newView fills the common parts of a page's view.
func (h *Handler) newView(r *http.Request, titleKey string) view {
	l := localeOf(r.Context())
	v := view{L: l, Title: tr(l, titleKey), Path: r.URL.Path, Errors: map[string]string{}, Form: url.Values{}}
	if s, ok := sessionOf(r.Context()); ok {
		v.User = s.Identity.Name
		if v.User == "" {
			v.User = s.Identity.Email
		}
	}
	if ws := workshopOf(r.Context()); ws.Slug != "" {
		v.Workshop = &ws
		v.Slug = ws.Slug
		if s, ok := sessionOf(r.Context()); ok {
			v.Unverified = s.Identity.Schema == identity.SchemaStaff && !s.Identity.Verified
		}
		if p, err := authz.Require(r.Context(), authz.ReadWorkshop); err == nil {
			v.Role = p.Role.String()
		}
	}
	if f := r.URL.Query().Get("ok"); f != "" && messages.Has("web.flash."+f) {
		v.Flash = tr(l, "web.flash."+f)
	}
	return v
}

// render writes page (a template file name) with layout, or only the
// "content" block for htmx requests that ask for a fragment.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, page string, v view) {
	h.renderBlock(w, r, status, page, "layout", v)
}

func (h *Handler) renderBlock(w http.ResponseWriter, r *http.Request, status int, page, block string, v view) {
	t, ok := h.pages.set[page]
	if !ok {
		h.cfg.Log.ErrorContext(r.Context(), "web: no such template", "page", page)
		http.Error(w, "template missing", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, v); err != nil {
		h.cfg.Log.ErrorContext(r.Context(), "web: template failed", "page", page, "err", err)
		http.Error(w, "template error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Language", string(v.L))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, status int, key string) {
	v := h.newView(r, "web.error.title")
	v.Alert = tr(v.L, key)
	httperr.SetRetryAfter(w.Header(), status)
	h.render(w, r, status, "error", v)
}

// thousands formats n pt-BR style: 45000 → "45.000".
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
