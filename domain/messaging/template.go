package messaging

import (
	"strings"
	"unicode/utf8"

	"github.com/torquehq/torque/domain/errs"
)

// Placeholders are the names a template may use as {{name}}. Each is filled
// at send time from the customer, the workshop, the order or the campaign.
var Placeholders = []string{
	"customer_name", "workshop_name", "workshop_phone", "order_number", "vehicle", "status",
	"note", "feedback_link", "unsubscribe_link", "service", "due_date",
	"quote_link", "total", "valid_until",
}

// MaxTemplateBody bounds a template body (characters).
const (
	MaxTemplateBody    = 4000
	MaxTemplateSubject = 200
)

func knownPlaceholder(name string) bool {
	for _, p := range Placeholders {
		if p == name {
			return true
		}
	}
	return false
}

// Segment is a piece of a parsed template: literal text, or a placeholder
// name when Placeholder is true.
type Segment struct {
	Text        string
	Placeholder bool
}

// ParseTemplate splits text into literal text and {{name}} placeholders
// (spaces inside the braces are allowed: {{ name }}). An unclosed "{{" or a
// name that is not in Placeholders is an error on field naming it.
func ParseTemplate(field, text string) ([]Segment, error) {
	if !utf8.ValidString(text) {
		return nil, errs.Invalid(field, CodeInvalidFormat, field+" must be UTF-8 text")
	}
	var out []Segment
	rest := text
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			if rest != "" {
				out = append(out, Segment{Text: rest})
			}
			return out, nil
		}
		if i > 0 {
			out = append(out, Segment{Text: rest[:i]})
		}
		j := strings.Index(rest[i+2:], "}}")
		if j < 0 {
			return nil, errs.Invalid(field, CodeInvalidFormat, field+" has a \"{{\" without \"}}\"")
		}
		name := strings.TrimSpace(rest[i+2 : i+2+j])
		if !knownPlaceholder(name) {
			shown := name
			if utf8.RuneCountInString(shown) > 40 {
				shown = string([]rune(shown)[:40]) + "…"
			}
			return nil, errs.Invalid(field, CodeUnknownPlaceholder, field+": unknown placeholder {{"+shown+"}}; known: "+strings.Join(Placeholders, ", "))
		}
		out = append(out, Segment{Text: name, Placeholder: true})
		rest = rest[i+2+j+2:]
	}
}

// Template is a workshop's text for one kind and channel.
type Template struct {
	Kind    Kind
	Channel Channel
	Subject string // e-mail only
	Body    string
}

// NewTemplate validates a template: known placeholders, bounded lengths, a
// body; every bad field is reported.
func NewTemplate(kind Kind, channel Channel, subject, body string) (Template, error) {
	var col errs.Collector
	subject, body = strings.TrimSpace(subject), strings.TrimSpace(body)
	if _, err := ParseTemplate("subject", subject); err != nil {
		addErr(&col, err)
	} else if utf8.RuneCountInString(subject) > MaxTemplateSubject {
		col.Add("subject", CodeTooLong, "subject must have at most 200 characters")
	}
	if body == "" {
		col.Add("body", CodeRequired, "body is required")
	} else if _, err := ParseTemplate("body", body); err != nil {
		addErr(&col, err)
	} else if utf8.RuneCountInString(body) > MaxTemplateBody {
		col.Add("body", CodeTooLong, "body must have at most 4000 characters")
	}
	if channel == ChannelEmail && subject == "" {
		col.Add("subject", CodeRequired, "an e-mail template needs a subject")
	}
	if err := col.Err(); err != nil {
		return Template{}, err
	}
	return Template{Kind: kind, Channel: channel, Subject: subject, Body: body}, nil
}

// Render fills the placeholders of text from vars (a missing value renders
// empty). text must have been validated by ParseTemplate; an invalid text
// renders as it is.
func Render(text string, vars map[string]string) string {
	segs, err := ParseTemplate("text", text)
	if err != nil {
		return text
	}
	var b strings.Builder
	for _, s := range segs {
		if s.Placeholder {
			b.WriteString(vars[s.Text])
		} else {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}
