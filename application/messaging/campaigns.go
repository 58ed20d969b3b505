package messaging

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/messaging"
)

// Segment selects a campaign's customers; empty fields select everyone.
type Segment struct {
	LastVisitBefore *time.Time
	LastVisitAfter  *time.Time
	Services        []string
	Makes           []string
	Cities          []string
}

// Target is a customer in a segment.
type Target struct {
	CustomerID uuid.UUID
	// Consent: marketing consent on the campaign's channel (or on all).
	Consent bool
}

// Campaign is a stored campaign with its counts.
type Campaign struct {
	ID        uuid.UUID
	Name      string
	Channel   string
	Subject   string
	Body      string
	Segment   Segment
	SendAt    time.Time
	CreatedAt time.Time
	Counts    CampaignCounts
}

// CampaignCounts are a campaign's message counts (API.md).
type CampaignCounts struct {
	Targeted, SkippedNoConsent, SkippedOther, Sent, Delivered, Failed int
}

// CampaignStore keeps campaigns (tenant of ctx).
type CampaignStore interface {
	// Targets lists the customers in the segment (erased ones excluded).
	Targets(ctx context.Context, s Segment, ch messaging.Channel) ([]Target, error)
	// CreateCampaign stores the campaign and its messages in one transaction.
	CreateCampaign(ctx context.Context, c Campaign, msgs []NewMessage) error
	// Campaign returns one campaign with counts (errs.ErrNotFound).
	Campaign(ctx context.Context, id uuid.UUID) (Campaign, error)
	// Campaigns lists the workshop's campaigns, newest first, with counts.
	Campaigns(ctx context.Context) ([]Campaign, error)
}

// CampaignInput is a campaign as received.
type CampaignInput struct {
	Name, Channel, Subject, Body string
	Segment                      Segment
	SendAt                       *time.Time
}

// CreateCampaign stores a campaign and one message per customer of the
// segment: customers without marketing consent on the channel are counted
// as skipped (no_consent) and never contacted; the others are queued for
// SendAt and checked again at send time. Every message carries an
// unsubscribe link. Permission: message.manage.
func (u *UseCases) CreateCampaign(ctx context.Context, in CampaignInput) (Campaign, error) {
	if _, err := authz.Require(ctx, authz.ManageMessaging); err != nil {
		return Campaign{}, err
	}
	if u.d.Campaigns == nil {
		return Campaign{}, fmt.Errorf("campaigns: %w", errs.ErrNotFound)
	}
	var col errs.Collector
	name := strings.TrimSpace(in.Name)
	if name == "" {
		col.Add("name", messaging.CodeRequired, "name is required")
	} else if utf8.RuneCountInString(name) > 120 {
		col.Add("name", messaging.CodeTooLong, "name must have at most 120 characters")
	}
	ch, err := messaging.ParseChannel("channel", in.Channel)
	addField(&col, err)
	var tpl messaging.Template
	if !ch.IsZero() {
		tpl, err = messaging.NewTemplate(messaging.KindCampaign, ch, in.Subject, in.Body)
		prefixField(&col, "template.", err)
	}
	if err := col.Err(); err != nil {
		return Campaign{}, err
	}
	now := u.base.Now()
	sendAt := now
	if in.SendAt != nil && in.SendAt.After(now) {
		sendAt = in.SendAt.UTC().Truncate(time.Microsecond)
	}
	targets, err := u.d.Campaigns.Targets(ctx, in.Segment, ch)
	if err != nil {
		return Campaign{}, err
	}
	c := Campaign{ID: u.base.NewID(), Name: name, Channel: ch.String(), Subject: tpl.Subject, Body: tpl.Body,
		Segment: in.Segment, SendAt: sendAt, CreatedAt: now}
	msgs := make([]NewMessage, 0, len(targets))
	for _, t := range targets {
		m := NewMessage{ID: u.base.NewID(), CustomerID: t.CustomerID, Kind: messaging.KindCampaign, Channel: ch,
			DedupeKey: "campaign:" + c.ID.String() + ":" + t.CustomerID.String(),
			Vars:      map[string]string{"subject": tpl.Subject, "body": tpl.Body}, CampaignID: c.ID, DueAt: sendAt, CreatedAt: now}
		if !t.Consent {
			m.SkipReason = messaging.ReasonNoConsent
		}
		msgs = append(msgs, m)
	}
	if err := u.d.Campaigns.CreateCampaign(ctx, c, msgs); err != nil {
		return Campaign{}, err
	}
	return u.d.Campaigns.Campaign(ctx, c.ID)
}

func addField(col *errs.Collector, err error) { prefixField(col, "", err) }

func prefixField(col *errs.Collector, prefix string, err error) {
	var ve *errs.ValidationError
	if errorsAs(err, &ve) {
		for _, f := range ve.Fields {
			col.Add(prefix+f.Field, f.Code, f.Message)
		}
	}
}
