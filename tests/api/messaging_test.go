package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	appmsg "github.com/torquehq/torque/application/messaging"
	"github.com/torquehq/torque/application/usecase"
	dmsg "github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/infrastructure/smtp"
	"github.com/torquehq/torque/infrastructure/whatsapp"
	"github.com/torquehq/torque/internal/e2e"
	fakewa "github.com/torquehq/torque/internal/fakes/whatsapp"
	"github.com/torquehq/torque/internal/mailpit"
	"github.com/torquehq/torque/internal/wiring"
)

// The messaging tests drive delivery themselves (DispatchDue with an
// injected clock) instead of the worker's loop, so that backoff, quiet
// hours and leases are exact.

const testTokenKey = "messaging-test-token-key-0123456789abcdef"

// refusedSMTP is a port of this helper's range where nothing listens.
const refusedSMTP = "127.0.0.1:20101"

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// weekdayAfternoon is a Wednesday 14:00 in São Paulo, after every message
// the tests enqueue (their due time is the real now).
func weekdayAfternoon() time.Time {
	loc, _ := time.LoadLocation("America/Sao_Paulo")
	return time.Date(time.Now().Year()+1, time.March, 10, 14, 0, 0, 0, loc)
}

// switchSender delegates to the sender set last.
type switchSender struct {
	mu sync.Mutex
	s  appmsg.Sender
}

func (w *switchSender) set(s appmsg.Sender) { w.mu.Lock(); w.s = s; w.mu.Unlock() }
func (w *switchSender) Send(ctx context.Context, m appmsg.Outgoing) (appmsg.Receipt, error) {
	w.mu.Lock()
	s := w.s
	w.mu.Unlock()
	return s.Send(ctx, m)
}

type msgFixture struct {
	env   *e2e.Env
	w     e2e.Workshop
	clock *clock
	uc    *appmsg.UseCases
	mail  *mailpit.Client
	email *switchSender
}

func mailpitURL() string {
	if v := envOr("TORQUE_MAILPIT_URL", ""); v != "" {
		return v
	}
	return "http://127.0.0.1:8025"
}

var plateSeq atomic.Int64

// messagingPlate returns a plate no other test of the run uses.
func messagingPlate() string {
	n := plateSeq.Add(1)
	u := strings.ToUpper(e2e.Unique())
	letters := ""
	for _, c := range u {
		if c >= 'A' && c <= 'Z' {
			letters += string(c)
		} else {
			letters += string(rune('A' + (c - '0')))
		}
	}
	return fmt.Sprintf("%s%d%s%02d", letters[:3], n%10, letters[3:4], n%100)
}

// emailSender sends through an SMTP server at addr (a refusing port here;
// Mailpit is reached through the system's own mailer).
func emailSender(t *testing.T, addr string) appmsg.Sender {
	t.Helper()
	m, err := smtp.New(smtp.Config{Addr: addr, From: "no-reply@torque.local", FromName: "Torque", Timeout: 5 * time.Second, Security: smtp.SecurityNone})
	if err != nil {
		t.Fatal(err)
	}
	return smtp.NewMessageSender(m)
}

func startMessaging(t *testing.T, configure func(*wiring.Config), senders map[dmsg.Channel]appmsg.Sender) *msgFixture {
	t.Helper()
	env := e2e.StartWith(t, e2e.Options{Configure: func(c *wiring.Config) {
		c.Messaging.DeliveryInterval = -1 // the test delivers
		c.Messaging.TokenKey = testTokenKey
		if configure != nil {
			configure(c)
		}
	}})
	f := &msgFixture{env: env, w: env.Signup(t, "pro"), clock: &clock{t: weekdayAfternoon()},
		mail: mailpit.New(mailpitURL(), nil), email: &switchSender{}}
	f.email.set(smtp.NewMessageSender(env.Sys.Mailer)) // the stack's Mailpit, configured as the system's mailer
	if senders == nil {
		senders = map[dmsg.Channel]appmsg.Sender{}
	}
	senders[dmsg.ChannelEmail] = f.email
	deps := wiring.MessagingDeps(env.Sys, senders, []byte(testTokenKey))
	deps.Retry = appmsg.Retry{Base: 30 * time.Second, Max: time.Hour, MaxAttempts: 8}
	var err error
	if f.uc, err = appmsg.New(usecase.Base{Clock: f.clock.Now}, deps); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *msgFixture) dispatch(t *testing.T, worker string) int {
	t.Helper()
	n, err := f.uc.DispatchDue(context.Background(), appmsg.DeliveryConfig{Worker: worker, Lease: time.Minute, Batch: 50})
	if err != nil {
		t.Fatalf("dispatch: %v", err)
	}
	return n
}

