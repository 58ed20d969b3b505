package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// Issue 12: every quote sent (the first and each new version) tells the
// customer once, with the portal link of that quote; the status change to
// "quoted" that follows the first one sends nothing more.
func TestMessaging_QuoteSentSendsThePortalLinkIntegration(t *testing.T) {
	f := startMessaging(t, nil, nil)
	addr := "quote-" + strings.ToLower(messagingPlate()) + "@example.com"
	cid := f.customer(t, addr, "", "email")
	oid := f.order(t, cid)
	send := func(price int) string {
		q := mustStatus(t, f.env.Do(t, http.MethodPost, ws(f.w, "/service-orders/"+oid+"/quote"), f.w.OwnerToken, fmt.Sprintf(
			`{"items":[{"service":"brake_pads","description":"Pastilhas","quantity":1,"unit_price_cents":%d},
			           {"service":"oil_change","description":"Óleo","quantity":1,"unit_price_cents":15000}],"valid_until":"2099-12-31"}`, price)),
			201, "quote")
		return q["id"].(string)
	}
	first := send(32000)
	f.awaitMessages(t, cid, 1)
	if n := f.dispatch(t, "A"); n != 1 {
		t.Fatalf("claimed %d messages after the first quote, want 1", n)
	}
	second := send(30000)
	ms := f.awaitMessages(t, cid, 2)
	if n := f.dispatch(t, "A"); n != 1 {
		t.Fatalf("claimed %d messages after the second quote, want 1", n)
	}
	for _, m := range ms {
		if m.Kind != "quote" || m.Status != "sent" && m.Status != "queued" {
			t.Fatalf("message %+v", m)
		}
	}
	if ms = f.messages(t, cid); len(ms) != 2 {
		t.Fatalf("%d messages, want exactly one per quote: %+v", len(ms), ms)
	}
	texts := map[string]bool{}
	for _, s := range f.mailTo(t, addr) {
		m, err := f.mail.Message(context.Background(), s.ID)
		if err != nil {
			t.Fatal(err)
		}
		texts[m.Text] = true
	}
	if len(texts) != 2 {
		t.Fatalf("%d e-mails, want 2; messages %+v", len(texts), describe(f.messages(t, cid)))
	}
	for _, id := range []string{first, second} {
		link := f.env.Config.PublicURL + "/p/" + f.w.Slug + "/quotes/" + id
		found := false
		for text := range texts {
			if strings.Contains(text, link) && strings.Contains(text, "31/12/2099") {
				found = true
			}
		}
		if !found {
			t.Fatalf("no e-mail with %s and the validity in %v", link, texts)
		}
	}
	var total bool
	for text := range texts {
		total = total || strings.Contains(text, "R$ 470,00")
	}
	if !total {
		t.Fatalf("no e-mail shows the first quote's total R$ 470,00: %v", texts)
	}
}

func describe(ms []messageOut) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Kind+" "+m.Status+" "+str(m.Reason)+" "+str(m.Channel))
	}
	return out
}
