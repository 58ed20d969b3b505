package stripe

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"github.com/torquehq/torque/application/billing"
	"github.com/torquehq/torque/domain/errs"
)

// Metadata keys we put on Stripe objects. Webhooks read them back, so they
// are part of a stored contract: never rename them.
const (
	metaWorkshopID  = "workshop_id"
	metaPlan        = "plan"
	metaContactName = "contact_name"
)

// StripeGateway implements billing.Gateway on the Stripe API.
type StripeGateway struct {
	api    *client.API
	prices map[billing.Plan]string
	locale string
}

var _ billing.Gateway = (*StripeGateway)(nil)

// NewStripeGateway builds a gateway with its own stripe-go client.
func NewStripeGateway(cfg Config) (*StripeGateway, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	prices := make(map[billing.Plan]string, len(cfg.PriceIDs))
	for _, p := range billing.Plans() {
		prices[p] = cfg.PriceIDs[p.String()]
	}
	return &StripeGateway{api: newAPI(cfg), prices: prices, locale: cfg.Locale}, nil
}

// newAPI builds a per-adapter client. stripe-mock serves every backend on
// one port, so APIURL, when set, replaces the base URL of all three.
func newAPI(cfg Config) *client.API {
	logger := newLeveledLogger(cfg.Logger)
	backend := func(typ stripego.SupportedBackend) stripego.Backend {
		bc := &stripego.BackendConfig{
			HTTPClient:        cfg.HTTPClient,
			LeveledLogger:     logger,
			MaxNetworkRetries: stripego.Int64(int64(cfg.MaxNetworkRetries)),
			EnableTelemetry:   stripego.Bool(false),
		}
		if cfg.APIURL != "" {
			bc.URL = stripego.String(cfg.APIURL)
		}
		return stripego.GetBackendWithConfig(typ, bc)
	}
	return client.New(cfg.SecretKey, &stripego.Backends{
		API:     backend(stripego.APIBackend),
		Connect: backend(stripego.ConnectBackend),
		Uploads: backend(stripego.UploadsBackend),
	})
}

// CreateCustomer implements billing.Gateway. The idempotency key depends on
// the workshop id only: a retried signup gets the first customer back, and a
// retry with changed details inside Stripe's 24-hour window fails with
// errs.ErrConflict instead of creating a second customer.
func (g *StripeGateway) CreateCustomer(ctx context.Context, in billing.CustomerInput) (string, error) {
	if in.WorkshopID == "" {
		return "", errs.Invalid("workshop_id", "required", "workshop id is required")
	}
	params := &stripego.CustomerParams{
		Name:             stripego.String(in.WorkshopName),
		Email:            stripego.String(in.Email),
		PreferredLocales: stripego.StringSlice([]string{g.locale}),
		Metadata:         map[string]string{metaWorkshopID: in.WorkshopID},
	}
	if in.Name != "" {
		params.Metadata[metaContactName] = in.Name
	}
	params.Context = ctx
	params.SetIdempotencyKey(idempotencyKey("customer", in.WorkshopID))
	c, err := g.api.Customers.New(params)
	if err != nil {
		return "", fmt.Errorf("stripe: create customer for workshop %s: %w", in.WorkshopID, classify(err))
	}
	return c.ID, nil
}