// customer registers a customer with consent to service messages on
// channels and chooses them.
func (f *msgFixture) customer(t *testing.T, email, mobile string, channels ...string) string {
	t.Helper()
	body := map[string]any{"name": "Ana Souza " + e2e.Unique()}
	if email != "" {
		body["email"] = email
	}
	if mobile != "" {
		body["phones"] = map[string]string{"mobile": mobile}
	}
	c := mustStatus(t, f.env.Do(t, http.MethodPost, ws(f.w, "/customers"), f.w.OwnerToken, body), 201, "customer")
	id := c["id"].(string)
	for _, ch := range channels {
		mustStatus(t, f.env.Do(t, http.MethodPost, ws(f.w, "/customers/"+id+"/consents"), f.w.OwnerToken,
			map[string]string{"purpose": "service_messages", "channel": ch, "source": "counter"}), 201, "consent")
	}
	mustStatus(t, f.env.Do(t, http.MethodPut, ws(f.w, "/customers/"+id+"/preferences"), f.w.OwnerToken,
		map[string]any{"channels": channels, "reminders": "each_due", "quiet_hours": map[string]string{"from": "22:00", "to": "07:00"}}), 200, "preferences")
	return id
}

// order opens an order for the customer and moves it through statuses.
func (f *msgFixture) order(t *testing.T, customerID string, statuses ...string) string {
	t.Helper()
	v := mustStatus(t, f.env.Do(t, http.MethodPost, ws(f.w, "/customers/"+customerID+"/vehicles"), f.w.OwnerToken,
		map[string]any{"plate": messagingPlate(), "make": "Volkswagen", "model": "Gol", "year": 2019}), 201, "vehicle")
	o := mustStatus(t, f.env.Do(t, http.MethodPost, ws(f.w, "/service-orders"), f.w.OwnerToken, map[string]any{
		"customer_id": customerID, "vehicle_id": v["id"],
		"items": []map[string]any{{"service": "oil_change", "description": "Troca de óleo", "quantity": 1, "unit_price_cents": 15000}}}), 201, "order")
	id := o["id"].(string)
	for _, st := range statuses {
		mustStatus(t, f.env.Do(t, http.MethodPost, ws(f.w, "/service-orders/"+id+"/status"), f.w.OwnerToken,
			map[string]string{"status": st}), 200, "status "+st)
	}
	return id
}

type messageOut struct {
	ID       string  `json:"id"`
	Kind     string  `json:"kind"`
	Channel  *string `json:"channel"`
	Status   string  `json:"status"`
	Reason   *string `json:"reason"`
	Attempts int     `json:"attempts"`
	To       *string `json:"to"`
	DueAt    string  `json:"due_at"`
}

func (f *msgFixture) messages(t *testing.T, customerID string) []messageOut {
	t.Helper()
	var page struct {
		Items []messageOut `json:"items"`
	}
	r := f.env.Do(t, http.MethodGet, ws(f.w, "/messages?customer_id="+customerID), f.w.OwnerToken, nil)
	if r.Status != 200 {
		t.Fatalf("messages: %d %s", r.Status, r.Body)
	}
	r.Decode(t, &page)
	return page.Items
}

