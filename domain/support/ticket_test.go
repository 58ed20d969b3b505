package support_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/support"
)

var t0 = time.Date(2026, 3, 10, 13, 0, 0, 0, time.UTC)

func newTicket(t *testing.T) *support.Ticket {
	t.Helper()
	tk, err := support.Open(uuid.New(), support.OpenInput{CustomerID: uuid.New(), Subject: "Barulho", Body: "Na roda"}, t0.Add(time.Hour), t0)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func TestTicket_Transitions(t *testing.T) {
	legal := [][]string{
		{"in_progress", "waiting_customer", "resolved", "closed"},
		{"waiting_customer", "in_progress", "resolved"},
		{"resolved", "in_progress"},
	}
	for _, path := range legal {
		tk := newTicket(t)
		for _, st := range path {
			if err := tk.ChangeStatus(st, t0); err != nil {
				t.Fatalf("%v: %s refused: %v", path, st, err)
			}
		}
	}
	illegal := []struct{ path []string }{
		{[]string{"closed"}},
		{[]string{"in_progress", "closed"}},
		{[]string{"resolved", "closed", "in_progress"}},
		{[]string{"resolved", "closed", "open"}},
		{[]string{"in_progress", "open"}},
	}
	for _, c := range illegal {
		tk := newTicket(t)
		var err error
		for _, st := range c.path {
			if err = tk.ChangeStatus(st, t0); err != nil {
				break
			}
		}
		if !errors.Is(err, errs.ErrIllegalTransition) {
			t.Fatalf("%v: want an illegal transition, got %v", c.path, err)
		}
	}
	var ve *errs.ValidationError
	if err := newTicket(t).ChangeStatus("archived", t0); !errors.As(err, &ve) {
		t.Fatalf("unknown status: %v", err)
	}
}

func TestTicket_CustomerReplyReopensAndStaffReplyAnswers(t *testing.T) {
	tk := newTicket(t)
	if err := tk.StaffWrites(uuid.New(), "staff-1", "Pode trazer amanhã?", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if tk.Status() != support.StatusInProgress || !tk.FirstResponseAt().Equal(t0.Add(time.Minute)) {
		t.Fatalf("after staff reply: %s %v", tk.Status(), tk.FirstResponseAt())
	}
	for _, st := range []string{"waiting_customer", "resolved"} {
		if err := tk.ChangeStatus(st, t0); err != nil {
			t.Fatal(err)
		}
	}
	if err := tk.CustomerWrites(uuid.New(), "Voltou o barulho", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if tk.Status() != support.StatusInProgress {
		t.Fatalf("a customer message did not reopen the resolved ticket: %s", tk.Status())
	}
	_ = tk.ChangeStatus("resolved", t0)
	_ = tk.ChangeStatus("closed", t0)
	if err := tk.CustomerWrites(uuid.New(), "E agora?", t0); !errors.Is(err, errs.ErrIllegalTransition) {
		t.Fatalf("closed ticket took a message: %v", err)
	}
	if err := newTicket(t).CustomerWrites(uuid.New(), "   ", t0); err == nil {
		t.Fatal("blank message accepted")
	}
}

func TestHours_FirstResponseDueSkipsNightsWeekendsAndHolidays(t *testing.T) {
	sp, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		t.Skip("no tzdata")
	}
	h := support.Hours{Loc: sp, Windows: support.DefaultHours()}
	at := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, sp) }
	cases := []struct {
		name      string
		from, due time.Time
	}{
		{"inside hours", at(2026, 3, 10, 9, 0), at(2026, 3, 10, 13, 0)},
		{"runs past closing into the next morning", at(2026, 3, 10, 16, 0), at(2026, 3, 11, 10, 0)},
		{"night", at(2026, 3, 10, 22, 0), at(2026, 3, 11, 12, 0)},
		{"Saturday half day then Monday", at(2026, 3, 14, 10, 0), at(2026, 3, 16, 10, 0)},
		{"Sunday", at(2026, 3, 15, 10, 0), at(2026, 3, 16, 12, 0)},
		// 2026-04-03 is Good Friday, 04-04 Saturday: 2h Sat + 2h Mon.
		{"Good Friday is closed", at(2026, 4, 2, 17, 0), at(2026, 4, 4, 11, 0)},
		{"Tiradentes (Tue 2026-04-21)", at(2026, 4, 20, 18, 30), at(2026, 4, 22, 12, 0)},
	}
	for _, c := range cases {
		if got := h.AddOpenTime(c.from, support.FirstResponseTarget); !got.Equal(c.due) {
			t.Errorf("%s: due %v, want %v", c.name, got.In(sp), c.due)
		}
	}
	if !h.IsOpen(at(2026, 3, 10, 9, 0)) || h.IsOpen(at(2026, 3, 10, 19, 0)) || h.IsOpen(at(2026, 4, 21, 10, 0)) {
		t.Fatal("IsOpen disagrees with the default hours")
	}
}

func TestValidateArticle(t *testing.T) {
	if _, err := support.ValidateArticle(support.ArticleInput{Kind: "faq", Title: " Óleo ", BodyMarkdown: "x"}); err != nil {
		t.Fatal(err)
	}
	_, err := support.ValidateArticle(support.ArticleInput{Kind: "blog"})
	var ve *errs.ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 3 {
		t.Fatalf("want kind, title and body_markdown: %v", err)
	}
}
