package messagestore

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/torquehq/torque/application/datasubject"
	appmsg "github.com/torquehq/torque/application/messaging"
	"github.com/torquehq/torque/application/privacy"
	"github.com/torquehq/torque/application/staff"
	"github.com/torquehq/torque/application/workshops"
	"github.com/torquehq/torque/domain/errs"
	"github.com/torquehq/torque/domain/messaging"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/infrastructure/postgres"
)

var (
	_ appmsg.PreferenceStore = (*PostgresPreferences)(nil)
	_ appmsg.OptOuts         = (*PostgresPreferences)(nil)
	_ appmsg.TemplateStore   = (*PostgresTemplates)(nil)
	_ appmsg.Tokens          = (*PostgresTokens)(nil)
	_ appmsg.SessionWindows  = (*PostgresSessionWindows)(nil)
	_ appmsg.Workshops       = (*PostgresWorkshops)(nil)
	_ appmsg.Orders          = (*PostgresOrders)(nil)
)

func channelNames(cs []messaging.Channel) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.String())
	}
	return out
}

func parseChannels(ss []string) []messaging.Channel {
	var out []messaging.Channel
	for _, s := range ss {
		if c, err := messaging.ParseChannel("channel", s); err == nil {
			out = append(out, c)
		}
	}
	return out
}

// PostgresPreferences keeps messaging_preferences.
type PostgresPreferences struct{ pool *pgxpool.Pool }

// NewPreferences returns the adapter.
func NewPreferences(pool *pgxpool.Pool) *PostgresPreferences { return &PostgresPreferences{pool: pool} }

// Preferences implements messaging.PreferenceStore.
func (s *PostgresPreferences) Preferences(ctx context.Context, customerID uuid.UUID) (messaging.Preferences, bool, error) {
	ps, err := collect(ctx, s.pool, func(row pgx.CollectableRow) (messaging.Preferences, error) {
		var chans, opted []string
		var rem, from, to string
		if err := row.Scan(&chans, &rem, &from, &to, &opted); err != nil {
			return messaging.Preferences{}, err
		}
		p := messaging.Preferences{Channels: parseChannels(chans), OptedOut: parseChannels(opted)}
		p.Reminders, _ = messaging.ParseReminderFrequency(rem)
		f, _ := messaging.ParseClockTime("from", from)
		t, _ := messaging.ParseClockTime("to", to)
		p.Quiet = messaging.QuietHours{From: f, To: t}
		return p, nil
	}, `SELECT channels, reminders, quiet_from, quiet_to, opted_out FROM messaging_preferences
		WHERE tenant_id = $1 AND customer_id = $2`, customerID)
	if err != nil || len(ps) == 0 {
		return messaging.Preferences{}, false, err
	}
	return ps[0], true, nil
}

// SavePreferences implements messaging.PreferenceStore.
func (s *PostgresPreferences) SavePreferences(ctx context.Context, customerID uuid.UUID, p messaging.Preferences, at time.Time) error {
	return exec(ctx, s.pool, `INSERT INTO messaging_preferences (tenant_id, customer_id, channels, reminders, quiet_from, quiet_to, opted_out, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (tenant_id, customer_id) DO UPDATE SET channels = EXCLUDED.channels, reminders = EXCLUDED.reminders,
		quiet_from = EXCLUDED.quiet_from, quiet_to = EXCLUDED.quiet_to, opted_out = EXCLUDED.opted_out, updated_at = EXCLUDED.updated_at`,
		customerID, channelNames(p.Channels), p.Reminders.String(), p.Quiet.From.String(), p.Quiet.To.String(),
		channelNames(p.OptedOut), at)
}

// OptOut implements messaging.OptOuts.
func (s *PostgresPreferences) OptOut(ctx context.Context, customerID uuid.UUID, ch messaging.Channel, d messaging.Preferences, at time.Time) error {
	return exec(ctx, s.pool, `INSERT INTO messaging_preferences (tenant_id, customer_id, channels, reminders, quiet_from, quiet_to, opted_out, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, ARRAY[$7::text], $8)
		ON CONFLICT (tenant_id, customer_id) DO UPDATE SET
		opted_out = CASE WHEN $7 = ANY(messaging_preferences.opted_out) THEN messaging_preferences.opted_out
		                 ELSE messaging_preferences.opted_out || $7::text END, updated_at = EXCLUDED.updated_at`,
		customerID, channelNames(d.Channels), d.Reminders.String(), d.Quiet.From.String(), d.Quiet.To.String(), ch.String(), at)
}

