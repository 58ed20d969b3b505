package openapi

import (
	"bytes"
	"errors"
	"html/template"
	"path"
	"regexp"
	"slices"
	"strings"
)

// The reference page at /api/docs: rendered once from the document, with
// every text escaped before it is placed in markup.

type docsView struct {
	Title, Version, Summary string
	Description             template.HTML
	Servers                 []string
	SpecURL, CSSURL, JSURL  string
	Schemes                 []docsScheme
	Tags                    []*docsTag
	Responses               []docsSchema
	Schemas                 []docsSchema
	OpCount                 int
}

type docsScheme struct {
	Name, Kind  string
	Description template.HTML
}

type docsTag struct {
	Name, Anchor string
	Description  template.HTML
	Ops          []docsOp
}

type docsOp struct {
	ID, Method, Path, Summary string
	Description               template.HTML
	Public                    bool
	Roles                     []string
	Params                    []docsParam
	Body                      *docsBody
	Responses                 []docsResponse
}

type docsParam struct {
	Name, In, Example string
	Type              template.HTML
	Required          bool
	Description       template.HTML
}

type docsBody struct {
	Required     bool
	ContentTypes []string
	Description  template.HTML
	Type         template.HTML
	Fields       []docsField
	Examples     []docsExample
}

type docsResponse struct {
	Status      string
	Description template.HTML
	Shared      string // anchor of a shared response, whose details live in its own section
	SharedName  string
	Headers     []docsParam
	Media       []docsMedia
}

type docsMedia struct {
	ContentType string
	Type        template.HTML
	Examples    []docsExample
}

type docsExample struct {
	Name, Body string
}

type docsField struct {
	Name        string
	Depth       int
	Type        template.HTML
	Required    bool
	Description template.HTML
	Constraints string
}

type docsSchema struct {
	Name, Anchor string
	Constraints  string
	Description  template.HTML
	Type         template.HTML
	Fields       []docsField
	Media        []docsMedia
	Headers      []docsParam
}

var docsMethods = []string{"get", "post", "put", "patch", "delete"}

// commonHeaders travel with every request and response; the overview
// explains them once instead of every operation listing them.
var commonHeaders = map[string]bool{"X-Request-Id": true, "X-Correlation-Id": true}

type docsRenderer struct{ doc *jnode }

