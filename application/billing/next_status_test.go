package billing_test

import (
	"testing"
	"time"

	"github.com/torquehq/torque/application/billing"
)

var t0 = time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)

// at is t0 plus s seconds: the events' Created times.
func at(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }

const (
	subA = "sub_A"
	subB = "sub_B"
	cus  = "cus_1"
)

// subEv is a customer.subscription.* event of subscription subA on plan pro.
func subEv(typ, status string, created int) billing.WebhookEvent {
	return billing.WebhookEvent{
		ID: "evt_" + typ, Type: typ, Created: at(created), WorkshopID: "w1",
		CustomerID: cus, SubscriptionID: subA, SubscriptionStatus: status, Plan: "pro",
	}
}

func created(status string, s int) billing.WebhookEvent {
	return subEv(billing.EventCustomerSubscriptionCreated, status, s)
}

func updated(status string, s int) billing.WebhookEvent {
	return subEv(billing.EventCustomerSubscriptionUpdated, status, s)
}

func deleted(s int) billing.WebhookEvent {
	return subEv(billing.EventCustomerSubscriptionDeleted, "canceled", s)
}

func invoice(typ string, s int) billing.WebhookEvent {
	return billing.WebhookEvent{
		ID: "evt_" + typ, Type: typ, Created: at(s), WorkshopID: "w1",
		CustomerID: cus, SubscriptionID: subA, Plan: "pro",
	}
}

func paid(s int) billing.WebhookEvent   { return invoice(billing.EventInvoicePaid, s) }
func failed(s int) billing.WebhookEvent { return invoice(billing.EventInvoicePaymentFailed, s) }

func checkout(s int) billing.WebhookEvent {
	return billing.WebhookEvent{
		ID: "evt_cs", Type: billing.EventCheckoutSessionCompleted, Created: at(s),
		WorkshopID: "w1", CustomerID: cus, SubscriptionID: subA,
	}
}

func onSub(id string, ev billing.WebhookEvent) billing.WebhookEvent {
	ev.SubscriptionID = id
	return ev
}

func withPlan(plan string, ev billing.WebhookEvent) billing.WebhookEvent {
	ev.Plan = plan
	return ev
}

func withStatus(status string, ev billing.WebhookEvent) billing.WebhookEvent {
	ev.SubscriptionStatus = status
	return ev
}

// following is the state of a workshop that follows subA on plan pro.
func following(workshop, sub billing.Status, last int) billing.WorkshopBillingState {
	return billing.WorkshopBillingState{
		Status: workshop, SubscriptionStatus: sub, CustomerID: cus, SubscriptionID: subA,
		Plan: billing.PlanPro, LastEventAt: at(last),
	}
}

// signedUp is the state right after signup: usable at once, in trial.
var signedUp = billing.WorkshopBillingState{Status: billing.StatusTrialing}

type step struct {
	ev          billing.WebhookEvent
	wantChanged bool
}

