package serviceorder

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/domain/br"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/validate"
)

// Quotes (orçamentos). A quote is a written estimate the workshop sends
// for an open order (CDC art. 40): its lines, a validity date and a note.
// Sending one moves the order to quoted; sending another while it waits
// supersedes it (version + 1). The car owner decides every line once, on
// the current version only; the decision is stored with its evidence (who,
// when, IP, user agent, the version decided).
//
// Outcome of a decision: the approved lines replace the order's items (its
// work) and the order moves to approved. When every line is declined the
// order is cancelled: the customer refused all the work, so nothing is
// left to do but hand the car back; a workshop that wants to negotiate
// sends a new quote before the customer decides, or opens a new order.

// Quote statuses as the API shows them.
const (
	QuoteStatusSent              = "sent"
	QuoteStatusApproved          = "approved"
	QuoteStatusPartiallyApproved = "partially_approved"
	QuoteStatusDeclined          = "declined"
	QuoteStatusSuperseded        = "superseded"
)

// Decisions of a quote line.
const (
	DecisionPending  = "pending"
	DecisionApproved = "approved"
	DecisionDeclined = "declined"
)

// Validation and conflict codes of quotes.
const (
	// CodeAlreadyDecided: the quote was decided before (409).
	CodeAlreadyDecided = "already_decided"
	// CodeSuperseded: a newer version of the quote exists (409).
	CodeSuperseded = "superseded"
	// CodeExpired: the quote's validity date has passed (409).
	CodeExpired = "expired"
	// CodeDuplicate: the same item is decided twice in one request (422).
	CodeDuplicate = "duplicate"
	// CodeMissing: an item of the quote is not decided (422).
	CodeMissing = "missing"
)

// Field names of quotes.
const (
	FieldValidUntil = "valid_until"
	FieldQuote      = "quote"
	FieldID         = "id"
	FieldApproved   = "approved"
)

const (
	maxEvidenceRunes = 500
	// brasilia is the offset a validity date ends in (Brazil has no
	// daylight-saving time since 2019; a few states are one or two hours
	// behind and so get a little more time, never less than the date says
	// in Brasília).
	brasiliaOffset = -3 * 60 * 60
)

// QuoteInput is a quote as received from the API.
type QuoteInput struct {
	Items []ItemInput
	// ValidUntil is an optional last day "YYYY-MM-DD" (Brasília time).
	ValidUntil string
	Note       string
}

// QuoteLine is a line of a quote as stored in events: an item with its own
// id, which the customer's decision names. Fields are part of the stored
// schema of QuoteSent: rename nothing.
type QuoteLine struct {
	ID             uuid.UUID
	Service        string
	Description    string
	Quantity       int64
	UnitPriceCents int64
	TotalCents     int64
}

// LineDecision is the customer's decision on one line, as stored.
type LineDecision struct {
	ItemID   uuid.UUID
	Approved bool
}

// Evidence is who decided a quote, and from where: the record of a
// written estimate's approval.
type Evidence struct {
	// ActorID is the identity (Ory) id of the person who decided.
	ActorID string
	// ActorEmail is the e-mail address the person proved at login.
	ActorEmail string
	IP         string
	UserAgent  string
}

// DecisionInput is a decision as received from the portal.
type DecisionInput struct {
	Items []ItemDecisionInput
}

// ItemDecisionInput is one line's decision; Approved nil is missing.
type ItemDecisionInput struct {
	ID       string
	Approved *bool
}

// Quote is a quote as the getters return it.
type Quote struct {
	ID         uuid.UUID
	Version    int64
	Status     string
	Items      []QuoteItem
	TotalCents int64
	// ValidUntil is "YYYY-MM-DD" or "".
	ValidUntil string
	Note       string
	SentBy     string
	SentAt     time.Time
	// Decision is nil until the customer decides.
	Decision *QuoteDecision
}

// QuoteItem is a line of a quote with its decision.
type QuoteItem struct {
	QuoteLine
	// Decision is pending, approved or declined.
	Decision string
}

