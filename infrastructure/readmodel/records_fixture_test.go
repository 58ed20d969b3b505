package readmodel_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/google/uuid"

	"github.com/torquehq/torque/application/authz"
	"github.com/torquehq/torque/application/customers"
	"github.com/torquehq/torque/application/datasubject"
	"github.com/torquehq/torque/application/requestmeta"
	"github.com/torquehq/torque/application/serviceorders"
	"github.com/torquehq/torque/application/usecase"
	"github.com/torquehq/torque/application/vehicles"
	"github.com/torquehq/torque/domain/customer"
	"github.com/torquehq/torque/domain/serviceorder"
	"github.com/torquehq/torque/domain/tenant"
	"github.com/torquehq/torque/domain/vehicle"
	"github.com/torquehq/torque/infrastructure/crypto"
	"github.com/torquehq/torque/infrastructure/eventcodec"
	"github.com/torquehq/torque/infrastructure/postgres"
	"github.com/torquehq/torque/infrastructure/postgres/pgtest"
	"github.com/torquehq/torque/infrastructure/projection"
	"github.com/torquehq/torque/infrastructure/readmodel"
)

// registryEnv is the records modules wired as cmd/torque wires them: the real event
// store, crypto adapter, projections run by a live Watermill router, and
// read-your-writes through the projection waiter.
type registryEnv struct {
	db          *pgtest.DB
	cipher      *crypto.EnvelopeCipher
	codec       *eventcodec.Codec
	projections []projection.Projection
	svc         *records
}

// records are the use cases of the workshops' records, each on its adapter.
type records struct {
	customers   *customers.UseCases
	vehicles    *vehicles.UseCases
	orders      *serviceorders.UseCases
	dataSubject *datasubject.UseCases
}

func newRegistryEnv(t *testing.T) *registryEnv {
	t.Helper()
	db := pgtest.New(t)
	ring, err := crypto.ParseMasterKeys("k1:" + base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0x5a}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	cipher, err := crypto.New(crypto.Config{Pool: db.App, Keys: ring})
	if err != nil {
		t.Fatal(err)
	}
	codec := eventcodec.New()
	eventcodec.RegisterCatalogues(codec, customer.Events, vehicle.Events, serviceorder.Events)
	codec.SetPayloadHook(cipher.PayloadHook())
	store, err := postgres.NewEventStore(postgres.EventStoreConfig{Pool: db.App, Codec: codec})
	if err != nil {
		t.Fatal(err)
	}
	projections := []projection.Projection{
		readmodel.RecordsProjection{Cipher: cipher},
		readmodel.CustomerSearchProjection{Index: cipher.BlindIndexer()},
	}
	runner, err := projection.NewRunner(projection.RunnerConfig{
		Pool: db.App, Codec: codec, Projections: projections, PollInterval: 5 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	startRouter(t, runner)
	waiter := projection.NewWaiter(db.App, projections)
	waiter.Timeout = 20 * time.Second
	base := usecase.Base{Consistency: waiter}
	customerRM := readmodel.NewCustomerReadModel(db.App, cipher)
	vehicleRM := readmodel.NewVehicleReadModel(db.App, cipher)
	orderRM := readmodel.NewServiceOrderReadModel(db.App)
	uniqueKeys, auditLog := readmodel.NewUniqueKeys(db.App), readmodel.NewAuditLog(db.App)
	svc := &records{}
	svc.orders, err = serviceorders.New(base, serviceorders.Deps{Store: store, Numbers: store, Orders: orderRM})
	if err != nil {
		t.Fatal(err)
	}
	svc.vehicles, err = vehicles.New(base, vehicles.Deps{Store: store, Index: cipher.BlindIndexer(), Vehicles: vehicleRM,
		Orders: orderRM, Uniqueness: uniqueKeys, Audit: auditLog})
	if err != nil {
		t.Fatal(err)
	}
	svc.customers, err = customers.New(base, customers.Deps{Store: store, Index: cipher.BlindIndexer(), Customers: customerRM, Profile: customerRM, Finder: customerRM,
		Vehicles: vehicleRM, Orders: orderRM, Search: readmodel.NewCustomerSearchIndex(db.App), Uniqueness: uniqueKeys,
		Audit: auditLog})
	if err != nil {
		t.Fatal(err)
	}
	svc.dataSubject, err = datasubject.New(base, datasubject.Deps{Store: store, SubjectKeys: cipher, Customers: customerRM,
		Consents: readmodel.NewConsentHistory(db.App), Vehicles: vehicleRM, Orders: orderRM, Uniqueness: uniqueKeys,
		Audit: auditLog})
	if err != nil {
		t.Fatal(err)
	}
	return &registryEnv{db: db, cipher: cipher, codec: codec, projections: projections, svc: svc}
}

func startRouter(t *testing.T, runner *projection.Runner) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	router, err := message.NewRouter(message.RouterConfig{CloseTimeout: 5 * time.Second}, watermill.NopLogger{})
	if err != nil {
		t.Fatal(err)
	}
	if err := runner.AddHandlers(router, watermill.NopLogger{}); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = router.Run(ctx) }()
	<-router.Running()
	t.Cleanup(func() { cancel(); <-done })
}