func TestNextStatus(t *testing.T) {
	t.Parallel()
	var (
		trialing  = billing.StatusTrialing
		active    = billing.StatusActive
		pastDue   = billing.StatusPastDue
		canceled  = billing.StatusCanceled
		suspended = billing.StatusSuspended
	)

	tests := []struct {
		name  string
		start billing.WorkshopBillingState
		steps []step
		want  billing.WorkshopBillingState
	}{
		{
			name:  "trial signup in order",
			start: signedUp,
			steps: []step{{created("trialing", 0), true}, {paid(0), false}, {checkout(1), false}},
			want:  following(trialing, trialing, 0),
		},
		{
			name:  "trial signup in reverse order",
			start: signedUp,
			steps: []step{{checkout(1), true}, {paid(0), true}, {created("trialing", 0), true}},
			want:  following(trialing, trialing, 0),
		},
		{
			// The paid invoice does not end the "trial" the workshop was created
			// in, so it must not make the older snapshot stale either.
			name:  "signup without trial in reverse order",
			start: signedUp,
			steps: []step{{checkout(2), true}, {paid(1), true}, {created("active", 0), true}},
			want:  following(active, active, 0),
		},
		{
			name:  "trial ends",
			start: following(trialing, trialing, 0),
			steps: []step{{updated("active", 100), true}, {paid(100), false}},
			want:  following(active, active, 100),
		},
		{
			name:  "trial ends, invoice first",
			start: following(trialing, trialing, 0),
			steps: []step{{paid(100), false}, {updated("active", 100), true}},
			want:  following(active, active, 100),
		},
		{
			name:  "paid invoice does not end a trial",
			start: following(trialing, trialing, 0),
			steps: []step{{paid(50), false}},
			want:  following(trialing, trialing, 0),
		},
		{
			name:  "paid invoice before any snapshot",
			start: billing.WorkshopBillingState{},
			steps: []step{{paid(10), true}},
			want:  following(active, active, 10),
		},
		{
			name:  "payment fails, late older active snapshot is stale",
			start: following(trialing, trialing, 0),
			steps: []step{{updated("active", 100), true}, {failed(200), true}, {updated("active", 150), false}},
			want:  following(pastDue, pastDue, 200),
		},
		{
			name:  "recovery, late older failure is stale",
			start: following(pastDue, pastDue, 200),
			steps: []step{{paid(300), true}, {failed(250), false}, {updated("past_due", 260), false}, {updated("active", 300), false}},
			want:  following(active, active, 300),
		},
		{
			name:  "failure and past_due snapshot in the same second, either order",
			start: following(active, active, 100),
			steps: []step{{updated("past_due", 200), true}, {failed(200), false}, {failed(200), false}},
			want:  following(pastDue, pastDue, 200),
		},
		{
			name:  "unpaid counts as past due",
			start: following(active, active, 100),
			steps: []step{{updated("unpaid", 200), true}},
			want:  following(pastDue, pastDue, 200),
		},
		{
			name:  "paused counts as past due",
			start: following(trialing, trialing, 0),
			steps: []step{{updated("paused", 200), true}},
			want:  following(pastDue, pastDue, 200),
		},
		{
			name:  "incomplete says nothing about the status yet",
			start: signedUp,
			steps: []step{{created("incomplete", 0), true}, {updated("active", 5), true}},
			want:  following(active, active, 5),
		},
		{
			name:  "incomplete_expired is canceled",
			start: signedUp,
			steps: []step{{created("incomplete", 0), true}, {updated("incomplete_expired", 86400), true}},
			want:  following(canceled, canceled, 86400),
		},
		{
			name:  "deleted is terminal: a late older update does not resurrect",
			start: following(active, active, 100),
			steps: []step{{deleted(500), true}, {updated("active", 400), false}},
			want:  following(canceled, canceled, 500),
		},
		{
			name:  "deleted is terminal: nothing of that subscription changes it later",
			start: following(active, active, 100),
			steps: []step{{deleted(500), true}, {updated("active", 600), false}, {paid(700), false}, {failed(800), false}},
			want:  following(canceled, canceled, 500),
		},
		{
			name:  "deleted applies even when older than the last event",
			start: following(active, active, 100),
			steps: []step{{failed(505), true}, {deleted(500), true}},
			want:  following(canceled, canceled, 505),
		},
		{
			name:  "duplicate deletion",
			start: following(active, active, 100),
			steps: []step{{deleted(500), true}, {deleted(500), false}},
			want:  following(canceled, canceled, 500),
		},
		{
			name:  "duplicate update",
			start: following(active, active, 100),
			steps: []step{{updated("past_due", 200), true}, {updated("past_due", 200), false}},
			want:  following(pastDue, pastDue, 200),
		},
		{
			name:  "duplicate payment failure",
			start: following(active, active, 100),
			steps: []step{{failed(200), true}, {failed(200), false}},
			want:  following(pastDue, pastDue, 200),
		},
		{
			name:  "a newer snapshot that changes nothing still makes older ones stale",
			start: following(active, active, 100),
			steps: []step{{updated("active", 300), true}, {updated("past_due", 200), false}},
			want:  following(active, active, 300),
		},
		{
			name:  "plan change, late older plan is stale",
			start: following(active, active, 100),
			steps: []step{
				{withPlan("franchise", updated("active", 300)), true},
				{withPlan("basic", updated("active", 200)), false},
			},
			want: func() billing.WorkshopBillingState {
				s := following(active, active, 300)
				s.Plan = billing.PlanFranchise
				return s
			}(),
		},
		{
			name:  "unknown price keeps the plan",
			start: following(active, active, 100),
			steps: []step{{withPlan("", updated("active", 300)), true}},
			want:  following(active, active, 300),
		},
		{
			name:  "checkout carrying the subscription status",
			start: signedUp,
			steps: []step{{withStatus("active", checkout(3)), true}, {created("active", 2), false}},
			want: func() billing.WorkshopBillingState {
				s := following(active, active, 3)
				s.Plan = billing.Plan{}
				return s
			}(),
		},
		{
			name: "suspended: webhooks keep the subscription current but never lift it",
			start: func() billing.WorkshopBillingState {
				s := following(trialing, trialing, 0)
				s.Status = suspended
				return s
			}(),
			steps: []step{{updated("active", 100), true}, {paid(100), false}, {failed(200), true}, {paid(300), true}},
			want:  following(suspended, active, 300),
		},
		{
			name:  "suspended: deletion is recorded, status stays suspended",
			start: func() billing.WorkshopBillingState { s := following(active, active, 0); s.Status = suspended; return s }(),
			steps: []step{{deleted(100), true}, {paid(200), false}},
			want:  following(suspended, canceled, 100),
		},
		{
			name:  "suspended before any subscription event",
			start: billing.WorkshopBillingState{Status: suspended},
			steps: []step{{paid(10), true}},
			want:  following(suspended, active, 10),
		},
		{
			name:  "unhandled type",
			start: following(active, active, 100),
			steps: []step{{billing.WebhookEvent{ID: "evt_x", Type: "customer.updated", Created: at(200), CustomerID: cus}, false}},
			want:  following(active, active, 100),
		},
		{
			name:  "handled type without subscription",
			start: following(active, active, 100),
			steps: []step{{onSub("", failed(200)), false}},
			want:  following(active, active, 100),
		},
		{
			name:  "another subscription while the followed one is live",
			start: following(active, active, 100),
			steps: []step{{onSub(subB, updated("canceled", 200)), false}, {onSub(subB, deleted(300)), false}},
			want:  following(active, active, 100),
		},
		{
			name:  "subscribing again after cancellation follows the new subscription",
			start: following(canceled, canceled, 500),
			steps: []step{
				{onSub(subB, checkout(902)), true},
				{onSub(subB, created("trialing", 900)), true},
				{updated("active", 950), false}, // the old one stays over
				{deleted(960), false},
			},
			want: func() billing.WorkshopBillingState {
				s := following(trialing, trialing, 900)
				s.SubscriptionID = subB
				return s
			}(),
		},
		{
			name:  "a new subscription's event older than the cancellation is ignored",
			start: following(canceled, canceled, 500),
			steps: []step{{onSub(subB, created("active", 400)), false}},
			want:  following(canceled, canceled, 500),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			state := tt.start
			for i, s := range tt.steps {
				next, changed := billing.NextStatus(state, s.ev)
				if changed != s.wantChanged {
					t.Errorf("step %d (%s %s@%s): changed = %v, want %v",
						i, s.ev.Type, s.ev.SubscriptionStatus, s.ev.Created.Format(time.TimeOnly), changed, s.wantChanged)
				}
				if !changed && !next.Equal(state) {
					t.Errorf("step %d: changed = false but state moved from %+v to %+v", i, state, next)
				}
				state = next
			}
			if !state.Equal(tt.want) {
				t.Errorf("final state\n got %+v\nwant %+v", state, tt.want)
			}
		})
	}
}