// CreateCheckout implements billing.Gateway. The idempotency key covers the
// workshop and every parameter: a retry returns the same session, while a
// changed plan or URL starts a new one.
func (g *StripeGateway) CreateCheckout(ctx context.Context, in billing.CheckoutInput) (billing.CheckoutSession, error) {
	var v errs.Collector
	if in.CustomerID == "" {
		v.Add("customer_id", "required", "customer id is required")
	}
	if in.WorkshopID == "" {
		v.Add("workshop_id", "required", "workshop id is required")
	}
	price, ok := g.prices[in.Plan]
	if !ok || price == "" {
		v.Add("plan", "unknown_plan", "plan has no configured price")
	}
	if in.TrialDays < 0 || in.TrialDays > 730 { // Stripe's maximum trial
		v.Add("trial_days", "out_of_range", "trial days must be between 0 and 730")
	}
	if in.SuccessURL == "" {
		v.Add("success_url", "required", "success URL is required")
	}
	if err := v.Err(); err != nil {
		return billing.CheckoutSession{}, err
	}

	meta := map[string]string{metaWorkshopID: in.WorkshopID, metaPlan: in.Plan.String()}
	params := &stripego.CheckoutSessionParams{
		Mode:              stripego.String(string(stripego.CheckoutSessionModeSubscription)),
		Customer:          stripego.String(in.CustomerID),
		ClientReferenceID: stripego.String(in.WorkshopID),
		LineItems: []*stripego.CheckoutSessionLineItemParams{
			{Price: stripego.String(price), Quantity: stripego.Int64(1)},
		},
		SuccessURL: stripego.String(in.SuccessURL),
		Locale:     stripego.String(g.locale),
		Metadata:   meta,
		// The subscription carries the workshop id too: its own webhooks
		// (customer.subscription.*, and invoices through
		// subscription_details) must be matched without the session.
		SubscriptionData: &stripego.CheckoutSessionSubscriptionDataParams{
			Metadata: map[string]string{metaWorkshopID: in.WorkshopID, metaPlan: in.Plan.String()},
		},
	}
	if in.CancelURL != "" {
		params.CancelURL = stripego.String(in.CancelURL)
	}
	if in.TrialDays > 0 {
		params.SubscriptionData.TrialPeriodDays = stripego.Int64(int64(in.TrialDays))
	}
	params.Context = ctx
	params.SetIdempotencyKey(idempotencyKey("checkout", in.WorkshopID,
		in.CustomerID, in.Plan.String(), strconv.Itoa(in.TrialDays), in.SuccessURL, in.CancelURL, g.locale, price))
	s, err := g.api.CheckoutSessions.New(params)
	if err != nil {
		return billing.CheckoutSession{}, fmt.Errorf("stripe: create checkout for workshop %s: %w", in.WorkshopID, classify(err))
	}
	if s.URL == "" {
		return billing.CheckoutSession{}, fmt.Errorf("stripe: checkout session %s has no URL", s.ID)
	}
	return billing.CheckoutSession{ID: s.ID, URL: s.URL}, nil
}

// CreatePortalSession implements billing.Gateway. It sends no idempotency key
// of its own: portal sessions are short-lived, and replaying an old one
// within 24 hours would hand back an expired URL. stripe-go's own retries
// still carry the per-call key it generates.
func (g *StripeGateway) CreatePortalSession(ctx context.Context, customerID, returnURL string) (string, error) {
	if customerID == "" {
		return "", errs.Invalid("customer_id", "required", "customer id is required")
	}
	params := &stripego.BillingPortalSessionParams{
		Customer: stripego.String(customerID),
		Locale:   stripego.String(g.locale),
	}
	if returnURL != "" {
		params.ReturnURL = stripego.String(returnURL)
	}
	params.Context = ctx
	s, err := g.api.BillingPortalSessions.New(params)
	if err != nil {
		return "", fmt.Errorf("stripe: create portal session: %w", classify(err))
	}
	if s.URL == "" {
		return "", fmt.Errorf("stripe: portal session %s has no URL", s.ID)
	}
	return s.URL, nil
}

// idempotencyKey derives a stable key for one operation on one workshop.
// parts (the request's parameters) are hashed so that the key stays short
// and changes when the request does. The "v1" lets a future change of the
// request's shape use fresh keys instead of colliding with keys sent by the
// previous release inside Stripe's 24-hour window.
func idempotencyKey(op, workshopID string, parts ...string) string {
	h := sha256.New()
	for _, p := range append([]string{workshopID}, parts...) {
		// Length-prefixed, so ("ab","c") and ("a","bc") differ.
		fmt.Fprintf(h, "%d:%s;", len(p), p)
	}
	return "torque-" + op + "-v1-" + hex.EncodeToString(h.Sum(nil))
}

// classify adds our error kinds to Stripe errors the caller can act on.
func classify(err error) error {
	var se *stripego.Error
	if errors.As(err, &se) && se.Type == stripego.ErrorTypeIdempotency {
		return fmt.Errorf("%w: %w", errs.ErrConflict, err)
	}
	return err
}