// awaitMessages waits until the trigger projection has enqueued n messages.
func (f *msgFixture) awaitMessages(t *testing.T, customerID string, n int) []messageOut {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ms := f.messages(t, customerID)
		if len(ms) >= n {
			return ms
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages enqueued, want %d", len(ms), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (f *msgFixture) mailTo(t *testing.T, addr string) []mailpit.Summary {
	t.Helper()
	ms, err := f.mail.MessagesTo(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

var feedbackLink = regexp.MustCompile(`/f/([A-Za-z0-9_-]+)`)

func TestMessaging_OrderStatusThankYouAndFeedbackIntegration(t *testing.T) {
	f := startMessaging(t, nil, nil)
	addr := "ana-" + e2e.Unique() + "@example.com"
	cid := f.customer(t, addr, "", "email")
	f.order(t, cid, "in_progress", "completed", "delivered")
	ms := f.awaitMessages(t, cid, 3)
	for _, m := range ms {
		if m.Status != "queued" {
			t.Fatalf("before delivery: %+v", m)
		}
	}
	if n := f.dispatch(t, "A"); n != 3 {
		t.Fatalf("claimed %d, want 3", n)
	}
	if n := f.dispatch(t, "A"); n != 0 {
		t.Fatalf("claimed %d after delivery, want 0", n)
	}
	kinds := map[string]int{}
	for _, m := range f.messages(t, cid) {
		kinds[m.Kind]++
		if m.Status != "sent" || str(m.Channel) != "email" || m.Attempts != 1 || !strings.Contains(str(m.To), "***@") {
			t.Errorf("after delivery: %+v", m)
		}
	}
	if kinds["order_status"] != 2 || kinds["thank_you"] != 1 {
		t.Fatalf("kinds %v", kinds)
	}
	mails := f.mailTo(t, addr)
	if len(mails) != 3 {
		t.Fatalf("%d e-mails to the customer, want 3", len(mails))
	}
	var thanks mailpit.Message
	for _, s := range mails {
		m, err := f.mail.Message(context.Background(), s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if m.HTML == "" || m.Text == "" {
			t.Errorf("e-mail %q lacks a text or HTML part", m.Subject)
		}
		if strings.Contains(m.Subject, "obrigado") {
			thanks = m
		}
	}
	if !strings.Contains(thanks.Text, "De 0 a 10") {
		t.Fatalf("thank-you e-mail: %q", thanks.Text)
	}
	tok := feedbackLink.FindStringSubmatch(thanks.Text)
	if tok == nil {
		t.Fatalf("no feedback link in %q", thanks.Text)
	}
	// The public page, no login.
	page := f.env.Do(t, http.MethodGet, "/f/"+tok[1], "", nil)
	if page.Status != 200 || !strings.Contains(string(page.Body), "0") {
		t.Fatalf("feedback page: %d", page.Status)
	}
	if r := f.env.Do(t, http.MethodPost, "/api/v1/feedback/"+tok[1], "", map[string]any{"score": 11}); r.Status != 422 {
		t.Fatalf("score 11: %d %s", r.Status, r.Body)
	}
	// The optional CSAT answer is 1..5: anything else is 422 naming csat.
	for _, bad := range []int{0, 6} {
		if r := f.env.Do(t, http.MethodPost, "/api/v1/feedback/"+tok[1], "", map[string]any{"score": 3, "csat": bad}); r.Status != 422 ||
			!strings.Contains(string(r.Body), `"csat"`) {
			t.Fatalf("csat %d: %d %s", bad, r.Status, r.Body)
		}
	}
	fb := f.env.Do(t, http.MethodPost, "/api/v1/feedback/"+tok[1], "", map[string]any{"score": 3, "csat": 2, "comment": "Demorou demais"})
	mustStatus(t, fb, 201, "feedback")
	if fb.JSON()["csat"] != float64(2) {
		t.Errorf("feedback answer without its csat: %s", fb.Body)
	}
	if r := f.env.Do(t, http.MethodPost, "/api/v1/feedback/"+tok[1], "", map[string]any{"score": 9}); r.Status != http.StatusConflict {
		t.Fatalf("second answer: %d %s", r.Status, r.Body)
	}
	if r := f.env.Do(t, http.MethodPost, "/api/v1/feedback/unknown-token", "", map[string]any{"score": 9}); r.Status != http.StatusNotFound {
		t.Fatalf("unknown token: %d %s", r.Status, r.Body)
	}
	// A detractor: the owner is told by e-mail.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := f.mail.WaitFor(ctx, f.w.OwnerEmail, mailpit.SubjectContains("insatisfeito")); err != nil {
		t.Fatal(err)
	}
	// The LGPD export lists the messages.
	ex := mustStatus(t, f.env.Do(t, http.MethodGet, ws(f.w, "/customers/"+cid+"/export"), f.w.OwnerToken, nil), 200, "export")
	if got := len(ex["messages"].([]any)); got != 3 {
		t.Fatalf("export lists %d messages, want 3", got)
	}
	// Erasure leaves nothing readable in the message rows.
	if r := f.env.Do(t, http.MethodDelete, ws(f.w, "/customers/"+cid), f.w.OwnerToken, nil); r.Status != http.StatusNoContent {
		t.Fatalf("erase: %d", r.Status)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		left := 0
		for _, m := range f.messages(t, cid) {
			if m.To != nil {
				left++
			}
		}
		if left == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("masked addresses survive the erasure")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestMessaging_SMTPDownRetriedThenEachDeliveredOnceIntegration(t *testing.T) {
	f := startMessaging(t, nil, nil)
	f.email.set(emailSender(t, refusedSMTP))
	var addrs, ids []string
	for i := 0; i < 3; i++ {
		a := fmt.Sprintf("smtp-down-%d-%s@example.com", i, e2e.Unique())
		id := f.customer(t, a, "", "email")
		f.order(t, id, "in_progress")
		addrs, ids = append(addrs, a), append(ids, id)
	}
	for _, id := range ids {
		f.awaitMessages(t, id, 1)
	}
	if n := f.dispatch(t, "A"); n != 3 {
		t.Fatalf("claimed %d", n)
	}
	for _, id := range ids {
		m := f.messages(t, id)[0]
		if m.Status != "queued" || m.Attempts != 1 {
			t.Fatalf("after a refused connection: %+v", m)
		}
	}
	// Backoff: nothing is due again before 30 s.
	f.clock.Add(10 * time.Second)
	if n := f.dispatch(t, "A"); n != 0 {
		t.Fatalf("claimed %d during backoff", n)
	}
	// Still down at the second try: the wait doubles.
	f.clock.Add(25 * time.Second)
	if n := f.dispatch(t, "A"); n != 3 {
		t.Fatalf("claimed %d at the second try", n)
	}
	f.clock.Add(45 * time.Second)
	if n := f.dispatch(t, "A"); n != 0 {
		t.Fatalf("claimed %d before the doubled wait", n)
	}
	// The server comes back.
	f.email.set(smtp.NewMessageSender(f.env.Sys.Mailer))
	f.clock.Add(20 * time.Second)
	if n := f.dispatch(t, "B"); n != 3 {
		t.Fatalf("claimed %d after SMTP returned", n)
	}
	f.clock.Add(time.Hour)
	f.dispatch(t, "B")
	for i, id := range ids {
		m := f.messages(t, id)[0]
		if m.Status != "sent" || m.Attempts != 3 {
			t.Errorf("after recovery: %+v", m)
		}
		if got := len(f.mailTo(t, addrs[i])); got != 1 {
			t.Errorf("%s got %d e-mails, want exactly 1", addrs[i], got)
		}
	}
}

// stallingSender blocks its first send until the worker's context ends
// (the worker dies mid-send, before the provider accepted anything).
type stallingSender struct {
	entered chan struct{}
	once    sync.Once
	next    appmsg.Sender
	stalled bool
	mu      sync.Mutex
}

func (s *stallingSender) Send(ctx context.Context, m appmsg.Outgoing) (appmsg.Receipt, error) {
	s.mu.Lock()
	first := !s.stalled
	s.stalled = true
	s.mu.Unlock()
	if first {
		s.once.Do(func() { close(s.entered) })
		<-ctx.Done()
		return appmsg.Receipt{}, ctx.Err()
	}
	return s.next.Send(ctx, m)
}

func TestMessaging_WorkerKilledMidSendNoLossNoDuplicateIntegration(t *testing.T) {
	f := startMessaging(t, nil, nil)
	stall := &stallingSender{entered: make(chan struct{}), next: smtp.NewMessageSender(f.env.Sys.Mailer)}
	f.email.set(stall)
	addr := "killed-" + e2e.Unique() + "@example.com"
	id := f.customer(t, addr, "", "email")
	f.order(t, id, "in_progress")
	f.awaitMessages(t, id, 1)

	ctx, kill := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = f.uc.DispatchDue(ctx, appmsg.DeliveryConfig{Worker: "A", Lease: time.Minute})
	}()
	<-stall.entered
	kill() // worker A dies while sending
	<-done
	// Its lease still holds the message: worker B cannot take it yet.
	if n := f.dispatch(t, "B"); n != 0 {
		t.Fatalf("B claimed %d while A's lease held", n)
	}
	if m := f.messages(t, id)[0]; m.Status != "queued" {
		t.Fatalf("after the kill: %+v", m)
	}
	f.clock.Add(61 * time.Second)
	if n := f.dispatch(t, "B"); n != 1 {
		t.Fatalf("B claimed %d after the lease expired", n)
	}
	f.clock.Add(time.Hour)
	f.dispatch(t, "B")
	if m := f.messages(t, id)[0]; m.Status != "sent" || m.Attempts != 1 {
		t.Fatalf("after recovery: %+v", m)
	}
	if got := len(f.mailTo(t, addr)); got != 1 {
		t.Fatalf("%d e-mails, want exactly 1", got)
	}
}

func TestMessaging_RulesAreCheckedAtSendTimeIntegration(t *testing.T) {
	f := startMessaging(t, nil, nil)
	// Consent withdrawn between scheduling and sending.
	revoked := f.customer(t, "revoked-"+e2e.Unique()+"@example.com", "", "email")
	f.order(t, revoked, "in_progress")
	f.awaitMessages(t, revoked, 1)
	if r := f.env.Do(t, http.MethodDelete, ws(f.w, "/customers/"+revoked+"/consents/service_messages"), f.w.OwnerToken, nil); r.Status/100 != 2 {
		t.Fatalf("withdraw: %d %s", r.Status, r.Body)
	}
	// No e-mail address although e-mail is the chosen channel.
	noContact := f.customer(t, "", "+5511987650000", "email")
	f.order(t, noContact, "in_progress")
	f.awaitMessages(t, noContact, 1)
	// Quiet hours: 23:30 in São Paulo.
	quiet := f.customer(t, "quiet-"+e2e.Unique()+"@example.com", "", "email")
	f.order(t, quiet, "in_progress")
	f.awaitMessages(t, quiet, 1)

	f.clock.Add(9*time.Hour + 30*time.Minute) // 23:30
	f.dispatch(t, "A")
	for id, want := range map[string]string{revoked: "no_consent", noContact: "no_contact"} {
		if m := f.messages(t, id)[0]; m.Status != "skipped" || str(m.Reason) != want {
			t.Errorf("%s: %+v", want, m)
		}
	}
	m := f.messages(t, quiet)[0]
	due, _ := time.Parse(time.RFC3339, m.DueAt)
	loc, _ := time.LoadLocation("America/Sao_Paulo")
	if m.Status != "queued" || str(m.Reason) != "quiet_hours" || due.In(loc).Hour() != 7 {
		t.Fatalf("quiet hours: %+v (due %s)", m, due.In(loc))
	}
	f.clock.Add(8 * time.Hour) // 07:30
	f.dispatch(t, "A")
	if m := f.messages(t, quiet)[0]; m.Status != "sent" {
		t.Fatalf("after the quiet hours: %+v", m)
	}
}

func TestMessaging_TemplatesIntegration(t *testing.T) {
	f := startMessaging(t, nil, nil)
	r := f.env.Do(t, http.MethodPut, ws(f.w, "/message-templates/order_status"), f.w.OwnerToken,
		map[string]string{"channel": "whatsapp", "body": "Olá {{customer_name}}, {{placa_secreta}}"})
	if r.Status != 422 || !strings.Contains(string(r.Body), `"body"`) || !strings.Contains(string(r.Body), "unknown_placeholder") {
		t.Fatalf("unknown placeholder: %d %s", r.Status, r.Body)
	}
	mustStatus(t, f.env.Do(t, http.MethodPut, ws(f.w, "/message-templates/order_status"), f.w.OwnerToken,
		map[string]string{"channel": "email", "subject": "OS {{order_number}}", "body": "Oi {{customer_name}}, status: {{status}}."}), 200, "template")
	p := mustStatus(t, f.env.Do(t, http.MethodPost, ws(f.w, "/message-templates/order_status/preview"), f.w.OwnerToken,
		map[string]string{"channel": "email"}), 200, "preview")
	if p["text"] != "Oi Maria Silva, status: pronto para retirada." || p["subject"] != "OS 1234" {
		t.Fatalf("preview %v", p)
	}
	list := mustStatus(t, f.env.Do(t, http.MethodGet, ws(f.w, "/message-templates"), f.w.OwnerToken, nil), 200, "list")
	own := 0
	for _, it := range list["items"].([]any) {
		if it.(map[string]any)["default"] == false {
			own++
		}
	}
	if own != 1 {
		t.Fatalf("%d own templates, want 1", own)
	}
	if r := f.env.Do(t, http.MethodPut, ws(f.w, "/message-templates/postcard"), f.w.OwnerToken,
		map[string]string{"channel": "email", "subject": "x", "body": "x"}); r.Status != 422 {
		t.Fatalf("unknown kind: %d", r.Status)
	}
}

func TestMessaging_WhatsAppWebhookIntegration(t *testing.T) {
	fake := fakewa.New()
	fake.AccessToken = "wa-token"
	srv := httptest.NewServer(fake)
	defer srv.Close()
	const secret = "wa-app-secret"
	cfg := whatsapp.Config{APIURL: srv.URL + "/v21.0", PhoneNumberID: "1234", AccessToken: "wa-token", AppSecret: secret, VerifyToken: "wa-verify"}
	wa, err := whatsapp.NewSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	waSwitch := &switchSender{}
	waSwitch.set(wa)
	f := startMessaging(t, func(c *wiring.Config) {
		c.Messaging.WhatsAppAPIURL, c.Messaging.WhatsAppPhoneNumberID = cfg.APIURL, cfg.PhoneNumberID
		c.Messaging.WhatsAppAccessToken, c.Messaging.WhatsAppAppSecret, c.Messaging.WhatsAppVerifyToken = cfg.AccessToken, secret, cfg.VerifyToken
	}, map[dmsg.Channel]appmsg.Sender{dmsg.ChannelWhatsApp: waSwitch})
	id := f.customer(t, "", "+5511987654321", "whatsapp")
	f.order(t, id, "in_progress")
	f.awaitMessages(t, id, 1)
	f.dispatch(t, "A")
	sent := fake.Messages()
	if len(sent) != 1 || sent[0].Type != "template" || sent[0].To != "5511987654321" {
		t.Fatalf("fake got %+v", sent)
	}
	if m := f.messages(t, id)[0]; m.Status != "sent" {
		t.Fatalf("after send: %+v", m)
	}
	// Handshake.
	hs := f.env.Do(t, http.MethodGet, "/api/v1/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wa-verify&hub.challenge=42", "", nil)
	if hs.Status != 200 || string(hs.Body) != "42" {
		t.Fatalf("handshake: %d %q", hs.Status, hs.Body)
	}
	if r := f.env.Do(t, http.MethodGet, "/api/v1/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=42", "", nil); r.Status != 403 {
		t.Fatalf("bad verify token: %d", r.Status)
	}
	hook := func(status string, sign func([]byte) string) int {
		body := fakewa.StatusWebhook("1234", sent[0].ID, sent[0].To, sent[0].CallbackData, status, time.Now())
		var h []string
		if sign != nil {
			h = []string{"X-Hub-Signature-256", sign(body)}
		}
		return f.env.Do(t, http.MethodPost, "/api/v1/webhooks/whatsapp", "", body, h...).Status
	}
	// Forged and unsigned: refused, nothing changes.
	if s := hook("read", nil); s != 401 {
		t.Fatalf("unsigned: %d", s)
	}
	if s := hook("read", func(b []byte) string { return whatsapp.Sign("forged", b) }); s != 401 {
		t.Fatalf("forged: %d", s)
	}
	if m := f.messages(t, id)[0]; m.Status != "sent" {
		t.Fatalf("a refused webhook changed the message: %+v", m)
	}
	// Out of order: read, then delivered, then sent; read stands.
	signed := func(b []byte) string { return whatsapp.Sign(secret, b) }
	for _, st := range []string{"read", "delivered", "sent"} {
		if s := hook(st, signed); s != 200 {
			t.Fatalf("%s: %d", st, s)
		}
	}
	if m := f.messages(t, id)[0]; m.Status != "read" {
		t.Fatalf("after out-of-order statuses: %+v", m)
	}

	// A worker dies after WhatsApp accepted a message, before recording it;
	// the status webhook arrives; the next worker does not send it again.
	died := &dyingSender{next: wa, accepted: make(chan struct{})}
	waSwitch.set(died)
	id2 := f.customer(t, "", "+5511987650001", "whatsapp")
	f.order(t, id2, "in_progress")
	f.awaitMessages(t, id2, 1)
	ctx, kill := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = f.uc.DispatchDue(ctx, appmsg.DeliveryConfig{Worker: "A", Lease: time.Minute})
	}()
	<-died.accepted
	kill()
	<-done
	if got := len(fake.Messages()); got != 2 {
		t.Fatalf("fake has %d messages, want 2", got)
	}
	m2 := fake.Messages()[1]
	body := fakewa.StatusWebhook("1234", m2.ID, m2.To, m2.CallbackData, "delivered", time.Now())
	if s := f.env.Do(t, http.MethodPost, "/api/v1/webhooks/whatsapp", "", body, "X-Hub-Signature-256", signed(body)).Status; s != 200 {
		t.Fatalf("webhook: %d", s)
	}
	waSwitch.set(wa)
	f.clock.Add(2 * time.Minute) // A's lease expired
	if n := f.dispatch(t, "B"); n != 1 {
		t.Fatalf("B claimed %d", n)
	}
	if got := len(fake.Messages()); got != 2 {
		t.Fatalf("the message was sent again: fake has %d messages", got)
	}
	if m := f.messages(t, id2)[0]; m.Status != "delivered" {
		t.Fatalf("after the webhook: %+v", m)
	}
	if n := f.dispatch(t, "B"); n != 0 {
		t.Fatalf("claimed %d after completion", n)
	}
}

// dyingSender sends through next, then "dies" (blocks until the worker's
// context ends) before the worker can record the send.
type dyingSender struct {
	next     appmsg.Sender
	accepted chan struct{}
	once     sync.Once
}

func (d *dyingSender) Send(ctx context.Context, m appmsg.Outgoing) (appmsg.Receipt, error) {
	if _, err := d.next.Send(ctx, m); err != nil {
		return appmsg.Receipt{}, err
	}
	d.once.Do(func() { close(d.accepted) })
	<-ctx.Done()
	return appmsg.Receipt{}, ctx.Err()
}

func TestMessaging_CampaignAndUnsubscribeIntegration(t *testing.T) {
	f := startMessaging(t, nil, nil)
	yes := "promo-yes-" + e2e.Unique() + "@example.com"
	no := "promo-no-" + e2e.Unique() + "@example.com"
	yid := f.customer(t, yes, "", "email")
	mustStatus(t, f.env.Do(t, http.MethodPost, ws(f.w, "/customers/"+yid+"/consents"), f.w.OwnerToken,
		map[string]string{"purpose": "marketing", "channel": "email", "source": "counter"}), 201, "marketing consent")
	nid := f.customer(t, no, "", "email")
	f.order(t, yid)
	f.order(t, nid)
	campaign := func() map[string]any {
		return mustStatus(t, f.env.Do(t, http.MethodPost, ws(f.w, "/campaigns"), f.w.OwnerToken, map[string]any{
			"name": "Revisão de verão", "channel": "email",
			"template": map[string]string{"subject": "{{workshop_name}}: revisão com desconto", "body": "Olá {{customer_name}}! 10% na revisão."},
			"segment":  map[string]any{"makes": []string{"volkswagen"}, "services": []string{"oil_change"}}}), 201, "campaign")
	}
	c := campaign()
	counts := c["counts"].(map[string]any)
	if counts["targeted"] != float64(2) || counts["skipped_no_consent"] != float64(1) {
		t.Fatalf("counts %v", counts)
	}
	f.dispatch(t, "A")
	got := mustStatus(t, f.env.Do(t, http.MethodGet, ws(f.w, "/campaigns/"+c["id"].(string)), f.w.OwnerToken, nil), 200, "campaign")
	if got["counts"].(map[string]any)["sent"] != float64(1) {
		t.Fatalf("counts after delivery %v", got["counts"])
	}
	if len(f.mailTo(t, no)) != 0 {
		t.Fatal("a customer without marketing consent got the campaign")
	}
	mails := f.mailTo(t, yes)
	if len(mails) != 1 {
		t.Fatalf("%d campaign e-mails", len(mails))
	}
	m, err := f.mail.Message(context.Background(), mails[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	tok := regexp.MustCompile(`/u/([A-Za-z0-9_-]+)`).FindStringSubmatch(m.Text)
	if tok == nil {
		t.Fatalf("no unsubscribe link in %q", m.Text)
	}
	if p := f.env.Do(t, http.MethodGet, "/u/"+tok[1], "", nil); p.Status != 200 {
		t.Fatalf("unsubscribe page: %d", p.Status)
	}
	mustStatus(t, f.env.Do(t, http.MethodPost, "/api/v1/unsubscribe/"+tok[1], "", nil), 200, "unsubscribe")
	if r := f.env.Do(t, http.MethodPost, "/api/v1/unsubscribe/nope", "", nil); r.Status != 404 {
		t.Fatalf("unknown unsubscribe token: %d", r.Status)
	}
	prefs := mustStatus(t, f.env.Do(t, http.MethodGet, ws(f.w, "/customers/"+yid+"/preferences"), f.w.OwnerToken, nil), 200, "prefs")
	if fmt.Sprint(prefs["opted_out"]) != "[email]" {
		t.Fatalf("preferences %v", prefs)
	}
	c2 := campaign()
	f.clock.Add(time.Minute)
	f.dispatch(t, "A")
	got = mustStatus(t, f.env.Do(t, http.MethodGet, ws(f.w, "/campaigns/"+c2["id"].(string)), f.w.OwnerToken, nil), 200, "campaign 2")
	if n := got["counts"].(map[string]any); n["sent"] != float64(0) || n["skipped_other"] != float64(1) {
		t.Fatalf("after unsubscribing: %v", n)
	}
	if len(f.mailTo(t, yes)) != 1 {
		t.Fatal("an unsubscribed customer got the second campaign")
	}
}
