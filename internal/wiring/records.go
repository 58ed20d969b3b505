package wiring

import (
	"time"

	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/datasubject"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/infrastructure/messagestore"
	"github.com/torquehq/torque/infrastructure/readmodel"
	"github.com/torquehq/torque/interfaces/httpapi"
)

// Records are the use cases of the workshops' records: customers, vehicles,
// service orders and the data-subject rights.
type Records struct {
	Customers     *customers.UseCases
	Vehicles      *vehicles.UseCases
	ServiceOrders *serviceorders.UseCases
	DataSubject   *datasubject.UseCases
}

// NewRecords builds the records modules on the system's adapters; clock nil
// means time.Now (the demo seed passes its own to date history).
func (s *System) NewRecords(clock func() time.Time) (*Records, error) {
	base := usecase.Base{Clock: clock, Consistency: s.Consistency, Logger: s.Log}
	customerRM := readmodel.NewCustomerReadModel(s.Pool, s.Cipher)
	vehicleRM := readmodel.NewVehicleReadModel(s.Pool, s.Cipher)
	orderRM := readmodel.NewServiceOrderReadModel(s.Pool, s.Cipher)
	uniqueKeys := readmodel.NewUniqueKeys(s.Pool)
	auditLog := readmodel.NewAuditLog(s.Pool)
	var r Records
	var err error
	if r.ServiceOrders, err = serviceorders.New(base, serviceorders.Deps{Store: s.Store, Numbers: s.Store,
		Orders: orderRM, Catalogs: s.Catalogs}); err != nil {
		return nil, err
	}
	if r.Vehicles, err = vehicles.New(base, vehicles.Deps{Store: s.Store, Index: s.Cipher.BlindIndexer(),
		Vehicles: vehicleRM, Orders: orderRM, Uniqueness: uniqueKeys, Audit: auditLog}); err != nil {
		return nil, err
	}
	if r.Customers, err = customers.New(base, customers.Deps{Store: s.Store, Index: s.Cipher.BlindIndexer(),
		Customers: customerRM, Profile: customerRM, Finder: customerRM, Vehicles: vehicleRM, Orders: orderRM, Search: readmodel.NewCustomerSearchIndex(s.Pool),
		Uniqueness: uniqueKeys, Audit: auditLog}); err != nil {
		return nil, err
	}
	if r.DataSubject, err = datasubject.New(base, datasubject.Deps{Store: s.Store, SubjectKeys: s.Cipher,
		Customers: customerRM, Consents: readmodel.NewConsentHistory(s.Pool), Vehicles: vehicleRM, Orders: orderRM,
		Uniqueness: uniqueKeys, Audit: auditLog, Messages: messagestore.MessageLog{Outbox: messagestore.NewOutbox(s.Pool, s.Cipher)}}); err != nil {
		return nil, err
	}
	return &r, nil
}

// recordsHandlers are the REST handlers of the records.
func (s *System) recordsHandlers() *httpapi.RecordsHandlers {
	r := s.Records
	return &httpapi.RecordsHandlers{Customers: r.Customers, Vehicles: r.Vehicles, ServiceOrders: r.ServiceOrders,
		DataSubject: r.DataSubject, Log: s.Log}
}