// waitCaughtUp waits until every projection consumed every message.
func (e *registryEnv) waitCaughtUp(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		sts, err := projection.Statuses(context.Background(), e.db.App, e.projections)
		if err != nil {
			t.Fatal(err)
		}
		pending := int64(0)
		for _, s := range sts {
			pending += s.Pending
		}
		if pending == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("projections did not catch up within 30 s")
}

// rebuild recomputes every registry projection from the event store.
func (e *registryEnv) rebuild(t *testing.T) {
	t.Helper()
	r := projection.NewRebuilder(e.db.Admin, e.codec)
	for _, p := range e.projections {
		if _, err := r.Rebuild(context.Background(), p); err != nil {
			t.Fatalf("rebuild %s: %v", p.Name(), err)
		}
	}
}

// registryChecksumSQL digests every registry read model (run as admin). A
// ciphertext differs on every encryption (random nonce), so encrypted
// columns count only by whether they are set; their contents are compared
// decrypted by the tests instead.
const registryChecksumSQL = `
SELECT md5(concat_ws('#',
 (SELECT string_agg(concat_ws('|', tenant_id, customer_id, name_enc IS NULL, document_enc IS NULL, document_type,
         email_enc IS NULL, mobile_enc IS NULL, landline_enc IS NULL, street_enc IS NULL, number_enc IS NULL,
         complement_enc IS NULL, district_enc IS NULL, city_enc IS NULL, state_enc IS NULL, postal_code_enc IS NULL,
         marketing_consent, erased, erased_at, created_at, updated_at, version), ',' ORDER BY tenant_id, customer_id)
    FROM registry_customers),
 (SELECT string_agg(concat_ws('|', tenant_id, vehicle_id, customer_id, plate_enc IS NULL, make, model, year, color,
         mileage_km, odometer_replaced, registered_at, updated_at, version), ',' ORDER BY tenant_id, vehicle_id)
    FROM registry_vehicles),
 (SELECT string_agg(concat_ws('|', tenant_id, vehicle_id, version, km, read_at, source, new_odometer), ','
         ORDER BY tenant_id, vehicle_id, version) FROM registry_odometer_readings),
 (SELECT string_agg(concat_ws('|', tenant_id, order_id, number, status, customer_id, vehicle_id, mileage_km, description,
         items::text, total_cents, mechanic_id, status_history::text, opened_at, updated_at, version), ','
         ORDER BY tenant_id, order_id) FROM registry_service_orders),
 (SELECT string_agg(concat_ws('|', tenant_id, customer_id, note_id, text_enc IS NULL, author, added_at), ','
         ORDER BY tenant_id, customer_id, note_id) FROM registry_notes),
 (SELECT string_agg(concat_ws('|', tenant_id, customer_id, version, purpose, channel, granted, source, at, actor), ','
         ORDER BY tenant_id, customer_id, version) FROM registry_consents),
 (SELECT string_agg(concat_ws('|', tenant_id, source_id, field, kind, term_hash, customer_id), ','
         ORDER BY tenant_id, source_id, field, kind, term_hash) FROM customer_search)))`

func (e *registryEnv) checksum(t *testing.T) string {
	t.Helper()
	var sum string
	if err := e.db.Admin.QueryRow(context.Background(), registryChecksumSQL).Scan(&sum); err != nil {
		t.Fatal(err)
	}
	return sum
}

// registryTables are every table the registry writes.
var registryTables = []string{
	"registry_customers", "registry_vehicles", "registry_odometer_readings", "registry_service_orders",
	"registry_notes", "registry_consents", "customer_search", "unique_keys", "personal_data_reads",
	"events", `"watermill_events"`,
}

// dump returns the text of every row of every registry table, as a plain
// dump of the database would show it.
func (e *registryEnv) dump(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, table := range registryTables {
		rows, err := e.db.Admin.Query(context.Background(), `SELECT t::text FROM `+table+` t`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, table, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

func newTenantID() tenant.ID {
	t, _ := tenant.FromUUID(uuid.Must(uuid.NewV7()))
	return t
}

// as returns a request context of a staff member with role in workshop t.
func as(t tenant.ID, role authz.Role) context.Context {
	id := role.String() + "-" + t.String()[:8]
	ctx := tenant.WithTenant(context.Background(), t)
	ctx = authz.WithPrincipal(ctx, authz.Principal{IdentityID: id, Tenant: t, Role: role})
	return requestmeta.With(ctx, requestmeta.Meta{Actor: "staff:" + id, CorrelationID: uuid.Must(uuid.NewV7())})
}
