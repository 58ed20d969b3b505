package markdown_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/torquehq/torque/infrastructure/markdown"
)

func TestRenderMarkdown_DangerousInputIsInert(t *testing.T) {
	r := markdown.New()
	cases := map[string]string{
		"script tag":        "Olá <script>alert(1)</script> mundo",
		"javascript link":   "[clique](javascript:alert(1))",
		"javascript upper":  "[clique](JaVaScRiPt:alert(1))",
		"onerror attribute": `<img src="x" onerror="alert(1)">`,
		"img onerror md":    `![x](x" onerror="alert(1))`,
		"raw anchor":        `<a href="javascript:alert(1)" onclick="alert(1)">x</a>`,
		"iframe":            `<iframe src="https://evil.example"></iframe>`,
		"data url link":     "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
		"svg onload":        `<svg onload="alert(1)"></svg>`,
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := r.RenderMarkdown(src)
			if err != nil {
				t.Fatal(err)
			}
			if bad := dangerous(out); bad != "" {
				t.Fatalf("%q rendered %q, which keeps %s", src, out, bad)
			}
		})
	}
}

var (
	// An event-handler attribute inside a tag.
	handlerAttr = regexp.MustCompile(`(?i)<[a-z][^>]*\son[a-z]+\s*=`)
	// A URL attribute with a script or data scheme.
	scriptURL = regexp.MustCompile(`(?i)(href|src|action)\s*=\s*["']?\s*(javascript|vbscript|data):`)
	// Active elements.
	activeTag = regexp.MustCompile(`(?i)<(script|iframe|svg|object|embed|style|form)\b`)
)

// dangerous names what in html could run code ("" : nothing).
func dangerous(html string) string {
	switch {
	case handlerAttr.MatchString(html):
		return "an event-handler attribute"
	case scriptURL.MatchString(html):
		return "a script URL"
	case activeTag.MatchString(html):
		return "an active element"
	}
	return ""
}

func TestRenderMarkdown_KeepsFormatting(t *testing.T) {
	out, err := markdown.New().RenderMarkdown("# Óleo\n\n**negrito** e [site](https://example.com)\n\n- um\n- dois")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<h1", "Óleo", "<strong>negrito</strong>", `href="https://example.com"`, "<li>um</li>", `rel="nofollow`} {
		if !strings.Contains(out, want) {
			t.Fatalf("rendered %q lacks %q", out, want)
		}
	}
}

func FuzzRenderMarkdown(f *testing.F) {
	for _, s := range []string{"<script>x</script>", "[a](javascript:b)", "<img onerror=x>", "# t\n\n*x*"} {
		f.Add(s)
	}
	r := markdown.New()
	f.Fuzz(func(t *testing.T, src string) {
		out, err := r.RenderMarkdown(src)
		if err != nil {
			return
		}
		if bad := dangerous(out); bad != "" {
			t.Fatalf("%q rendered %q, which keeps %s", src, out, bad)
		}
	})
}
