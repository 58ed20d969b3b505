-- Online booking (issue 12 item 5). The appointments read model is filled
-- by the booking projection from the booking_day streams; the reminders
-- ledger is written by the worker: its primary key makes the day-before
-- reminder of an appointment go out at most once, and the worker records it
-- in the transaction that sends it. Booking settings are read from their
-- event stream (no table).
CREATE TABLE booking_appointments (
    tenant_id        uuid        NOT NULL,
    appointment_id   uuid        NOT NULL,
    day              date        NOT NULL,
    customer_id      uuid        NOT NULL,
    vehicle_id       uuid        NOT NULL,
    services         text[]      NOT NULL,
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz NOT NULL,
    status           text        NOT NULL,
    note             text        NOT NULL DEFAULT '',
    service_order_id uuid,
    booked_by        text        NOT NULL,
    booked_at        timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, appointment_id)
);
CREATE INDEX booking_appointments_start ON booking_appointments (tenant_id, starts_at);
CREATE INDEX booking_appointments_customer ON booking_appointments (tenant_id, customer_id, starts_at);
CREATE INDEX booking_appointments_day ON booking_appointments (day, status);

CREATE TABLE booking_reminders (
    tenant_id      uuid        NOT NULL,
    appointment_id uuid        NOT NULL,
    sent_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, appointment_id)
);

ALTER TABLE booking_appointments ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking_appointments FORCE ROW LEVEL SECURITY;
CREATE POLICY booking_appointments_tenant ON booking_appointments
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE booking_reminders ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking_reminders FORCE ROW LEVEL SECURITY;
CREATE POLICY booking_reminders_tenant ON booking_reminders
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

GRANT SELECT, INSERT, UPDATE, DELETE ON booking_appointments TO {{app_role}};
GRANT SELECT, INSERT ON booking_reminders TO {{app_role}};
