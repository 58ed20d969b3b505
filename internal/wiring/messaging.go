package wiring

import (
	"context"
	"errors"

	"github.com/torquehq/torque/application/messaging"
	"github.com/torquehq/torque/application/usecase"
	dmsg "github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/messagestore"
	"github.com/torquehq/torque/infrastructure/sms"
	"github.com/torquehq/torque/infrastructure/smtp"
	"github.com/torquehq/torque/infrastructure/whatsapp"
	"github.com/torquehq/torque/interfaces/httpapi"
)

// LocalMessagingTokenKey keys the local stack's feedback and unsubscribe
// links; production sets TORQUE_MESSAGING_TOKEN_KEY.
const LocalMessagingTokenKey = "torque-local-messaging-token-key-not-secret"

// buildMessaging wires the messaging module: the outbox, the send-time
// readers and the channels that are configured.
func (s *System) buildMessaging() error {
	c := s.Cfg.Messaging
	key := c.TokenKey
	if key == "" {
		key = LocalMessagingTokenKey
	}
	if len(key) < 32 {
		return errors.New("TORQUE_MESSAGING_TOKEN_KEY: at least 32 characters")
	}
	senders := map[dmsg.Channel]messaging.Sender{dmsg.ChannelEmail: smtp.NewMessageSender(s.Mailer)}
	if c.WhatsAppAPIURL != "" {
		wa, err := whatsapp.NewSender(whatsapp.Config{APIURL: c.WhatsAppAPIURL, PhoneNumberID: c.WhatsAppPhoneNumberID,
			AccessToken: c.WhatsAppAccessToken, AppSecret: c.WhatsAppAppSecret, VerifyToken: c.WhatsAppVerifyToken})
		if err != nil {
			return err
		}
		senders[dmsg.ChannelWhatsApp] = wa
		if s.WhatsAppHooks, err = whatsapp.NewWebhookVerifier(c.WhatsAppAppSecret, c.WhatsAppVerifyToken); err != nil {
			return err
		}
	}
	if c.SMSAPIURL != "" {
		tw, err := sms.New(sms.Config{APIURL: c.SMSAPIURL, AccountSID: c.SMSAccountSID, AuthToken: c.SMSAuthToken, From: c.SMSFrom})
		if err != nil {
			return err
		}
		senders[dmsg.ChannelSMS] = tw
	}
	base := usecase.Base{Logger: s.Log}
	var err error
	s.Messaging, err = messaging.New(base, MessagingDeps(s, senders, []byte(key)))
	return err
}

// MessagingDeps are the messaging module's Postgres adapters on the
// system's pools, with the given senders (tests pass fakes).
func MessagingDeps(s *System, senders map[dmsg.Channel]messaging.Sender, key []byte) messaging.Deps {
	c := s.Cfg.Messaging
	prefs := messagestore.NewPreferences(s.Pool)
	return messaging.Deps{
		Outbox:     messagestore.NewOutbox(s.Pool),
		Recipients: messagestore.NewRecipients(s.Pool, s.Cipher),
		Prefs:      prefs, OptOuts: prefs, Templates: messagestore.NewTemplates(s.Pool),
		Workshops: messagestore.NewWorkshops(s.Pool, s.Directory), Orders: messagestore.NewOrders(s.Pool),
		Tokens: messagestore.NewTokens(s.Pool), Store: s.Store, Senders: senders,
		Windows:   messagestore.NewSessionWindows(s.Pool, key),
		Campaigns: messagestore.NewCampaigns(s.Pool, s.Cipher),
		Alerts:    detractorAlerts{s: s, mail: messaging.MailDetractorAlerts{Mailer: s.Mailer, PublicURL: s.Cfg.PublicURL}},
		TokenKey:  key, PublicURL: s.Cfg.PublicURL, WeeklyMarketingCap: c.WeeklyMarketingCap,
		Retry: messaging.Retry{Base: c.RetryBase},
	}
}

// messagingHandlers are the REST handlers of messaging.
func (s *System) messagingHandlers() *httpapi.MessagingHandlers {
	h := &httpapi.MessagingHandlers{Messaging: s.Messaging, Limits: s.rateLimits(), ProxyHops: s.proxyHops(), Log: s.Log}
	if s.WhatsAppHooks != nil {
		h.WhatsApp = s.WhatsAppHooks
	}
	return h
}

// detractorAlerts opens a support ticket for a detractor's answer (score ≤ 6)
// and e-mails the workshop's owners. Support is built after messaging, so it
// is looked up at call time.
type detractorAlerts struct {
	s    *System
	mail messaging.MailDetractorAlerts
}

func (d detractorAlerts) Detractor(ctx context.Context, w messaging.WorkshopInfo, f dmsg.FeedbackReceived) error {
	if d.s.Support != nil {
		tid, err := tenant.FromContext(ctx)
		if err != nil {
			return err
		}
		if _, err := d.s.Support.OpenTicketForDetractor(ctx, tid.UUID(), f.CustomerID, f.OrderID, f.Score, f.Comment); err != nil {
			return err
		}
	}
	return d.mail.Detractor(ctx, w, f)
}