// TestNextStatus_anyArrivalOrder replays one realistic life of a subscription
// in every arrival order of events that happened in different seconds and
// checks that every order ends in the same state.
func TestNextStatus_anyArrivalOrder(t *testing.T) {
	t.Parallel()
	life := []billing.WebhookEvent{
		created("trialing", 0), paid(0), checkout(1),
		updated("active", 1000), // trial ends
		failed(2000), updated("past_due", 2001),
		paid(3000), updated("active", 3001),
		deleted(4000),
	}
	want := following(billing.StatusCanceled, billing.StatusCanceled, 4000)

	var permute func(k int)
	perm := append([]billing.WebhookEvent(nil), life...)
	n := 0
	permute = func(k int) {
		if k == len(perm) {
			n++
			state := signedUp
			for _, ev := range perm {
				state, _ = billing.NextStatus(state, ev)
			}
			// A deletion may arrive first, so LastEventAt is the deletion's
			// time or later; status and ids must not depend on order.
			if state.Status != want.Status || state.SubscriptionStatus != want.SubscriptionStatus ||
				state.SubscriptionID != want.SubscriptionID || state.CustomerID != want.CustomerID {
				t.Fatalf("order %v: got %+v, want %+v", types(perm), state, want)
			}
			return
		}
		for i := k; i < len(perm); i++ {
			perm[k], perm[i] = perm[i], perm[k]
			permute(k + 1)
			perm[k], perm[i] = perm[i], perm[k]
		}
	}
	permute(0)
	if n == 0 {
		t.Fatal("no permutation ran")
	}
}

