package smtp_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/reminders"
	"github.com/torquehq/torque/infrastructure/smtp"
)

type sent struct{ to, subject, text string }

type fakeMailer struct{ got []sent }

func (m *fakeMailer) Send(_ context.Context, to, subject, text string) error {
	m.got = append(m.got, sent{to, subject, text})
	return nil
}

type contacts map[uuid.UUID]reminders.Contact

func (c contacts) Contact(_ context.Context, id uuid.UUID) (reminders.Contact, error) {
	return c[id], nil
}

func TestReminderMailer_sendsPtBRText(t *testing.T) {
	t.Parallel()
	ana, semEmail := uuid.New(), uuid.New()
	m := &fakeMailer{}
	n := &smtp.ReminderMailer{Mailer: m, Contacts: contacts{
		ana:      {Name: "Ana Lima", Email: "ana@example.com", WorkshopName: "Oficina do Zé"},
		semEmail: {Name: "Sem E-mail"},
	}}
	notice := reminders.Notice{CustomerID: ana, Items: []reminders.NoticeItem{
		{Vehicle: "Chevrolet Onix 2021", ServiceLabel: "Troca de óleo", DueAt: time.Date(2027, 3, 9, 0, 0, 0, 0, time.UTC), DueKm: 40500, HasDueKm: true},
		{Vehicle: "Chevrolet Onix 2021", ServiceLabel: "Fluido de freio", DueAt: time.Date(2028, 12, 3, 0, 0, 0, 0, time.UTC)},
	}}
	ch, err := n.Notify(context.Background(), notice)
	if err != nil || ch != "email" {
		t.Fatalf("Notify = %q, %v", ch, err)
	}
	if len(m.got) != 1 || m.got[0].to != "ana@example.com" || m.got[0].subject != "Lembrete de manutenção preventiva — Oficina do Zé" {
		t.Fatalf("sent %+v", m.got)
	}
	for _, want := range []string{"Olá, Ana Lima,", "Troca de óleo — Chevrolet Onix 2021: prevista para 09/03/2027 ou aos 40.500 km, o que vier primeiro.",
		"Fluido de freio — Chevrolet Onix 2021: prevista para 03/12/2028.", "Oficina do Zé"} {
		if !strings.Contains(m.got[0].text, want) {
			t.Errorf("text lacks %q:\n%s", want, m.got[0].text)
		}
	}
	notice.CustomerID = semEmail
	if _, err := n.Notify(context.Background(), notice); !errors.Is(err, reminders.ErrNoContact) {
		t.Fatalf("no e-mail: %v, want ErrNoContact", err)
	}
}
