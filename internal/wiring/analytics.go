package wiring

import (
	"context"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/torquehq/torque/application/reports"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/infrastructure/clickhouse"
	"github.com/torquehq/torque/infrastructure/readmodel"
	"github.com/torquehq/torque/interfaces/httpapi"
)

// Analytics is the ClickHouse side: the fact tables' projection and the
// reports. Nil when Config.ClickHouseAddr is empty (analytics off).
type Analytics struct {
	Conn       driver.Conn
	Pseudonyms *clickhouse.Pseudonyms
	Projector  *clickhouse.Projector
	Store      *clickhouse.ReportStore
	Reports    *reports.UseCases
}

// ClickHouseConfig is the analytics store's connection settings.
func (c Config) ClickHouseConfig() clickhouse.Config {
	return clickhouse.Config{Addr: c.ClickHouseAddr, Database: c.ClickHouseDB, Username: c.ClickHouseUser, Password: c.ClickHousePassword}
}

// buildAnalytics connects lazily: ClickHouse may be down at start; the
// projection catches up when it comes back, and reports fail meanwhile.
func (s *System) buildAnalytics() error {
	if s.Cfg.ClickHouseAddr == "" {
		return nil
	}
	conn, err := clickhouse.Open(s.Cfg.ClickHouseConfig())
	if err != nil {
		return err
	}
	key := []byte(s.Cfg.AnalyticsKey)
	if len(key) == 0 {
		key = clickhouse.DeriveRootKey(s.Cfg.MasterKeys)
	}
	ps, err := clickhouse.NewPseudonyms(key)
	if err != nil {
		return err
	}
	a := &Analytics{Conn: conn, Pseudonyms: ps, Store: clickhouse.NewReportStore(conn)}
	if a.Projector, err = clickhouse.NewProjector(clickhouse.ProjectorConfig{Pool: s.Pool, Conn: conn, Codec: s.Codec,
		Pseudonyms: ps, Logger: s.Log, Wake: s.Wake, IdleInterval: s.Cfg.ProjectionIdle}); err != nil {
		return err
	}
	if a.Reports, err = reports.New(usecase.Base{Logger: s.Log}, reports.Deps{Store: a.Store, Pseudonyms: ps,
		Customers: readmodel.PostgresReportCustomers{PostgresCustomerReadModel: readmodel.NewCustomerReadModel(s.Pool, s.Cipher)},
		Workshops: s.Directory, Franchises: readmodel.NewFranchiseDirectory(s.Pool),
		Memberships: readmodel.NewMemberships(s.Pool)}); err != nil {
		return err
	}
	s.Analytics = a
	return nil
}

// runAnalytics runs the analytics projection until ctx ends (no-op when
// analytics is off).
func (s *System) runAnalytics(ctx context.Context) {
	if s.Analytics == nil {
		return
	}
	_ = s.Analytics.Projector.Run(ctx)
}

// reportHandlers are the REST handlers of the reports (nil when analytics
// is off: the routes are then not served).
func (s *System) reportHandlers() *httpapi.ReportHandlers {
	if s.Analytics == nil {
		return nil
	}
	return &httpapi.ReportHandlers{Reports: s.Analytics.Reports, Log: s.Log}
}

// reports are the report use cases, nil when analytics is off.
func (s *System) reports() *reports.UseCases {
	if s.Analytics == nil {
		return nil
	}
	return s.Analytics.Reports
}