// QuoteDecision is the evidence of a decision.
type QuoteDecision struct {
	Evidence
	// Version is the quote version decided.
	Version            int64
	ApprovedTotalCents int64
	DecidedAt          time.Time
}

// SendQuote validates in and sends a new quote for the order, which must
// be open or quoted (a quote waiting for the customer is superseded). The
// quote gets id quoteID and each line an id from newID; sentBy is the
// identity id of the staff member.
func (o *ServiceOrder) SendQuote(quoteID uuid.UUID, newID func() uuid.UUID, in QuoteInput, services ServiceLookup, sentBy string, now time.Time) error {
	if err := o.checkOpened(); err != nil {
		return err
	}
	if o.status != StatusOpen && o.status != StatusQuoted {
		return &TransitionError{From: o.status, To: StatusQuoted}
	}
	var col errs.Collector
	if len(in.Items) == 0 {
		col.Add(FieldItems, br.CodeRequired, "a quote needs at least one item")
	}
	items, total := parseItems(&col, in.Items, services)
	validUntil := strings.TrimSpace(in.ValidUntil)
	if validUntil != "" {
		end, err := validityEnd(validUntil)
		switch {
		case err != nil:
			col.Add(FieldValidUntil, br.CodeInvalidFormat, "valid_until must be a date YYYY-MM-DD")
		case !now.Before(end):
			col.Add(FieldValidUntil, br.CodeOutOfRange, "valid_until must not be in the past")
		}
	}
	note := validate.FreeText(&col, FieldNote, in.Note, maxNoteRunes, true)
	if err := col.Err(); err != nil {
		return err
	}
	lines := make([]QuoteLine, len(items))
	for i, it := range items {
		lines[i] = QuoteLine{ID: newID(), Service: it.Service, Description: it.Description, Quantity: it.Quantity,
			UnitPriceCents: it.UnitPriceCents, TotalCents: it.TotalCents}
	}
	o.rec.Record(QuoteSent{CustomerID: o.customerID, QuoteID: quoteID, Version: int64(len(o.quotes)) + 1,
		OrderNumber: o.number, Items: lines, TotalCents: total, ValidUntil: validUntil, Note: note,
		SentBy: sentBy, SentAt: now.UTC()})
	if o.status == StatusOpen {
		o.rec.Record(StatusChanged{CustomerID: o.customerID, From: StatusOpen.String(), To: StatusQuoted.String(), ChangedAt: now.UTC()})
	}
	return nil
}

// validityEnd is the instant a quote valid until date stops being valid:
// the next midnight in Brasília.
func validityEnd(date string) (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, date, time.FixedZone("BRT", brasiliaOffset))
	if err != nil {
		return time.Time{}, err
	}
	return d.AddDate(0, 0, 1), nil
}