// exec runs one statement in a transaction of the tenant of ctx; $1 is the
// tenant id, args follow.
func exec(ctx context.Context, pool *pgxpool.Pool, sql string, args ...any) error {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return err
	}
	return postgres.InTenantTx(ctx, pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, sql, append([]any{tid.UUID()}, args...)...)
		return err
	})
}

// PostgresTemplates keeps message_templates.
type PostgresTemplates struct{ pool *pgxpool.Pool }

// NewTemplates returns the adapter.
func NewTemplates(pool *pgxpool.Pool) *PostgresTemplates { return &PostgresTemplates{pool: pool} }

// Templates implements messaging.TemplateStore.
func (s *PostgresTemplates) Templates(ctx context.Context) ([]messaging.Template, error) {
	return collect(ctx, s.pool, func(row pgx.CollectableRow) (messaging.Template, error) {
		var k, c, subj, body string
		if err := row.Scan(&k, &c, &subj, &body); err != nil {
			return messaging.Template{}, err
		}
		kind, err := messaging.ParseKind("kind", k)
		if err != nil {
			return messaging.Template{}, err
		}
		ch, err := messaging.ParseChannel("channel", c)
		if err != nil {
			return messaging.Template{}, err
		}
		return messaging.Template{Kind: kind, Channel: ch, Subject: subj, Body: body}, nil
	}, `SELECT kind, channel, subject, body FROM message_templates WHERE tenant_id = $1 ORDER BY kind, channel`)
}

// SaveTemplate implements messaging.TemplateStore.
func (s *PostgresTemplates) SaveTemplate(ctx context.Context, t messaging.Template, at time.Time) error {
	return exec(ctx, s.pool, `INSERT INTO message_templates (tenant_id, kind, channel, subject, body, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, kind, channel)
		DO UPDATE SET subject = EXCLUDED.subject, body = EXCLUDED.body, updated_at = EXCLUDED.updated_at`,
		t.Kind.String(), t.Channel.String(), t.Subject, t.Body, at)
}

// PostgresTokens keeps message_tokens (platform table: the token is the key).
type PostgresTokens struct{ pool *pgxpool.Pool }

// NewTokens returns the adapter.
func NewTokens(pool *pgxpool.Pool) *PostgresTokens { return &PostgresTokens{pool: pool} }

// Save implements messaging.Tokens.
func (s *PostgresTokens) Save(ctx context.Context, t appmsg.Token) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO message_tokens (token_hash, purpose, tenant_id, customer_id, message_id, order_id, channel)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`, t.Hash, t.Purpose, t.Tenant.UUID(), t.CustomerID,
		nullUUID(t.MessageID), nullUUID(t.OrderID), t.Channel)
	return err
}

// Find implements messaging.Tokens.
func (s *PostgresTokens) Find(ctx context.Context, hash string) (appmsg.Token, error) {
	t := appmsg.Token{Hash: hash}
	var tu uuid.UUID
	var mid, oid *uuid.UUID
	err := s.pool.QueryRow(ctx, `SELECT purpose, tenant_id, customer_id, message_id, order_id, channel, used_at
		FROM message_tokens WHERE token_hash = $1`, hash).Scan(&t.Purpose, &tu, &t.CustomerID, &mid, &oid, &t.Channel, &t.UsedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return t, fmt.Errorf("token: %w", errs.ErrNotFound)
	}
	if err != nil {
		return t, err
	}
	if mid != nil {
		t.MessageID = *mid
	}
	if oid != nil {
		t.OrderID = *oid
	}
	t.Tenant, err = tenant.FromUUID(tu)
	return t, err
}

// Use implements messaging.Tokens.
func (s *PostgresTokens) Use(ctx context.Context, hash string, at time.Time) (bool, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE message_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL`, hash, at)
	return tag.RowsAffected() == 1, err
}

// PostgresSessionWindows keeps whatsapp_windows, keyed by an HMAC of the
// number so the table holds no phone number.
type PostgresSessionWindows struct {
	pool *pgxpool.Pool
	key  []byte
}

// NewSessionWindows returns the adapter; key keys the number hashes.
func NewSessionWindows(pool *pgxpool.Pool, key []byte) *PostgresSessionWindows {
	return &PostgresSessionWindows{pool: pool, key: key}
}

func (s *PostgresSessionWindows) hash(number string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("whatsapp-window:" + strings.TrimPrefix(number, "+")))
	return hex.EncodeToString(m.Sum(nil))
}

