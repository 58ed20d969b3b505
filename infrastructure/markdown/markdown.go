// Package markdown renders the help centre's Markdown (goldmark, CommonMark
// plus tables and autolinks) and sanitises the HTML (bluemonday's UGC
// policy): raw HTML, scripts, event-handler attributes and javascript:
// links come out inert.
package markdown

import (
	"bytes"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/torquehq/torque/application/support"
)

var _ support.Renderer = (*Renderer)(nil)

// Renderer implements support.Renderer; it is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// New returns the renderer.
func New() *Renderer {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.AllowURLSchemes("http", "https", "mailto", "tel")
	return &Renderer{
		// goldmark escapes raw HTML by default (no html.WithUnsafe); the
		// sanitiser is the second wall.
		md:     goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify)),
		policy: p,
	}
}

// RenderMarkdown implements support.Renderer.
func (r *Renderer) RenderMarkdown(src string) (string, error) {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return "", err
	}
	return r.policy.Sanitize(buf.String()), nil
}