// TestNextStatus_lateSnapshotsInAnyOrder checks that, without a deletion, the
// newest snapshot wins whatever the arrival order.
func TestNextStatus_lateSnapshotsInAnyOrder(t *testing.T) {
	t.Parallel()
	evs := []billing.WebhookEvent{
		updated("active", 1000), updated("past_due", 2001), updated("active", 3001), updated("past_due", 4001),
		failed(4000), paid(3000), failed(2000),
	}
	for i := range evs {
		for j := range evs {
			if i == j {
				continue
			}
			order := []billing.WebhookEvent{evs[i], evs[j]}
			for k := range evs {
				if k != i && k != j {
					order = append(order, evs[k])
				}
			}
			state := following(billing.StatusTrialing, billing.StatusTrialing, 0)
			for _, ev := range order {
				state, _ = billing.NextStatus(state, ev)
			}
			if state.Status != billing.StatusPastDue || !state.LastEventAt.Equal(at(4001)) {
				t.Fatalf("order %v: got %+v, want past_due at 4001", types(order), state)
			}
		}
	}
}

func types(evs []billing.WebhookEvent) []string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = ev.Type + "/" + ev.SubscriptionStatus + "@" + ev.Created.Format(time.TimeOnly)
	}
	return out
}

func TestParsePlan(t *testing.T) {
	t.Parallel()
	for _, p := range billing.Plans() {
		got, err := billing.ParsePlan(p.String())
		if err != nil || got != p {
			t.Errorf("ParsePlan(%q) = %v, %v", p, got, err)
		}
	}
	for _, bad := range []string{"", "Basic", "enterprise", " pro"} {
		if _, err := billing.ParsePlan(bad); err == nil {
			t.Errorf("ParsePlan(%q): want error", bad)
		}
	}
}

func TestParseStatus(t *testing.T) {
	t.Parallel()
	for _, s := range []billing.Status{billing.StatusTrialing, billing.StatusActive, billing.StatusPastDue, billing.StatusCanceled, billing.StatusSuspended} {
		got, err := billing.ParseStatus(s.String())
		if err != nil || got != s {
			t.Errorf("ParseStatus(%q) = %v, %v", s, got, err)
		}
	}
	if _, err := billing.ParseStatus("pending"); err == nil {
		t.Error("ParseStatus(pending): want error")
	}
}
