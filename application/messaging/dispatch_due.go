package messaging

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/domain/tenant"
)

// DeliveryConfig tunes the delivery loop.
type DeliveryConfig struct {
	// Worker names this worker in leases (default a random id).
	Worker string
	// Interval between polls when the queue is empty (default 1 s).
	Interval time.Duration
	// Lease is how long a claimed message is held (default 2 min); it must
	// exceed the longest send.
	Lease time.Duration
	// Batch is how many messages one poll claims (default 20).
	Batch int
}

func (c *DeliveryConfig) defaults() {
	if c.Worker == "" {
		c.Worker = "worker-" + uuid.NewString()[:8]
	}
	if c.Interval <= 0 {
		c.Interval = time.Second
	}
	if c.Lease <= 0 {
		c.Lease = 2 * time.Minute
	}
	if c.Batch <= 0 {
		c.Batch = 20
	}
}

// RunDelivery delivers due messages until ctx ends. It is the worker's
// process, not a request: it acts for no principal and each message is
// handled in its own workshop's tenant.
func (u *UseCases) RunDelivery(ctx context.Context, cfg DeliveryConfig) {
	cfg.defaults()
	for ctx.Err() == nil {
		n, err := u.DispatchDue(ctx, cfg)
		if err != nil && ctx.Err() == nil {
			u.base.Logger.ErrorContext(ctx, "message delivery", "err", err)
		}
		if n == cfg.Batch {
			continue
		}
		select {
		case <-ctx.Done():
		case <-time.After(cfg.Interval):
		}
	}
}

// DispatchDue claims up to cfg.Batch due messages and attempts each once;
// it returns how many it claimed.
func (u *UseCases) DispatchDue(ctx context.Context, cfg DeliveryConfig) (int, error) {
	cfg.defaults()
	claims, err := u.d.Outbox.Claim(ctx, cfg.Worker, u.base.Now(), cfg.Lease, cfg.Batch)
	if err != nil {
		return 0, err
	}
	var all []error
	cache := &batchCache{workshops: map[tenant.ID]WorkshopInfo{}, templates: map[tenant.ID][]messaging.Template{}}
	for _, c := range claims {
		if ctx.Err() != nil {
			break
		}
		tctx := withBatchCache(tenant.WithTenant(ctx, c.Tenant), cache)
		if err := u.attempt(tctx, cfg.Worker, c.MessageID); err != nil {
			all = append(all, fmt.Errorf("message %s: %w", c.MessageID, err))
		}
	}
	return len(claims), errors.Join(all...)
}

// attempt decides and, when allowed, sends one message, then records the
// outcome under the lease.
func (u *UseCases) attempt(ctx context.Context, worker string, id uuid.UUID) error {
	m, err := u.d.Outbox.Message(ctx, id)
	if err != nil {
		return err
	}
	var o Outcome
	if m.Status != messaging.StatusQueued.String() {
		// Sent already (a provider reported it after a worker died before
		// recording): never send again.
		o.AlreadyDone = true
	} else {
		o, err = u.deliver(ctx, m)
	}
	if ctx.Err() != nil {
		return ctx.Err() // the process is stopping: the lease expires and another worker retries
	}
	if err != nil {
		// Reading what the rules need failed: retry later like a send error.
		o = u.retryOutcome(m, messaging.Channel{}, "", err)
	}
	o.At = u.base.Now()
	_, err = u.d.Outbox.Record(ctx, worker, id, o)
	return err
}

func (u *UseCases) retryOutcome(m Message, ch messaging.Channel, masked string, sendErr error) Outcome {
	n := m.Attempts + 1
	o := Outcome{Attempted: true, Channel: ch, ToMasked: masked, LastError: truncate(sendErr.Error(), 500)}
	if errors.Is(sendErr, ErrPermanent) || n >= u.d.Retry.MaxAttempts {
		o.Status, o.Reason = messaging.StatusFailed, messaging.ReasonProviderFail
		return o
	}
	o.Status, o.Until = messaging.StatusQueued, u.base.Now().Add(u.d.Retry.Delay(n))
	return o
}