// DecideQuote records the car owner's decision on quote quoteID: every line
// approved or declined, once, on the current version only. An unknown
// quote is errs.ErrNotFound; a superseded, decided or expired one an
// *errs.ConflictError; missing, unknown or repeated items are validation
// errors on "items" / "items[i].id". The approved lines become the order's
// items and the order moves to approved, or to cancelled when every line
// is declined.
func (o *ServiceOrder) DecideQuote(quoteID uuid.UUID, in DecisionInput, ev Evidence, now time.Time) error {
	if err := o.checkOpened(); err != nil {
		return err
	}
	q := o.quoteByID(quoteID)
	if q == nil {
		return fmt.Errorf("service order %d has no quote %s: %w", o.number, quoteID, errs.ErrNotFound)
	}
	switch {
	case q.decision != nil:
		return &errs.ConflictError{Field: FieldQuote, Code: CodeAlreadyDecided, Message: "the quote was already decided"}
	case q != &o.quotes[len(o.quotes)-1]:
		return &errs.ConflictError{Field: FieldQuote, Code: CodeSuperseded, Message: "a newer version of the quote was sent"}
	case q.validUntil != "" && q.expired(now):
		return &errs.ConflictError{Field: FieldQuote, Code: CodeExpired, Message: "the quote is no longer valid"}
	case o.status != StatusQuoted:
		return &TransitionError{From: o.status, To: StatusApproved}
	}
	decisions, err := parseDecisions(q, in)
	if err != nil {
		return err
	}
	// Evidence comes from the request, not the body: kept, but bounded.
	ev.IP = truncateRunes(strings.ToValidUTF8(ev.IP, ""), maxEvidenceRunes)
	ev.UserAgent = truncateRunes(strings.ToValidUTF8(ev.UserAgent, ""), maxEvidenceRunes)

	approved := map[uuid.UUID]bool{}
	for _, d := range decisions {
		approved[d.ItemID] = d.Approved
	}
	var approvedTotal int64
	var work []LineItem
	for _, l := range q.lines {
		if approved[l.ID] {
			approvedTotal += l.TotalCents // bounded: the quote's total did not overflow
			work = append(work, LineItem{Service: l.Service, Description: l.Description, Quantity: l.Quantity,
				UnitPriceCents: l.UnitPriceCents, TotalCents: l.TotalCents})
		}
	}
	at := now.UTC()
	o.rec.Record(QuoteDecided{CustomerID: o.customerID, QuoteID: q.id, Version: q.version, Decisions: decisions,
		ApprovedTotalCents: approvedTotal, ActorID: ev.ActorID, ActorEmail: ev.ActorEmail, IP: ev.IP,
		UserAgent: ev.UserAgent, DecidedAt: at})
	if len(work) == 0 {
		o.rec.Record(StatusChanged{CustomerID: o.customerID, From: StatusQuoted.String(), To: StatusCancelled.String(),
			Note: "Orçamento recusado pelo cliente", ChangedAt: at})
		return nil
	}
	// The approved lines replace the order's items, as ordinary item
	// events, so every projection of items keeps working unchanged.
	total := o.totalCents
	for _, it := range o.Items() { // a copy: recording applies, and removes from o.items
		total -= it.TotalCents
		o.rec.Record(ItemRemoved{CustomerID: o.customerID, Line: it.Line, TotalCents: total, RemovedAt: at})
	}
	line := o.lastLine
	for _, it := range work {
		line++
		it.Line = line
		total += it.TotalCents
		o.rec.Record(ItemAdded{CustomerID: o.customerID, Item: it, TotalCents: total, AddedAt: at})
	}
	o.rec.Record(StatusChanged{CustomerID: o.customerID, From: StatusQuoted.String(), To: StatusApproved.String(),
		Note: "Orçamento aprovado pelo cliente", ChangedAt: at})
	return nil
}

