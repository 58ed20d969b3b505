package bench

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	appmsg "github.com/torquehq/torque/application/messaging"
	"github.com/torquehq/torque/application/usecase"
	dmsg "github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/smtp"
	"github.com/torquehq/torque/internal/e2e"
	"github.com/torquehq/torque/internal/mailpit"
	"github.com/torquehq/torque/internal/wiring"
)

// BenchmarkEmailDelivery measures messages per second through Torque's
// e-mail channel into Mailpit (outbox claim with FOR UPDATE SKIP LOCKED and
// a lease, send-time rules read from the read models, template rendering,
// multipart e-mail, outcome recorded; retries on), beside a plain loop of
// SMTP sends of the same number of e-mails to the same server, in the same
// run. MESSAGING_BENCH_N messages per round (default 200).
func BenchmarkEmailDelivery(b *testing.B) {
	n := envInt("MESSAGING_BENCH_N", 200)
	env := e2e.StartWith(b, e2e.Options{Configure: func(c *wiring.Config) { c.Messaging.DeliveryInterval = -1 }})
	w := env.Signup(b, "pro")
	tid, err := tenant.Parse(w.ID)
	if err != nil {
		b.Fatal(err)
	}
	ctx := tenant.WithTenant(context.Background(), tid)
	run := e2e.Unique()
	ids := make([]uuid.UUID, n)
	addrs := make([]string, n)
	for i := range ids {
		addrs[i] = fmt.Sprintf("bench-%s-%d@example.com", run, i)
		r := env.Do(b, http.MethodPost, "/api/v1/workshops/"+w.Slug+"/customers", w.OwnerToken, map[string]any{"name": "Cliente", "email": addrs[i]})
		if r.Status != 201 {
			b.Fatalf("customer: %d %s", r.Status, r.Body)
		}
		ids[i] = uuid.MustParse(r.JSON()["id"].(string))
		env.Do(b, http.MethodPost, "/api/v1/workshops/"+w.Slug+"/customers/"+ids[i].String()+"/consents", w.OwnerToken,
			map[string]string{"purpose": "service_messages", "channel": "email", "source": "counter"})
	}
	mailer := env.Sys.Mailer // the stack's Mailpit, as the system is configured
	loc, _ := time.LoadLocation("America/Sao_Paulo")
	noon := time.Date(time.Now().Year()+1, time.March, 10, 12, 0, 0, 0, loc)
	deps := wiring.MessagingDeps(env.Sys, map[dmsg.Channel]appmsg.Sender{dmsg.ChannelEmail: smtp.NewMessageSender(mailer)}, []byte(wiring.LocalMessagingTokenKey))
	uc, err := appmsg.New(usecase.Base{Clock: func() time.Time { return noon }}, deps)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = mailpit.New("http://127.0.0.1:8025", nil).DeleteTo(context.Background(), "bench-"+run) })

	for _, workers := range []int{1, 4} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			var torque, plain time.Duration
			for round := 0; round < b.N; round++ {
				for i, id := range ids {
					if _, err := uc.Enqueue(ctx, appmsg.EnqueueRequest{CustomerID: id, Kind: dmsg.KindOrderStatus, Channel: dmsg.ChannelEmail,
						DedupeKey: fmt.Sprintf("bench:%d:%d:%d", workers, round, i), Vars: map[string]string{"status": "completed"}}); err != nil {
						b.Fatal(err)
					}
				}
				start := time.Now()
				var wg sync.WaitGroup
				for k := 0; k < workers; k++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for {
							got, err := uc.DispatchDue(context.Background(), appmsg.DeliveryConfig{Worker: fmt.Sprint("w", k), Batch: 20})
							if err != nil {
								b.Error(err)
								return
							}
							if got == 0 {
								return
							}
						}
					}()
				}
				wg.Wait()
				torque += time.Since(start)

				start = time.Now()
				per := (n + workers - 1) / workers
				for k := 0; k < workers; k++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := k * per; i < min(n, (k+1)*per); i++ {
							if err := mailer.Send(context.Background(), addrs[i], "Sua ordem de serviço", "Olá! Seu carro está pronto."); err != nil {
								b.Error(err)
								return
							}
						}
					}()
				}
				wg.Wait()
				plain += time.Since(start)
			}
			tps := float64(n*b.N) / torque.Seconds()
			pps := float64(n*b.N) / plain.Seconds()
			b.ReportMetric(tps, "torque_msgs/s")
			b.ReportMetric(pps, "plain_smtp_msgs/s")
			b.ReportMetric(tps/pps, "ratio")
		})
	}
}