func (u *UseCases) deliver(ctx context.Context, m Message) (Outcome, error) {
	kind, err := messaging.ParseKind("kind", m.Kind)
	if err != nil {
		return Outcome{Status: messaging.StatusFailed, Reason: "unknown_kind"}, nil
	}
	var fixed messaging.Channel
	if m.Channel != "" {
		if fixed, err = messaging.ParseChannel("channel", m.Channel); err != nil {
			return Outcome{Status: messaging.StatusFailed, Reason: "unknown_channel"}, nil
		}
	}
	rcpt, err := u.d.Recipients.Recipient(ctx, m.CustomerID)
	if errors.Is(err, errs.ErrNotFound) {
		return Outcome{Status: messaging.StatusSkipped, Reason: messaging.ReasonErased}, nil
	}
	if err != nil {
		return Outcome{}, err
	}
	prefs, found, err := u.d.Prefs.Preferences(ctx, m.CustomerID)
	if err != nil {
		return Outcome{}, err
	}
	if !found {
		prefs = messaging.DefaultPreferences()
	}
	// Only channels this installation can send on are chosen automatically
	// (WhatsApp or SMS may be off).
	var usable []messaging.Channel
	for _, ch := range prefs.Channels {
		if u.d.Senders[ch] != nil {
			usable = append(usable, ch)
		}
	}
	prefs.Channels = usable
	w, err := u.workshop(ctx)
	if err != nil {
		return Outcome{}, err
	}
	loc, err := time.LoadLocation(w.TimeZone)
	if err != nil || w.TimeZone == "" {
		loc, _ = time.LoadLocation(messaging.DefaultTimeZone)
	}
	now := u.base.Now()
	aud := messaging.Audience{Erased: rcpt.Erased, Consents: rcpt.Consents, Email: rcpt.Email, Mobile: rcpt.Mobile, Prefs: prefs}
	purpose := kind.Purpose()
	if purpose == messaging.PurposeMarketing {
		if aud.MarketingSentThisWeek, err = u.d.Outbox.MarketingSentSince(ctx, m.CustomerID, now.Add(-7*24*time.Hour)); err != nil {
			return Outcome{}, err
		}
	}
	cap := u.d.WeeklyMarketingCap
	if cap < 0 {
		cap = 0
	}
	dec := messaging.Decide(now, purpose, fixed, aud, messaging.Rules{Location: loc, WeeklyMarketingCap: cap})
	if !dec.Send {
		if !dec.Until.IsZero() {
			return Outcome{Status: messaging.StatusQueued, Reason: dec.Reason, Channel: dec.Channel, Until: dec.Until}, nil
		}
		return Outcome{Status: messaging.StatusSkipped, Reason: dec.Reason, Channel: dec.Channel}, nil
	}
	masked := Mask(dec.Address)
	sender := u.d.Senders[dec.Channel]
	if sender == nil {
		return Outcome{Status: messaging.StatusFailed, Reason: "channel_unavailable", Channel: dec.Channel, ToMasked: masked}, nil
	}
	out, err := u.compose(ctx, m, kind, dec.Channel, rcpt, w)
	if err != nil {
		return Outcome{}, err
	}
	out.To = dec.Address
	if dec.Channel == messaging.ChannelWhatsApp && u.d.Windows != nil {
		if out.SessionOpen, err = u.d.Windows.Open(ctx, dec.Address, now); err != nil {
			return Outcome{}, err
		}
	}
	rec, err := sender.Send(ctx, out)
	if err != nil {
		return u.retryOutcome(m, dec.Channel, masked, err), nil
	}
	return Outcome{Status: messaging.StatusSent, Channel: dec.Channel, ToMasked: masked, Provider: rec.Provider,
		ProviderID: rec.ProviderID, Attempted: true}, nil
}

