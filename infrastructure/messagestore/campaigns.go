package messagestore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	appmsg "github.com/torquehq/torque/application/messaging"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/postgres"
)

var _ appmsg.CampaignStore = (*PostgresCampaigns)(nil)

// PostgresCampaigns keeps campaigns and selects their segments from the
// registry read models.
type PostgresCampaigns struct {
	pool   *pgxpool.Pool
	cipher privacy.Cipher
}

// NewCampaigns returns the adapter; cipher opens the customers' cities.
func NewCampaigns(pool *pgxpool.Pool, cipher privacy.Cipher) *PostgresCampaigns {
	return &PostgresCampaigns{pool: pool, cipher: cipher}
}

func lower(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s = strings.ToLower(strings.TrimSpace(s)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Targets implements messaging.CampaignStore.
func (s *PostgresCampaigns) Targets(ctx context.Context, seg appmsg.Segment, ch messaging.Channel) ([]appmsg.Target, error) {
	type row struct {
		id   uuid.UUID
		city *string
	}
	rows, err := collect(ctx, s.pool, func(r pgx.CollectableRow) (row, error) {
		var x row
		err := r.Scan(&x.id, &x.city)
		return x, err
	}, `SELECT c.customer_id, c.city_enc FROM registry_customers c
	WHERE c.tenant_id = $1 AND NOT c.erased
	AND ($2::timestamptz IS NULL OR coalesce((SELECT max(o.opened_at) FROM registry_service_orders o
	     WHERE o.tenant_id = c.tenant_id AND o.customer_id = c.customer_id AND o.status <> 'cancelled'), '-infinity') < $2)
	AND ($3::timestamptz IS NULL OR (SELECT max(o.opened_at) FROM registry_service_orders o
	     WHERE o.tenant_id = c.tenant_id AND o.customer_id = c.customer_id AND o.status <> 'cancelled') > $3)
	AND (coalesce(cardinality($4::text[]), 0) = 0 OR EXISTS (SELECT 1 FROM registry_service_orders o, jsonb_array_elements(o.items) i
	     WHERE o.tenant_id = c.tenant_id AND o.customer_id = c.customer_id AND i->>'service' = ANY($4)))
	AND (coalesce(cardinality($5::text[]), 0) = 0 OR EXISTS (SELECT 1 FROM registry_vehicles v
	     WHERE v.tenant_id = c.tenant_id AND v.customer_id = c.customer_id AND lower(v.make) = ANY($5)))
	ORDER BY c.customer_id`, seg.LastVisitBefore, seg.LastVisitAfter, seg.Services, lower(seg.Makes))
	if err != nil {
		return nil, err
	}
	cities := lower(seg.Cities)
	consents, err := s.marketingConsents(ctx)
	if err != nil {
		return nil, err
	}
	var out []appmsg.Target
	for _, r := range rows {
		if len(cities) > 0 {
			if r.city == nil {
				continue
			}
			pt, err := s.cipher.Decrypt(ctx, r.id, "registry_customers.city", *r.city)
			if errors.Is(err, privacy.ErrErased) {
				continue
			}
			if err != nil {
				return nil, err
			}
			if !contains(cities, strings.ToLower(strings.TrimSpace(string(pt)))) {
				continue
			}
		}
		cs := consents[r.id]
		out = append(out, appmsg.Target{CustomerID: r.id, Consent: cs["all"] || cs[ch.String()]})
	}
	return out, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// marketingConsents folds the workshop's consent histories into the
// marketing consents standing now, per customer.
func (s *PostgresCampaigns) marketingConsents(ctx context.Context) (map[uuid.UUID]map[string]bool, error) {
	type row struct {
		id      uuid.UUID
		channel string
		granted bool
	}
	rows, err := collect(ctx, s.pool, func(r pgx.CollectableRow) (row, error) {
		var x row
		err := r.Scan(&x.id, &x.channel, &x.granted)
		return x, err
	}, `SELECT customer_id, channel, granted FROM registry_consents WHERE tenant_id = $1 AND purpose = 'marketing'
		ORDER BY customer_id, version`)
	if err != nil {
		return nil, err
	}
	out := map[uuid.UUID]map[string]bool{}
	for _, r := range rows {
		if !r.granted {
			delete(out, r.id)
			continue
		}
		if out[r.id] == nil {
			out[r.id] = map[string]bool{}
		}
		out[r.id][r.channel] = true
	}
	return out, nil
}

type segmentJSON struct {
	LastVisitBefore *time.Time `json:"last_visit_before,omitempty"`
	LastVisitAfter  *time.Time `json:"last_visit_after,omitempty"`
	Services        []string   `json:"services,omitempty"`
	Makes           []string   `json:"makes,omitempty"`
	Cities          []string   `json:"cities,omitempty"`
}

// CreateCampaign implements messaging.CampaignStore.
func (s *PostgresCampaigns) CreateCampaign(ctx context.Context, c appmsg.Campaign, msgs []appmsg.NewMessage) error {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return err
	}
	seg, err := json.Marshal(segmentJSON(c.Segment))
	if err != nil {
		return err
	}
	return postgres.InTenantTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO campaigns (tenant_id, campaign_id, name, channel, subject, body, segment, send_at, targeted, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, tid.UUID(), c.ID, c.Name, c.Channel, c.Subject, c.Body, seg,
			c.SendAt, len(msgs), c.CreatedAt); err != nil {
			return err
		}
		_, err := enqueueTx(ctx, tx, msgs)
		return err
	})
}

