package smtp_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/torquehq/torque/infrastructure/smtp"
)

// fakeServer is a minimal SMTP server that records the commands it receives
// in clear text and, when cert is set, offers STARTTLS.
type fakeServer struct {
	addr string
	mu   sync.Mutex
	seen []string // commands received before any TLS
	tls  bool     // a TLS handshake completed
}

func startFake(t *testing.T, cert *tls.Certificate) *fakeServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	f := &fakeServer{addr: ln.Addr().String()}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(conn, cert)
		}
	}()
	return f
}

func (f *fakeServer) serve(conn net.Conn, cert *tls.Certificate) {
	defer func() { _ = conn.Close() }()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	r, w := bufio.NewReader(conn), conn
	say := func(s string) { _, _ = w.Write([]byte(s + "\r\n")) }
	say("220 fake ESMTP")
	inTLS := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		if !inTLS {
			f.mu.Lock()
			f.seen = append(f.seen, strings.Fields(cmd + " x")[0])
			f.mu.Unlock()
		}
		switch {
		case strings.HasPrefix(cmd, "EHLO"):
			if cert != nil && !inTLS {
				say("250-fake\r\n250-STARTTLS\r\n250 AUTH PLAIN")
			} else {
				say("250-fake\r\n250 AUTH PLAIN")
			}
		case cmd == "STARTTLS" && cert != nil:
			say("220 go ahead")
			tc := tls.Server(conn, &tls.Config{Certificates: []tls.Certificate{*cert}})
			if tc.Handshake() != nil {
				return
			}
			f.mu.Lock()
			f.tls = true
			f.mu.Unlock()
			inTLS = true
			r, w = bufio.NewReader(tc), tc
		case strings.HasPrefix(cmd, "AUTH"):
			say("235 ok")
		case cmd == "DATA":
			say("354 go")
			for {
				l, err := r.ReadString('\n')
				if err != nil || l == ".\r\n" {
					break
				}
			}
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

func (f *fakeServer) clearCommands() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.seen...)
}

func selfSigned(t *testing.T) (*tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// Issue 10 item 7: a relay without STARTTLS gets nothing: no password, no
// message (recovery codes would travel in clear).
func TestSend_refusesClearTextWithoutStartTLS(t *testing.T) {
	f := startFake(t, nil)
	m, err := smtp.New(smtp.Config{Addr: f.addr, From: "no-reply@example.com", Username: "u", Password: "secret-password"})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(context.Background(), "joao@example.com", "Código", "123456"); err == nil {
		t.Fatal("sent over a relay that offers no STARTTLS")
	}
	for _, c := range f.clearCommands() {
		if c == "AUTH" || c == "MAIL" || c == "DATA" {
			t.Errorf("the client sent %s in clear text", c)
		}
	}
}

// With STARTTLS the password and the message travel only inside TLS.
func TestSend_startTLSProtectsAuthAndMessage(t *testing.T) {
	cert, roots := selfSigned(t)
	f := startFake(t, cert)
	m, err := smtp.New(smtp.Config{Addr: f.addr, From: "no-reply@example.com", Username: "u", Password: "secret-password",
		TLSConfig: &tls.Config{RootCAs: roots, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(context.Background(), "joao@example.com", "Código", "123456"); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	tlsDone := f.tls
	f.mu.Unlock()
	if !tlsDone {
		t.Fatal("no TLS handshake")
	}
	for _, c := range f.clearCommands() {
		if c == "AUTH" || c == "MAIL" || c == "DATA" {
			t.Errorf("the client sent %s in clear text", c)
		}
	}
}
