-- Preventive-maintenance reminders (issue 11 item 5). Tenant tables exactly
-- like 0004: tenant_id leads the primary key, row-level security is enabled
-- and forced, the policy pins rows to torque_current_tenant().
--
-- The maintenance projection keeps its own inputs (vehicles, odometer
-- readings, orders and the services they hold) so that it depends on no other
-- projection; every change marks the vehicle dirty, and the reminders worker
-- recomputes maintenance_due for dirty vehicles (the prediction is Go code in
-- domain/maintenance, not SQL). maintenance_reminders is the status of each
-- due cycle, from the maintenance.reminder_* events.

-- One row per vehicle: its owner, the "next reading starts a new odometer"
-- flag and the dirty mark: each input change bumps dirty_gen; the worker
-- recomputes and stores the generation it read as computed_gen, so a change
-- that lands meanwhile keeps the vehicle dirty.
CREATE TABLE maintenance_vehicles (
    tenant_id        uuid        NOT NULL,
    vehicle_id       uuid        NOT NULL,
    customer_id      uuid,
    replaced_pending boolean     NOT NULL DEFAULT false,
    dirty_gen        bigint      NOT NULL DEFAULT 0,
    computed_gen     bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, vehicle_id)
);
CREATE INDEX maintenance_vehicles_dirty ON maintenance_vehicles (tenant_id, vehicle_id) WHERE dirty_gen > computed_gen;

-- Odometer readings: source_id/version name the event (vehicle stream, or
-- the order that carried a reading).
CREATE TABLE maintenance_readings (
    tenant_id    uuid        NOT NULL,
    vehicle_id   uuid        NOT NULL,
    source_id    uuid        NOT NULL,
    version      bigint      NOT NULL,
    km           bigint      NOT NULL,
    read_at      timestamptz NOT NULL,
    new_odometer boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, vehicle_id, source_id, version)
);

-- Orders (what items need to know) and the periodic services they hold.
CREATE TABLE maintenance_orders (
    tenant_id  uuid        NOT NULL,
    order_id   uuid        NOT NULL,
    vehicle_id uuid        NOT NULL,
    opened_at  timestamptz NOT NULL,
    km         bigint,
    cancelled  boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, order_id)
);
CREATE INDEX maintenance_orders_vehicle ON maintenance_orders (tenant_id, vehicle_id, opened_at);

CREATE TABLE maintenance_services_done (
    tenant_id  uuid        NOT NULL,
    order_id   uuid        NOT NULL,
    line       bigint      NOT NULL,
    vehicle_id uuid        NOT NULL,
    service    text        NOT NULL,
    PRIMARY KEY (tenant_id, order_id, line)
);
CREATE INDEX maintenance_services_done_vehicle ON maintenance_services_done (tenant_id, vehicle_id);

-- The next due point of each service of each vehicle (recomputed).
CREATE TABLE maintenance_due (
    tenant_id     uuid             NOT NULL,
    vehicle_id    uuid             NOT NULL,
    service       text             NOT NULL,
    cycle         text             NOT NULL,
    customer_id   uuid,
    due_at        date             NOT NULL,
    due_by        text             NOT NULL,
    due_km        bigint,
    km_per_day    double precision NOT NULL,
    km_source     text             NOT NULL,
    last_done_at  timestamptz      NOT NULL,
    computed_at   timestamptz      NOT NULL,
    PRIMARY KEY (tenant_id, vehicle_id, service)
);
CREATE INDEX maintenance_due_at ON maintenance_due (tenant_id, due_at, vehicle_id, service);

-- Status of each due cycle's reminder (maintenance_reminder stream).
CREATE TABLE maintenance_reminders (
    tenant_id     uuid        NOT NULL,
    reminder_id   uuid        NOT NULL,
    vehicle_id    uuid        NOT NULL,
    customer_id   uuid,
    service       text        NOT NULL,
    cycle         text        NOT NULL,
    status        text        NOT NULL,
    -- due: the scheduler found it due (status stays 'scheduled' until sent).
    due           boolean     NOT NULL DEFAULT false,
    due_at        date,
    frequency     text        NOT NULL DEFAULT '',
    due_recorded_at timestamptz,
    sent_at       timestamptz,
    channel       text        NOT NULL DEFAULT '',
    order_id      uuid,
    converted_at  timestamptz,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, reminder_id)
);
CREATE INDEX maintenance_reminders_vehicle ON maintenance_reminders (tenant_id, vehicle_id, service, cycle);
CREATE INDEX maintenance_reminders_pending ON maintenance_reminders (tenant_id, status, due);

-- The customer's reminder frequency until the messaging preferences land
-- (API.md "Communication": each_due | monthly | quarterly | never). No row
-- means each_due.
CREATE TABLE maintenance_preferences (
    tenant_id   uuid NOT NULL,
    customer_id uuid NOT NULL,
    frequency   text NOT NULL DEFAULT 'each_due'
        CHECK (frequency IN ('each_due', 'monthly', 'quarterly', 'never')),
    PRIMARY KEY (tenant_id, customer_id)
);

ALTER TABLE maintenance_vehicles ENABLE ROW LEVEL SECURITY;
ALTER TABLE maintenance_vehicles FORCE ROW LEVEL SECURITY;
CREATE POLICY maintenance_vehicles_tenant ON maintenance_vehicles
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE maintenance_readings ENABLE ROW LEVEL SECURITY;
ALTER TABLE maintenance_readings FORCE ROW LEVEL SECURITY;
CREATE POLICY maintenance_readings_tenant ON maintenance_readings
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE maintenance_orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE maintenance_orders FORCE ROW LEVEL SECURITY;
CREATE POLICY maintenance_orders_tenant ON maintenance_orders
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE maintenance_services_done ENABLE ROW LEVEL SECURITY;
ALTER TABLE maintenance_services_done FORCE ROW LEVEL SECURITY;
CREATE POLICY maintenance_services_done_tenant ON maintenance_services_done
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE maintenance_due ENABLE ROW LEVEL SECURITY;
ALTER TABLE maintenance_due FORCE ROW LEVEL SECURITY;
CREATE POLICY maintenance_due_tenant ON maintenance_due
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE maintenance_reminders ENABLE ROW LEVEL SECURITY;
ALTER TABLE maintenance_reminders FORCE ROW LEVEL SECURITY;
CREATE POLICY maintenance_reminders_tenant ON maintenance_reminders
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE maintenance_preferences ENABLE ROW LEVEL SECURITY;
ALTER TABLE maintenance_preferences FORCE ROW LEVEL SECURITY;
CREATE POLICY maintenance_preferences_tenant ON maintenance_preferences
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

GRANT SELECT, INSERT, UPDATE, DELETE ON maintenance_vehicles, maintenance_readings, maintenance_orders,
    maintenance_services_done, maintenance_due, maintenance_reminders, maintenance_preferences TO {{app_role}};