const campaignSelect = `SELECT c.campaign_id, c.name, c.channel, c.subject, c.body, c.segment, c.send_at, c.created_at,
	count(m.message_id)::int,
	(count(*) FILTER (WHERE m.status = 'skipped' AND m.reason = 'no_consent'))::int,
	(count(*) FILTER (WHERE m.status = 'skipped' AND m.reason <> 'no_consent'))::int,
	(count(*) FILTER (WHERE m.status IN ('sent', 'delivered', 'read')))::int,
	(count(*) FILTER (WHERE m.status IN ('delivered', 'read')))::int,
	(count(*) FILTER (WHERE m.status = 'failed'))::int
	FROM campaigns c LEFT JOIN messages m ON m.tenant_id = c.tenant_id AND m.campaign_id = c.campaign_id
	WHERE c.tenant_id = $1`

func scanCampaign(row pgx.CollectableRow) (appmsg.Campaign, error) {
	var c appmsg.Campaign
	var seg []byte
	n := &c.Counts
	if err := row.Scan(&c.ID, &c.Name, &c.Channel, &c.Subject, &c.Body, &seg, &c.SendAt, &c.CreatedAt,
		&n.Targeted, &n.SkippedNoConsent, &n.SkippedOther, &n.Sent, &n.Delivered, &n.Failed); err != nil {
		return c, err
	}
	var sj segmentJSON
	err := json.Unmarshal(seg, &sj)
	c.Segment = appmsg.Segment(sj)
	return c, err
}

// Campaign implements messaging.CampaignStore.
func (s *PostgresCampaigns) Campaign(ctx context.Context, id uuid.UUID) (appmsg.Campaign, error) {
	cs, err := collect(ctx, s.pool, scanCampaign, campaignSelect+` AND c.campaign_id = $2 GROUP BY c.tenant_id, c.campaign_id`, id)
	if err != nil {
		return appmsg.Campaign{}, err
	}
	if len(cs) == 0 {
		return appmsg.Campaign{}, fmt.Errorf("campaign %s: %w", id, errs.ErrNotFound)
	}
	return cs[0], nil
}

// Campaigns implements messaging.CampaignStore.
func (s *PostgresCampaigns) Campaigns(ctx context.Context) ([]appmsg.Campaign, error) {
	return collect(ctx, s.pool, scanCampaign, campaignSelect+` GROUP BY c.tenant_id, c.campaign_id ORDER BY c.created_at DESC LIMIT 200`)
}