func renderDocs(doc *jnode) ([]byte, error) {
	d := docsRenderer{doc}
	v := docsView{
		Title: doc.str("info", "title"), Version: doc.str("info", "version"), Summary: doc.str("info", "summary"),
		Description: mdHTML(doc.str("info", "description")),
		SpecURL:     "/api/v1/openapi.json", CSSURL: docsAssetPrefix + "docs.css", JSURL: docsAssetPrefix + "docs.js",
	}
	if s := doc.get("servers"); s != nil {
		for _, srv := range s.arr {
			v.Servers = append(v.Servers, srv.str("url"))
		}
	}
	if ss := doc.get("components", "securitySchemes"); ss != nil {
		for _, name := range ss.keys {
			s := ss.obj[name]
			kind := s.str("type")
			switch kind {
			case "http":
				kind = "HTTP " + s.str("scheme")
			case "apiKey":
				kind = s.str("in") + " " + s.str("name")
			}
			v.Schemes = append(v.Schemes, docsScheme{Name: name, Kind: kind, Description: mdHTML(s.str("description"))})
		}
	}
	byTag := map[string]*docsTag{}
	addTag := func(name, desc string) *docsTag {
		t := &docsTag{Name: name, Anchor: "tag-" + anchorSlug(name), Description: mdHTML(desc)}
		byTag[name] = t
		v.Tags = append(v.Tags, t)
		return t
	}
	if tags := doc.get("tags"); tags != nil {
		for _, t := range tags.arr {
			addTag(t.str("name"), t.str("description"))
		}
	}
	paths := doc.get("paths")
	if paths == nil {
		return nil, errors.New("the document has no paths")
	}
	for _, p := range paths.keys {
		item := paths.obj[p]
		for _, m := range docsMethods {
			o := item.get(m)
			if o == nil {
				continue
			}
			op := d.operation(p, m, item, o)
			tag := "Other"
			if ts := o.strs("tags"); len(ts) > 0 {
				tag = ts[0]
			}
			t := byTag[tag]
			if t == nil {
				t = addTag(tag, "")
			}
			t.Ops = append(t.Ops, op)
			v.OpCount++
		}
	}
	v.Tags = slices.DeleteFunc(v.Tags, func(t *docsTag) bool { return len(t.Ops) == 0 })
	if rs := doc.get("components", "responses"); rs != nil {
		for _, name := range rs.keys {
			r := rs.obj[name]
			v.Responses = append(v.Responses, docsSchema{Name: name, Anchor: "response-" + name,
				Description: mdHTML(r.str("description")), Media: d.media(r.get("content")), Headers: d.headers(r)})
		}
	}
	if ss := doc.get("components", "schemas"); ss != nil {
		names := slices.Clone(ss.keys)
		slices.Sort(names)
		for _, name := range names {
			s := ss.obj[name]
			v.Schemas = append(v.Schemas, docsSchema{Name: name, Anchor: "schema-" + name,
				Description: mdHTML(s.str("description")), Type: d.typeLabel(s), Constraints: d.constraints(s),
				Fields: d.fields(s, "", 0, 0), Media: d.schemaExamples(s)})
		}
	}
	var buf bytes.Buffer
	if err := docsTemplate.Execute(&buf, v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (d docsRenderer) operation(p, method string, item, o *jnode) docsOp {
	op := docsOp{ID: o.str("operationId"), Method: strings.ToUpper(method), Path: p, Summary: o.str("summary"),
		Description: mdHTML(o.str("description")), Roles: o.strs("x-torque-roles")}
	if sec := o.get("security"); sec != nil && len(sec.arr) == 0 {
		op.Public = true
	}
	for _, list := range []*jnode{item.get("parameters"), o.get("parameters")} {
		if list == nil {
			continue
		}
		for _, pr := range list.arr {
			if p := d.param(d.resolve(pr)); !commonHeaders[p.Name] {
				op.Params = append(op.Params, p)
			}
		}
	}
	if rb := o.get("requestBody"); rb != nil {
		rb = d.resolve(rb)
		b := &docsBody{Required: rb.str("required") == "true", Description: mdHTML(rb.str("description"))}
		if c := rb.get("content"); c != nil {
			b.ContentTypes = c.keys
			for _, ct := range c.keys {
				m := c.obj[ct]
				if b.Type == "" && m.has("schema") {
					b.Type = d.typeLabel(m.get("schema"))
					b.Fields = d.fields(m.get("schema"), "", 0, 0)
				}
				b.Examples = append(b.Examples, d.examples(m)...)
			}
		}
		op.Body = b
	}
	if rs := o.get("responses"); rs != nil {
		for _, code := range rs.keys {
			r := rs.obj[code]
			resp := docsResponse{Status: code}
			if ref := r.str("$ref"); ref != "" {
				name := path.Base(ref)
				resp.Shared, resp.SharedName = "response-"+name, name
				r = d.resolve(r)
				resp.Description = mdHTML(r.str("description"))
			} else {
				resp.Description = mdHTML(r.str("description"))
				resp.Headers = d.headers(r)
				resp.Media = d.media(r.get("content"))
			}
			op.Responses = append(op.Responses, resp)
		}
	}
	return op
}

func (d docsRenderer) param(p *jnode) docsParam {
	out := docsParam{Name: p.str("name"), In: p.str("in"), Required: p.str("required") == "true",
		Description: mdHTML(p.str("description"))}
	if s := p.get("schema"); s != nil {
		out.Type = d.typeLabel(s)
		if c := d.constraints(d.resolve(s)); c != "" {
			out.Description += template.HTML(` <span class="constraints">` + template.HTMLEscapeString(c) + `</span>`)
		}
	}
	if ex := p.get("example"); ex != nil {
		out.Example = ex.scalarText()
	} else if exs := p.get("examples"); exs != nil && len(exs.keys) > 0 {
		var vals []string
		for _, k := range exs.keys {
			vals = append(vals, d.resolve(exs.obj[k]).get("value").scalarText())
		}
		out.Example = strings.Join(vals, " · ")
	}
	return out
}

func (d docsRenderer) headers(r *jnode) []docsParam {
	hs := r.get("headers")
	if hs == nil {
		return nil
	}
	var out []docsParam
	for _, name := range hs.keys {
		if commonHeaders[name] {
			continue
		}
		h := d.resolve(hs.obj[name])
		p := docsParam{Name: name, In: "header", Description: mdHTML(h.str("description"))}
		if s := h.get("schema"); s != nil {
			p.Type = d.typeLabel(s)
		}
		if ex := h.get("example"); ex != nil {
			p.Example = ex.scalarText()
		}
		out = append(out, p)
	}
	return out
}

func (d docsRenderer) media(content *jnode) []docsMedia {
	if content == nil {
		return nil
	}
	var out []docsMedia
	for _, ct := range content.keys {
		m := content.obj[ct]
		dm := docsMedia{ContentType: ct, Examples: d.examples(m)}
		if s := m.get("schema"); s != nil {
			dm.Type = d.typeLabel(s)
		}
		out = append(out, dm)
	}
	return out
}

func (d docsRenderer) schemaExamples(s *jnode) []docsMedia {
	ex := s.get("examples")
	if ex == nil || ex.kind != jArray || len(ex.arr) == 0 {
		return nil
	}
	var m docsMedia
	for _, e := range ex.arr {
		m.Examples = append(m.Examples, docsExample{Body: e.pretty()})
	}
	return []docsMedia{m}
}

func (d docsRenderer) examples(m *jnode) []docsExample {
	var out []docsExample
	if ex := m.get("example"); ex != nil {
		out = append(out, docsExample{Body: ex.pretty()})
	}
	if exs := m.get("examples"); exs != nil {
		for _, k := range exs.keys {
			e := d.resolve(exs.obj[k])
			name := k
			if s := e.str("summary"); s != "" {
				name = s
			}
			if v := e.get("value"); v != nil {
				out = append(out, docsExample{Name: name, Body: v.pretty()})
			}
		}
	}
	return out
}

// resolve follows local $refs ("#/components/...").
func (d docsRenderer) resolve(n *jnode) *jnode {
	for i := 0; i < 16 && n != nil; i++ {
		ref := n.str("$ref")
		if !strings.HasPrefix(ref, "#/") {
			return n
		}
		target := d.doc
		for _, part := range strings.Split(ref[2:], "/") {
			part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
			target = target.get(part)
		}
		if target == nil {
			return n
		}
		n = target
	}
	return n
}

func schemaLink(ref string) template.HTML {
	name := path.Base(ref)
	if strings.Contains(ref, "/schemas/") {
		return template.HTML(`<a href="#schema-` + template.HTMLEscapeString(name) + `">` + template.HTMLEscapeString(name) + `</a>`)
	}
	return template.HTML(template.HTMLEscapeString(name))
}

// typeLabel is a short type description with links to named schemas.
func (d docsRenderer) typeLabel(s *jnode) template.HTML {
	if s == nil {
		return ""
	}
	if ref := s.str("$ref"); ref != "" {
		return schemaLink(ref)
	}
	for _, k := range []string{"anyOf", "oneOf"} {
		if alts := s.get(k); alts != nil {
			var parts []string
			for _, a := range alts.arr {
				label := string(d.typeLabel(a))
				if a.has("enum") && !a.has("$ref") {
					label += " (enum)"
				}
				parts = append(parts, label)
			}
			return template.HTML(strings.Join(parts, " | "))
		}
	}
	if all := s.get("allOf"); all != nil {
		var parts []string
		for _, a := range all.arr {
			parts = append(parts, string(d.typeLabel(a)))
		}
		return template.HTML(strings.Join(parts, " + "))
	}
	types := s.strs("type")
	if len(types) == 0 {
		if s.has("const") {
			return template.HTML(template.HTMLEscapeString(s.get("const").pretty()))
		}
		return "any"
	}
	parts := make([]string, 0, len(types))
	for _, t := range types {
		switch t {
		case "array":
			parts = append(parts, "array of "+string(d.typeLabel(s.get("items"))))
		case "object":
			if ap := s.get("additionalProperties"); ap != nil && ap.kind == jObject {
				parts = append(parts, "map of "+string(d.typeLabel(ap)))
			} else {
				parts = append(parts, "object")
			}
		default:
			label := template.HTMLEscapeString(t)
			if f := s.str("format"); f != "" {
				label += " (" + template.HTMLEscapeString(f) + ")"
			}
			parts = append(parts, label)
		}
	}
	return template.HTML(strings.Join(parts, " | "))
}

func (d docsRenderer) constraints(s *jnode) string {
	var c []string
	for _, k := range []string{"anyOf", "oneOf"} {
		alts := s.get(k)
		if alts == nil {
			continue
		}
		for _, a := range alts.arr {
			if a.has("$ref") {
				continue
			}
			if ac := d.constraints(a); ac != "" {
				if t := a.str("title"); t != "" {
					ac = t + ": " + ac
				}
				c = append(c, ac)
			}
		}
	}
	if e := s.get("enum"); e != nil {
		vals := make([]string, 0, len(e.arr))
		for _, v := range e.arr {
			vals = append(vals, v.scalarText())
		}
		c = append(c, "one of: "+strings.Join(vals, ", "))
	}
	if k := s.get("const"); k != nil {
		c = append(c, "always "+k.scalarText())
	}
	for _, kv := range [][2]string{{"minimum", "min "}, {"maximum", "max "}, {"minLength", "min length "},
		{"maxLength", "max length "}, {"maxItems", "max items "}, {"pattern", "pattern "}, {"default", "default "}} {
		if v := s.get(kv[0]); v != nil {
			c = append(c, kv[1]+v.scalarText())
		}
	}
	if ap := s.get("additionalProperties"); ap != nil && ap.kind == jScalar && ap.val == false {
		c = append(c, "no other fields")
	}
	return strings.Join(c, "; ")
}

// fields flattens a schema's properties: inline objects and arrays of inline
// objects are expanded with dotted names; named schemas are links.
func (d docsRenderer) fields(s *jnode, prefix string, depth, guard int) []docsField {
	if s == nil || guard > 8 {
		return nil
	}
	s = d.resolve(s)
	var out []docsField
	if all := s.get("allOf"); all != nil {
		for _, part := range all.arr {
			out = append(out, d.fields(part, prefix, depth, guard+1)...)
		}
	}
	props := s.get("properties")
	if props == nil {
		return out
	}
	required := map[string]bool{}
	for _, r := range s.strs("required") {
		required[r] = true
	}
	for _, name := range props.keys {
		p := props.obj[name]
		limits := p
		if rp := d.resolve(p); p.has("$ref") && (rp.has("enum") || rp.has("anyOf")) {
			limits = rp // a named enum (Role, Plan…): list its values here too
		}
		f := docsField{Name: prefix + name, Depth: depth, Type: d.typeLabel(p), Required: required[name],
			Description: mdHTML(p.str("description")), Constraints: d.constraints(limits)}
		out = append(out, f)
		if p.has("$ref") {
			continue
		}
		if p.has("properties") {
			out = append(out, d.fields(p, prefix+name+".", depth+1, guard+1)...)
		} else if items := p.get("items"); items != nil && items.has("properties") {
			out = append(out, d.fields(items, prefix+name+"[].", depth+1, guard+1)...)
		}
	}
	return out
}

var nonAnchor = regexp.MustCompile(`[^a-z0-9]+`)

func anchorSlug(s string) string {
	return strings.Trim(nonAnchor.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

var codeSpan = regexp.MustCompile("`([^`]+)`")

// mdHTML renders the small Markdown subset the document uses: paragraphs,
// "- " lists and `code` spans. Everything is escaped first.
func mdHTML(s string) template.HTML {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	inline := func(t string) string {
		return codeSpan.ReplaceAllString(template.HTMLEscapeString(t), "<code>$1</code>")
	}
	var b strings.Builder
	for _, block := range strings.Split(s, "\n\n") {
		lines := strings.Split(strings.TrimSpace(block), "\n")
		var para []string
		inList := false
		flush := func() {
			if len(para) > 0 {
				b.WriteString("<p>" + inline(strings.Join(para, " ")) + "</p>")
				para = nil
			}
		}
		for _, l := range lines {
			if item, ok := strings.CutPrefix(strings.TrimSpace(l), "- "); ok {
				flush()
				if !inList {
					b.WriteString("<ul>")
					inList = true
				}
				b.WriteString("<li>" + inline(item) + "</li>")
				continue
			}
			if inList {
				b.WriteString("</ul>")
				inList = false
			}
			para = append(para, l)
		}
		if inList {
			b.WriteString("</ul>")
		}
		flush()
	}
	return template.HTML(b.String())
}

var docsTemplate = template.Must(template.New("docs").Funcs(template.FuncMap{
	"lower": strings.ToLower,
}).Parse(docsHTML))
