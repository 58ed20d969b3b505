// Package reports holds the analytics use cases of spec section 4:
// satisfaction, visit frequency, top services, maintenance trends and the
// franchise comparison. Figures come from the analytics store (ClickHouse),
// which holds pseudonyms only; customer names are joined from the
// workshop's read model only for staff allowed to read customers.
package reports

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/franchises"
	"github.com/torquehq/torque/application/memberships"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/workshops"
)

// Scope is what one query covers: workshops and a half-open interval of
// instants [From, To), grouped by month in TimeZone.
type Scope struct {
	WorkshopIDs []uuid.UUID
	From, To    time.Time
	TimeZone    string
}

// Store answers the report questions over the fact tables. Every method
// filters by s.WorkshopIDs; none returns personal data.
type Store interface {
	Satisfaction(ctx context.Context, s Scope) (Satisfaction, error)
	// Frequency counts visits; Overdue lists customers (by pseudonym) whose
	// expected next visit (last visit + their average interval, or 180 days
	// after a single visit) is before asOf.
	Frequency(ctx context.Context, s Scope, asOf time.Time) (Frequency, error)
	TopServices(ctx context.Context, s Scope) ([]ServiceFigure, error)
	MaintenanceTrends(ctx context.Context, s Scope) (Trends, error)
	// Comparison returns one row per workshop of s (zero rows included).
	Comparison(ctx context.Context, s Scope) ([]WorkshopFigures, error)
}

// Pseudonyms maps a workshop's ids to the pseudonyms the store holds.
type Pseudonyms interface {
	Customer(workshopID, customerID uuid.UUID) uuid.UUID
}

// CustomerDirectory reads the workshop's customers (tenant of ctx).
type CustomerDirectory interface {
	// CustomerIDs lists the ids of the tenant's customers not erased.
	CustomerIDs(ctx context.Context) ([]uuid.UUID, error)
	// CustomersByID returns those customers (with personal data when asked).
	CustomersByID(ctx context.Context, ids []uuid.UUID, withPII bool) ([]customers.Customer, error)
}

// Workshops reads the workshops read model (time zone, slug, name).
type Workshops interface {
	WorkshopByID(ctx context.Context, id uuid.UUID) (workshops.WorkshopView, error)
}

// Franchises reads the franchises read model.
type Franchises interface {
	Franchise(ctx context.Context, id uuid.UUID) (franchises.FranchiseView, error)
	FranchisesManagedBy(ctx context.Context, identityID string) ([]uuid.UUID, error)
}

// Memberships reads the memberships read model (who owns which workshop).
type Memberships interface {
	MembershipsOf(ctx context.Context, identityID string) ([]memberships.MembershipView, error)
}

// Deps are the ports of the reports.
type Deps struct {
	Store       Store
	Pseudonyms  Pseudonyms
	Customers   CustomerDirectory
	Workshops   Workshops
	Franchises  Franchises
	Memberships Memberships
}

// UseCases runs the report use cases.
type UseCases struct {
	base usecase.Base
	d    Deps
}

// New fails naming each missing port.
func New(base usecase.Base, d Deps) (*UseCases, error) {
	if err := usecase.Required("reports", map[string]bool{"Store": d.Store != nil, "Pseudonyms": d.Pseudonyms != nil,
		"Customers": d.Customers != nil, "Workshops": d.Workshops != nil, "Franchises": d.Franchises != nil,
		"Memberships": d.Memberships != nil}); err != nil {
		return nil, err
	}
	return &UseCases{base: base.WithDefaults(), d: d}, nil
}

// NPS is a Net Promoter Score summary: score = %promoters − %detractors.
type NPS struct {
	Score                                      float64
	Promoters, Passives, Detractors, Responses int64
}

// CSAT is a customer-satisfaction summary over the answers to "Como você
// avalia o atendimento?" (1–5): Score = % of Satisfied (4–5) among the
// Responses, one decimal; 0 when none.
type CSAT struct {
	Score                float64
	Satisfied, Responses int64
}

// CSATOf builds the summary from the counts.
func CSATOf(satisfied, responses int64) CSAT {
	c := CSAT{Satisfied: satisfied, Responses: responses}
	if responses > 0 {
		c.Score = float64(int64(1000*float64(satisfied)/float64(responses)+0.5)) / 10
	}
	return c
}

// MonthNPS is the NPS (and CSAT) of one month ("2026-03").
type MonthNPS struct {
	Month     string
	NPS       float64
	CSAT      CSAT
	Responses int64
}

// GroupNPS is the NPS (and CSAT) of one service or mechanic (pseudonym).
type GroupNPS struct {
	Key       string
	NPS       float64
	CSAT      CSAT
	Responses int64
}

// Satisfaction is the satisfaction report.
type Satisfaction struct {
	NPS        NPS
	CSAT       CSAT
	ByMonth    []MonthNPS
	ByService  []GroupNPS
	ByMechanic []GroupNPS
}

// MonthVisits are the visits of one month.
type MonthVisits struct {
	Month              string
	Visits             int64
	NewCustomers       int64
	ReturningCustomers int64
}

// Overdue is a customer expected back before now.
type Overdue struct {
	CustomerPID uuid.UUID
	// CustomerID and Name are set only for callers allowed to read customers.
	CustomerID uuid.UUID
	Name       string
	LastVisit  time.Time
	ExpectedBy time.Time
}

// Frequency is the visit-frequency report.
type Frequency struct {
	Customers            int64
	ReturningCustomers   int64
	AvgDaysBetweenVisits float64
	ByMonth              []MonthVisits
	Overdue              []Overdue
}

// ServiceFigure is one service's count and revenue.
type ServiceFigure struct {
	Service      string
	Label        string
	Orders       int64
	RevenueCents int64
	Share        float64
}

// MonthService counts orders of a service in a month.
type MonthService struct {
	Month, Service string
	Orders         int64
}

// MakeModelService counts orders of a service per make/model/year.
type MakeModelService struct {
	Make, Model string
	Year        int64
	Service     string
	Orders      int64
}

// BandService counts orders of a service per mileage band.
type BandService struct {
	Band, Service string
	Orders        int64
}

// Trends is the maintenance-trends report.
type Trends struct {
	ByMonth     []MonthService
	ByMakeModel []MakeModelService
	ByMileage   []BandService
}

// WorkshopFigures is one shop in the franchise comparison.
type WorkshopFigures struct {
	WorkshopID         uuid.UUID
	Slug, Name         string
	Orders             int64
	RevenueCents       int64
	AvgTicketCents     int64
	NPS                float64
	NPSResponses       int64
	ReturnRate         float64
	ReminderConversion float64
	RemindersSent      int64
	ServiceMix         map[string]float64
	// Percentile is, per figure, the share (0..100) of shops in the
	// comparison this shop is at or above.
	Percentile map[string]float64
}

// Comparison is the franchise comparison.
type Comparison struct {
	FranchiseID uuid.UUID
	Name        string
	Workshops   []WorkshopFigures
	// Managed: the caller manages the franchise (and may change its
	// settings); otherwise they own a member shop and the franchise shares
	// the comparison (ShareWithMembers).
	Managed          bool
	ShareWithMembers bool
}