// Inbound implements messaging.SessionWindows.
func (s *PostgresSessionWindows) Inbound(ctx context.Context, number string, at time.Time) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO whatsapp_windows (number_hash, last_inbound) VALUES ($1, $2)
		ON CONFLICT (number_hash) DO UPDATE SET last_inbound = greatest(whatsapp_windows.last_inbound, EXCLUDED.last_inbound)`,
		s.hash(number), at)
	return err
}

// Open implements messaging.SessionWindows.
func (s *PostgresSessionWindows) Open(ctx context.Context, number string, now time.Time) (bool, error) {
	var last time.Time
	err := s.pool.QueryRow(ctx, `SELECT last_inbound FROM whatsapp_windows WHERE number_hash = $1`, s.hash(number)).Scan(&last)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil && now.Sub(last) < 24*time.Hour, err
}

// CurrentConsents folds a consent history (oldest first) into the consents
// standing now: a withdrawal clears every channel of its purpose.
func CurrentConsents(hist []datasubject.Consent) map[messaging.Purpose]map[string]bool {
	out := map[messaging.Purpose]map[string]bool{}
	for _, c := range hist {
		p, err := messaging.ParsePurpose(c.Purpose)
		if err != nil {
			continue
		}
		if !c.Granted {
			delete(out, p)
			continue
		}
		if out[p] == nil {
			out[p] = map[string]bool{}
		}
		out[p][c.Channel] = true
	}
	return out
}

// WorkshopReader reads one workshop (readmodel.PostgresWorkshopDirectory).
type WorkshopReader interface {
	WorkshopByID(ctx context.Context, id uuid.UUID) (workshops.WorkshopView, error)
}

// StaffReader lists the staff of the workshop in ctx with their e-mails
// opened (readmodel.PostgresStaffRoster: they are sealed at rest).
type StaffReader interface {
	Staff(ctx context.Context) ([]staff.Member, error)
}

// PostgresWorkshops reads the workshop of the tenant and its owners' e-mails.
type PostgresWorkshops struct {
	dir   WorkshopReader
	staff StaffReader
}

// NewWorkshops returns the adapter.
func NewWorkshops(dir WorkshopReader, staff StaffReader) *PostgresWorkshops {
	return &PostgresWorkshops{dir: dir, staff: staff}
}

// Workshop implements messaging.Workshops.
func (s *PostgresWorkshops) Workshop(ctx context.Context) (appmsg.WorkshopInfo, error) {
	tid, err := tenant.FromContext(ctx)
	if err != nil {
		return appmsg.WorkshopInfo{}, err
	}
	w, err := s.dir.WorkshopByID(ctx, tid.UUID())
	if err != nil {
		return appmsg.WorkshopInfo{}, err
	}
	phone := w.Profile.WhatsApp
	if phone == "" {
		phone = w.Profile.Phone
	}
	info := appmsg.WorkshopInfo{Slug: w.Slug, Name: w.Name, Phone: phone, TimeZone: w.TimeZone}
	members, err := s.staff.Staff(ctx)
	if err != nil {
		return info, err
	}
	for _, m := range members {
		if m.Role == "owner" && !m.Invited && m.Email != "" && m.Email != privacy.Placeholder {
			info.OwnerEmails = append(info.OwnerEmails, m.Email)
		}
	}
	return info, nil
}

// PostgresOrders reads an order's number and vehicle.
type PostgresOrders struct{ pool *pgxpool.Pool }

// NewOrders returns the adapter.
func NewOrders(pool *pgxpool.Pool) *PostgresOrders { return &PostgresOrders{pool: pool} }

// Order implements messaging.Orders.
func (s *PostgresOrders) Order(ctx context.Context, id uuid.UUID) (appmsg.OrderInfo, error) {
	os, err := collect(ctx, s.pool, func(row pgx.CollectableRow) (appmsg.OrderInfo, error) {
		var o appmsg.OrderInfo
		var make, model *string
		var year *int
		err := row.Scan(&o.Number, &o.Status, &make, &model, &year)
		if make != nil && model != nil {
			o.Vehicle = strings.TrimSpace(*make + " " + *model)
			if year != nil && *year > 0 {
				o.Vehicle += " " + strconv.Itoa(*year)
			}
		}
		return o, err
	}, `SELECT o.number, o.status, v.make, v.model, v.year FROM registry_service_orders o
		LEFT JOIN registry_vehicles v ON v.tenant_id = o.tenant_id AND v.vehicle_id = o.vehicle_id
		WHERE o.tenant_id = $1 AND o.order_id = $2`, id)
	if err != nil {
		return appmsg.OrderInfo{}, err
	}
	if len(os) == 0 {
		return appmsg.OrderInfo{}, fmt.Errorf("order %s: %w", id, errs.ErrNotFound)
	}
	return os[0], nil
}