// parseDecisions checks that in decides every line of q exactly once and
// returns the decisions in the quote's line order.
func parseDecisions(q *quoteState, in DecisionInput) ([]LineDecision, error) {
	var col errs.Collector
	lines := map[uuid.UUID]bool{}
	for _, l := range q.lines {
		lines[l.ID] = true
	}
	got := map[uuid.UUID]bool{}
	for i, it := range in.Items {
		p := fmt.Sprintf("items[%d].", i)
		id, err := uuid.Parse(strings.TrimSpace(it.ID))
		switch {
		case strings.TrimSpace(it.ID) == "":
			col.Add(p+FieldID, br.CodeRequired, "id is required")
		case err != nil || !lines[id]:
			col.Add(p+FieldID, br.CodeUnknownValue, "no such item in this quote")
		default:
			if _, dup := got[id]; dup {
				col.Add(p+FieldID, CodeDuplicate, "the item is decided twice")
			} else if it.Approved != nil {
				got[id] = *it.Approved
			}
		}
		if it.Approved == nil {
			col.Add(p+FieldApproved, br.CodeRequired, "approved must be true or false")
		}
	}
	if err := col.Err(); err == nil {
		for _, l := range q.lines {
			if _, ok := got[l.ID]; !ok {
				col.Add(FieldItems, CodeMissing, "every item of the quote must be approved or declined")
				break
			}
		}
	}
	if err := col.Err(); err != nil {
		return nil, err
	}
	out := make([]LineDecision, 0, len(q.lines))
	for _, l := range q.lines {
		out = append(out, LineDecision{ItemID: l.ID, Approved: got[l.ID]})
	}
	return out, nil
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// quoteState is a quote inside the aggregate.
type quoteState struct {
	id         uuid.UUID
	version    int64
	lines      []QuoteLine
	totalCents int64
	validUntil string
	note       string
	sentBy     string
	sentAt     time.Time
	decision   *QuoteDecided
}

func (q *quoteState) expired(now time.Time) bool {
	end, err := validityEnd(q.validUntil)
	return err == nil && !now.Before(end)
}

func (o *ServiceOrder) quoteByID(id uuid.UUID) *quoteState {
	for i := range o.quotes {
		if o.quotes[i].id == id {
			return &o.quotes[i]
		}
	}
	return nil
}

func (o *ServiceOrder) applyQuoteSent(e QuoteSent) {
	o.quotes = append(o.quotes, quoteState{id: e.QuoteID, version: e.Version, lines: e.Items, totalCents: e.TotalCents,
		validUntil: e.ValidUntil, note: e.Note, sentBy: e.SentBy, sentAt: e.SentAt})
}

func (o *ServiceOrder) applyQuoteDecided(e QuoteDecided) {
	if q := o.quoteByID(e.QuoteID); q != nil {
		q.decision = &e
	}
}

// CurrentQuote returns the latest quote; ok is false when none was sent.
func (o *ServiceOrder) CurrentQuote() (Quote, bool) {
	if len(o.quotes) == 0 {
		return Quote{}, false
	}
	return o.quoteView(&o.quotes[len(o.quotes)-1]), true
}

// QuoteByID returns any version of the order's quotes (superseded ones
// have status superseded); ok is false for an id not of this order.
func (o *ServiceOrder) QuoteByID(id uuid.UUID) (Quote, bool) {
	q := o.quoteByID(id)
	if q == nil {
		return Quote{}, false
	}
	return o.quoteView(q), true
}

// QuoteIDs returns the ids of every quote of the order, oldest first.
func (o *ServiceOrder) QuoteIDs() []uuid.UUID {
	out := make([]uuid.UUID, len(o.quotes))
	for i, q := range o.quotes {
		out[i] = q.id
	}
	return out
}

func (o *ServiceOrder) quoteView(q *quoteState) Quote {
	out := Quote{ID: q.id, Version: q.version, Status: QuoteStatusSent, TotalCents: q.totalCents, ValidUntil: q.validUntil,
		Note: q.note, SentBy: q.sentBy, SentAt: q.sentAt}
	decided := map[uuid.UUID]bool{}
	if d := q.decision; d != nil {
		out.Decision = &QuoteDecision{Evidence: Evidence{ActorID: d.ActorID, ActorEmail: d.ActorEmail, IP: d.IP, UserAgent: d.UserAgent},
			Version: d.Version, ApprovedTotalCents: d.ApprovedTotalCents, DecidedAt: d.DecidedAt}
		for _, ld := range d.Decisions {
			decided[ld.ItemID] = ld.Approved
		}
	}
	approved, declined := 0, 0
	for _, l := range q.lines {
		it := QuoteItem{QuoteLine: l, Decision: DecisionPending}
		if a, ok := decided[l.ID]; ok {
			if a {
				it.Decision = DecisionApproved
				approved++
			} else {
				it.Decision = DecisionDeclined
				declined++
			}
		}
		out.Items = append(out.Items, it)
	}
	switch {
	case q.decision != nil && declined == 0:
		out.Status = QuoteStatusApproved
	case q.decision != nil && approved == 0:
		out.Status = QuoteStatusDeclined
	case q.decision != nil:
		out.Status = QuoteStatusPartiallyApproved
	case q != &o.quotes[len(o.quotes)-1]:
		out.Status = QuoteStatusSuperseded
	}
	return out
}
