-- Analytics fact tables. No personal data: customers, vehicles and mechanics
-- appear only as pseudonyms (a keyed HMAC per workshop, see
-- infrastructure/clickhouse/pseudonyms.go). Every table is a
-- ReplacingMergeTree whose sorting key is a function of the event that wrote
-- the row, so a redelivered event collapses into the row it already wrote;
-- queries read with FINAL (or argMax) so they are right before merges run.

-- One row per line item of a service order. Opening items and added items
-- carry the service and totals; a removal is a row for the same
-- (order, line) with removed = 1 and a higher version, which FINAL keeps.
CREATE TABLE IF NOT EXISTS service_items (
    workshop_id  UUID,
    order_id     UUID,
    line         UInt32,
    version      UInt64,
    event_id     UUID,
    removed      UInt8,
    at           DateTime,
    service      String,
    quantity     Int64,
    total_cents  Int64,
    customer_pid UUID
) ENGINE = ReplacingMergeTree(version)
ORDER BY (workshop_id, order_id, line);

-- One row per service order, written by its opening.
CREATE TABLE IF NOT EXISTS orders (
    workshop_id  UUID,
    order_id     UUID,
    event_id     UUID,
    opened_at    DateTime,
    customer_pid UUID,
    vehicle_pid  UUID,
    mileage_km   Int64,
    has_mileage  UInt8
) ENGINE = ReplacingMergeTree()
ORDER BY (workshop_id, order_id);

-- Every status change of an order (version is the event's stream version).
CREATE TABLE IF NOT EXISTS order_status_changes (
    workshop_id UUID,
    order_id    UUID,
    version     UInt64,
    event_id    UUID,
    from_status String,
    to_status   String,
    at          DateTime
) ENGINE = ReplacingMergeTree()
ORDER BY (workshop_id, order_id, version);

-- Every mechanic assignment of an order; the latest one is responsible.
CREATE TABLE IF NOT EXISTS order_mechanics (
    workshop_id  UUID,
    order_id     UUID,
    version      UInt64,
    event_id     UUID,
    mechanic_pid UUID,
    at           DateTime
) ENGINE = ReplacingMergeTree()
ORDER BY (workshop_id, order_id, version);

-- Vehicle registrations and corrections: empty make/model and year 0 mean
-- "unchanged"; read with argMaxIf(field, version, field set).
CREATE TABLE IF NOT EXISTS vehicles (
    workshop_id UUID,
    vehicle_pid UUID,
    version     UInt64,
    event_id    UUID,
    make        String,
    model       String,
    year        Int64,
    at          DateTime
) ENGINE = ReplacingMergeTree()
ORDER BY (workshop_id, vehicle_pid, version);

-- Customers registered (first visit counts from orders).
CREATE TABLE IF NOT EXISTS customers (
    workshop_id   UUID,
    customer_pid  UUID,
    event_id      UUID,
    registered_at DateTime
) ENGINE = ReplacingMergeTree()
ORDER BY (workshop_id, customer_pid);

-- Feedback scores (NPS 0-10, CSAT 1-5; 0 = not answered). Filled by the
-- feedback events (see docs/analytics.md for the payload expected).
CREATE TABLE IF NOT EXISTS feedback (
    workshop_id  UUID,
    event_id     UUID,
    order_id     UUID,
    customer_pid UUID,
    mechanic_pid UUID,
    service      String,
    nps          Int8,
    has_nps      UInt8,
    csat         Int8,
    at           DateTime
) ENGINE = ReplacingMergeTree()
ORDER BY (workshop_id, event_id);

-- Maintenance reminders: kind 'sent' or 'converted' (a booking or order
-- that followed the reminder).
CREATE TABLE IF NOT EXISTS reminders (
    workshop_id  UUID,
    event_id     UUID,
    reminder_id  UUID,
    kind         String,
    customer_pid UUID,
    service      String,
    channel      String,
    at           DateTime
) ENGINE = ReplacingMergeTree()
ORDER BY (workshop_id, event_id);

-- Appointments: kind 'booked', 'cancelled', 'attended', 'no_show'.
CREATE TABLE IF NOT EXISTS appointments (
    workshop_id    UUID,
    event_id       UUID,
    appointment_id UUID,
    kind           String,
    customer_pid   UUID,
    service        String,
    at             DateTime
) ENGINE = ReplacingMergeTree()
ORDER BY (workshop_id, event_id);

-- Messages (chat, tickets, notifications): direction 'in' or 'out'.
CREATE TABLE IF NOT EXISTS messages (
    workshop_id     UUID,
    event_id        UUID,
    conversation_id UUID,
    direction       String,
    channel         String,
    at              DateTime
) ENGINE = ReplacingMergeTree()
ORDER BY (workshop_id, event_id);

-- Where the analytics projection is in the Watermill topic: the last
-- (transaction_id, offset) whose facts are stored. Written after the facts.
CREATE TABLE IF NOT EXISTS analytics_checkpoint (
    transaction_id UInt64,
    msg_offset     Int64,
    at             DateTime
) ENGINE = MergeTree()
ORDER BY (transaction_id, msg_offset);