// compose renders the message's template with the values of now.
func (u *UseCases) compose(ctx context.Context, m Message, kind messaging.Kind, ch messaging.Channel, r Recipient, w WorkshopInfo) (Outgoing, error) {
	t, err := u.templateFor(ctx, kind, ch)
	if err != nil {
		return Outgoing{}, err
	}
	vars := map[string]string{}
	for k, v := range m.Vars {
		vars[k] = v
	}
	// A campaign carries its own text.
	if kind == messaging.KindCampaign && m.Vars["body"] != "" {
		t.Subject, t.Body = m.Vars["subject"], m.Vars["body"]
		if !strings.Contains(t.Body, "{{unsubscribe_link}}") {
			t.Body += "\nPara não receber mais: {{unsubscribe_link}}"
		}
	}
	vars["customer_name"], vars["workshop_name"], vars["workshop_phone"] = displayName(r.Name), w.Name, w.Phone
	if m.OrderID != uuid.Nil {
		o, err := u.d.Orders.Order(ctx, m.OrderID)
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			return Outgoing{}, err
		}
		vars["order_number"], vars["vehicle"] = strconv.FormatInt(o.Number, 10), o.Vehicle
	}
	if st := m.Vars["status"]; st != "" {
		if l, ok := StatusLabels[st]; ok {
			vars["status"] = l
		}
	}
	if kind == messaging.KindQuote {
		quoteVars(vars, m.Vars, u.d.PublicURL, w.Slug)
	}
	tid, _ := tenant.FromContext(ctx)
	if kind == messaging.KindThankYou {
		tok := u.token(TokenFeedback, tid.String(), m.ID.String())
		if err := u.d.Tokens.Save(ctx, Token{Hash: HashToken(tok), Purpose: TokenFeedback, Tenant: tid, CustomerID: m.CustomerID,
			MessageID: m.ID, OrderID: m.OrderID, Channel: ch.String()}); err != nil {
			return Outgoing{}, err
		}
		vars["feedback_link"] = u.d.PublicURL + "/f/" + tok
	}
	if kind.Purpose() == messaging.PurposeMarketing {
		tok := u.token(TokenUnsubscribe, tid.String(), m.CustomerID.String(), ch.String())
		if err := u.d.Tokens.Save(ctx, Token{Hash: HashToken(tok), Purpose: TokenUnsubscribe, Tenant: tid,
			CustomerID: m.CustomerID, Channel: ch.String()}); err != nil {
			return Outgoing{}, err
		}
		vars["unsubscribe_link"] = u.d.PublicURL + "/u/" + tok
	}
	subject, text := messaging.Render(t.Subject, vars), messaging.Render(t.Body, vars)
	return Outgoing{MessageID: m.ID, CallbackData: tid.String() + ":" + m.ID.String(), Subject: subject, Text: text, HTML: toHTML(subject, text),
		Template: "torque_" + kind.String()}, nil
}

func displayName(full string) string {
	if full == "" {
		return "cliente"
	}
	return full
}

// Mask hides most of an address for the message log: "j***@e***.com",
// "+55 11 *****-4321".
func Mask(addr string) string {
	if at := strings.IndexByte(addr, '@'); at > 0 {
		local, domain := addr[:at], addr[at+1:]
		dot := strings.LastIndexByte(domain, '.')
		tld := ""
		if dot > 0 {
			tld, domain = domain[dot:], domain[:dot]
		}
		return local[:1] + "***@" + first(domain) + "***" + tld
	}
	if len(addr) > 4 {
		return strings.Repeat("*", len(addr)-4) + addr[len(addr)-4:]
	}
	return "****"
}

func first(s string) string {
	if s == "" {
		return ""
	}
	return s[:1]
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// batchCache keeps, for one DispatchDue batch, what every message of a
// workshop shares: the workshop and its templates (read once per batch, so
// a template edited during a batch applies from the next one).
type batchCache struct {
	workshops map[tenant.ID]WorkshopInfo
	templates map[tenant.ID][]messaging.Template
}

type batchCacheKey struct{}

func withBatchCache(ctx context.Context, c *batchCache) context.Context {
	return context.WithValue(ctx, batchCacheKey{}, c)
}

func cacheOf(ctx context.Context) (*batchCache, tenant.ID, bool) {
	c, ok := ctx.Value(batchCacheKey{}).(*batchCache)
	if !ok {
		return nil, tenant.ID{}, false
	}
	t, err := tenant.FromContext(ctx)
	return c, t, err == nil
}

func (u *UseCases) workshop(ctx context.Context) (WorkshopInfo, error) {
	c, t, ok := cacheOf(ctx)
	if ok {
		if w, hit := c.workshops[t]; hit {
			return w, nil
		}
	}
	w, err := u.d.Workshops.Workshop(ctx)
	if err == nil && ok {
		c.workshops[t] = w
	}
	return w, err
}

// ownTemplates returns the workshop's own templates (cached per batch).
func (u *UseCases) ownTemplates(ctx context.Context) ([]messaging.Template, error) {
	c, t, ok := cacheOf(ctx)
	if ok {
		if ts, hit := c.templates[t]; hit {
			return ts, nil
		}
	}
	ts, err := u.d.Templates.Templates(ctx)
	if err == nil && ok {
		c.templates[t] = ts
	}
	return ts, err
}
