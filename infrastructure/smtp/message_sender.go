package smtp

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"mime"
	"net/mail"
	"strings"
	"time"

	appmsg "github.com/torquehq/torque/application/messaging"
)

var _ appmsg.Sender = (*MessageSender)(nil)

// MessageSender delivers messages to car owners by e-mail: a
// multipart/alternative message with a text and an HTML part, in pt-BR.
// Its Message-ID is derived from the message id, so a message sent again
// after a worker died carries the same Message-ID and mail systems that
// collapse duplicates (Mailpit with --ignore-duplicate-ids, most clients'
// threading) show it once.
type MessageSender struct{ m *SMTPMailer }

// NewMessageSender sends through m's server and sender address.
func NewMessageSender(m *SMTPMailer) *MessageSender { return &MessageSender{m: m} }

// Send implements messaging.Sender.
func (s *MessageSender) Send(ctx context.Context, out appmsg.Outgoing) (appmsg.Receipt, error) {
	if _, err := mail.ParseAddress(out.To); err != nil {
		return appmsg.Receipt{}, fmt.Errorf("smtp: bad recipient: %w: %w", err, appmsg.ErrPermanent)
	}
	id := s.messageID(out)
	if err := s.m.deliver(ctx, out.To, s.compose(out, id)); err != nil {
		return appmsg.Receipt{}, err
	}
	return appmsg.Receipt{Provider: "smtp", ProviderID: id}, nil
}

func (s *MessageSender) messageID(out appmsg.Outgoing) string {
	from := s.m.cfg.From
	return out.MessageID.String() + "@" + from[strings.LastIndex(from, "@")+1:]
}

func (s *MessageSender) compose(out appmsg.Outgoing, id string) []byte {
	var b bytes.Buffer
	from := (&mail.Address{Name: s.m.cfg.FromName, Address: s.m.cfg.From}).String()
	boundary := "torque-" + strings.ReplaceAll(out.MessageID.String(), "-", "")
	fmt.Fprintf(&b, "From: %s\r\n", from)
	fmt.Fprintf(&b, "To: %s\r\n", out.To)
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", out.Subject))
	fmt.Fprintf(&b, "Date: %s\r\n", time.Now().UTC().Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%s>\r\n", id)
	b.WriteString("Content-Language: pt-BR\r\nMIME-Version: 1.0\r\n")
	fmt.Fprintf(&b, "Content-Type: multipart/alternative; boundary=%q\r\n\r\n", boundary)
	part := func(ctype, body string) {
		fmt.Fprintf(&b, "--%s\r\nContent-Type: %s; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n", boundary, ctype)
		writeBase64(&b, strings.ReplaceAll(body, "\n", "\r\n"))
	}
	part("text/plain", out.Text)
	part("text/html", out.HTML)
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return b.Bytes()
}

func writeBase64(b *bytes.Buffer, s string) {
	enc := base64.StdEncoding.EncodeToString([]byte(s))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
}
