package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/torquehq/torque/internal/fakes/sms"
	"github.com/torquehq/torque/internal/fakes/whatsapp"
	"github.com/torquehq/torque/internal/wiring"
)

// fakes serves the local WhatsApp Cloud API and SMS fakes until ctx ends.
// Point Torque at them with TORQUE_WHATSAPP_API_URL and TORQUE_SMS_API_URL;
// the WhatsApp fake reports "sent" and "delivered" to Torque's webhook,
// signed with TORQUE_WHATSAPP_APP_SECRET.
func fakes(ctx context.Context, cfg wiring.Config) error {
	wa := whatsapp.New()
	wa.AccessToken = cfg.Messaging.WhatsAppAccessToken
	wa.AppSecret = cfg.Messaging.WhatsAppAppSecret
	wa.WebhookURL = cfg.PublicURL + "/api/v1/webhooks/whatsapp"
	sm := sms.New()
	sm.AccountSID, sm.AuthToken = cfg.Messaging.SMSAccountSID, cfg.Messaging.SMSAuthToken
	servers := []*http.Server{
		{Addr: env("TORQUE_FAKE_WHATSAPP_ADDR", "127.0.0.1:8091"), Handler: wa, ReadHeaderTimeout: 5 * time.Second},
		{Addr: env("TORQUE_FAKE_SMS_ADDR", "127.0.0.1:8092"), Handler: sm, ReadHeaderTimeout: 5 * time.Second},
	}
	errc := make(chan error, len(servers))
	for _, s := range servers {
		ln, err := net.Listen("tcp", s.Addr)
		if err != nil {
			return err
		}
		fmt.Printf("fake listening on http://%s/\n", ln.Addr())
		go func(s *http.Server) { errc <- s.Serve(ln) }(s)
	}
	select {
	case <-ctx.Done():
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, s := range servers {
		_ = s.Shutdown(sctx)
	}
	return nil
}
