package resilience_test

import (
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// faultProxy is a TCP proxy in front of a dependency that a test can cut
// (every open connection dropped, new ones refused, as when the service is
// stopped) and restore on the same address.
type faultProxy struct {
	t      testing.TB
	addr   string
	target string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

// newFaultProxy listens on addr (a port of the test's own range) and
// forwards to target.
func newFaultProxy(t testing.TB, addr, target string) *faultProxy {
	t.Helper()
	p := &faultProxy{t: t, addr: addr, target: target, conns: map[net.Conn]struct{}{}}
	if err := p.listen(); err != nil {
		t.Fatalf("proxy %s: %v", addr, err)
	}
	t.Cleanup(func() { p.Cut(); p.wg.Wait() })
	return p
}

func (p *faultProxy) listen() error {
	var ln net.Listener
	var err error
	// The port was ours a moment ago; the kernel may need a beat to free it.
	for range 50 {
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	p.wg.Add(1)
	go p.accept(ln)
	return nil
}

func (p *faultProxy) accept(ln net.Listener) {
	defer p.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		up, err := net.DialTimeout("tcp", p.target, 2*time.Second)
		if err != nil {
			_ = c.Close()
			continue
		}
		if !p.track(c, up) {
			continue
		}
		p.wg.Add(2)
		go p.pipe(c, up)
		go p.pipe(up, c)
	}
}

func (p *faultProxy) track(cs ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil { // cut meanwhile
		for _, c := range cs {
			_ = c.Close()
		}
		return false
	}
	for _, c := range cs {
		p.conns[c] = struct{}{}
	}
	return true
}

func (p *faultProxy) pipe(dst, src net.Conn) {
	defer p.wg.Done()
	_, err := io.Copy(dst, src)
	if err != nil && !errors.Is(err, net.ErrClosed) {
		_ = err // a cut connection: expected
	}
	_ = dst.Close()
	_ = src.Close()
}

// Cut drops every connection and refuses new ones.
func (p *faultProxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		_ = c.Close()
	}
	clear(p.conns)
}

// Restore accepts connections again on the same address.
func (p *faultProxy) Restore() {
	p.t.Helper()
	if err := p.listen(); err != nil {
		p.t.Fatalf("proxy %s: restore: %v", p.addr, err)
	}
}
