// Package smtp sends transactional e-mail over SMTP (Mailpit locally, any
// relay in production).
package smtp

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"

	"github.com/torquehq/torque/application/franchises"
	"github.com/torquehq/torque/application/staff"
)

var (
	_ staff.Mailer      = (*SMTPMailer)(nil)
	_ franchises.Mailer = (*SMTPMailer)(nil)
)

// Config configures the mailer.
type Config struct {
	// Addr is host:port of the SMTP server.
	Addr string
	// From is the sender address; FromName its display name.
	From, FromName string
	// Username and Password enable PLAIN auth when set (requires TLS in production).
	Username, Password string
	// Security is how the connection is protected: SecurityStartTLS (the
	// default: the server must offer STARTTLS, or nothing is sent),
	// SecurityTLS (implicit TLS, e.g. port 465) or SecurityNone (clear text:
	// only the local stack's Mailpit).
	Security Security
	// TLSConfig overrides the TLS client configuration (tests; default:
	// verify the server name, TLS 1.2 or later).
	TLSConfig *tls.Config
	// Timeout bounds one delivery (default 10 s).
	Timeout time.Duration
}

// SMTPMailer implements staff.Mailer and franchises.Mailer.
type SMTPMailer struct{ cfg Config }

// Security is the protection of the SMTP connection.
type Security string

// Securities.
const (
	SecurityStartTLS Security = "starttls"
	SecurityTLS      Security = "tls"
	SecurityNone     Security = "none"
)

// ParseSecurity reads a Security ("" is SecurityStartTLS).
func ParseSecurity(s string) (Security, error) {
	switch Security(strings.ToLower(strings.TrimSpace(s))) {
	case "", SecurityStartTLS:
		return SecurityStartTLS, nil
	case SecurityTLS:
		return SecurityTLS, nil
	case SecurityNone:
		return SecurityNone, nil
	}
	return "", fmt.Errorf("smtp: unknown security %q (want starttls, tls or none)", s)
}

// errNoStartTLS: the server does not offer STARTTLS; nothing (no password,
// no recovery code) is sent in clear.
var errNoStartTLS = errors.New("smtp: the server does not offer STARTTLS; refusing to send in clear text")

// New validates cfg.
func New(cfg Config) (*SMTPMailer, error) {
	if cfg.Addr == "" || cfg.From == "" {
		return nil, errors.New("smtp: Addr and From are required")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Security == "" {
		cfg.Security = SecurityStartTLS
	}
	if _, err := ParseSecurity(string(cfg.Security)); err != nil {
		return nil, err
	}
	return &SMTPMailer{cfg: cfg}, nil
}

// Send delivers one plain-text UTF-8 message.
func (m *SMTPMailer) Send(ctx context.Context, to, subject, text string) error {
	if _, err := mail.ParseAddress(to); err != nil {
		return fmt.Errorf("smtp: bad recipient: %w", err)
	}
	return m.deliver(ctx, to, m.compose(to, subject, text))
}

// deliver runs one SMTP session that hands msg to the server for to.
func (m *SMTPMailer) deliver(ctx context.Context, to string, msg []byte) error {
	ctx, cancel := context.WithTimeout(ctx, m.cfg.Timeout)
	defer cancel()
	host, _, _ := net.SplitHostPort(m.cfg.Addr)
	tlsConfig := m.cfg.TLSConfig
	if tlsConfig == nil {
		tlsConfig = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	}
	var conn net.Conn
	var err error
	if m.cfg.Security == SecurityTLS {
		d := tls.Dialer{Config: tlsConfig}
		conn, err = d.DialContext(ctx, "tcp", m.cfg.Addr)
	} else {
		var d net.Dialer
		conn, err = d.DialContext(ctx, "tcp", m.cfg.Addr)
	}
	if err != nil {
		return fmt.Errorf("smtp: dial: %w", err)
	}
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		_ = conn.Close() // the hello error is the one worth reporting
		return fmt.Errorf("smtp: hello: %w", err)
	}
	// On success Quit has ended the session; Close then only releases the
	// connection, and on failure the step's own error is the one returned.
	defer func() { _ = c.Close() }()
	if m.cfg.Security == SecurityStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return errNoStartTLS
		}
		if err := c.StartTLS(tlsConfig); err != nil {
			return fmt.Errorf("smtp: STARTTLS: %w", err)
		}
	}
	if m.cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", m.cfg.Username, m.cfg.Password, host)); err != nil {
			return fmt.Errorf("smtp: auth: %w", err)
		}
	}
	if err := c.Mail(m.cfg.From); err != nil {
		return fmt.Errorf("smtp: MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("smtp: RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp: DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("smtp: write: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp: end of data: %w", err)
	}
	return c.Quit()
}

func (m *SMTPMailer) compose(to, subject, text string) []byte {
	var b bytes.Buffer
	from := (&mail.Address{Name: m.cfg.FromName, Address: m.cfg.From}).String()
	var id [12]byte
	_, _ = rand.Read(id[:])
	domain := m.cfg.From[strings.LastIndex(m.cfg.From, "@")+1:]
	fmt.Fprintf(&b, "From: %s\r\n", from)
	fmt.Fprintf(&b, "To: %s\r\n", to)
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", subject))
	fmt.Fprintf(&b, "Date: %s\r\n", time.Now().UTC().Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%s@%s>\r\n", hex.EncodeToString(id[:]), domain)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(strings.ReplaceAll(text, "\n", "\r\n")))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}
