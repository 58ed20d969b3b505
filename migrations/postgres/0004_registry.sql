-- Customer registry read models (customers, vehicles, odometer readings,
-- service orders, notes, consents, search index), the synchronous unique
-- keys of the write side and the audit log of personal data reads.
--
-- Every table is tenant-scoped exactly like 0001: tenant_id leads the
-- primary key, row-level security is enabled and forced, and the policy
-- pins rows to torque_current_tenant().
--
-- Personal data (LGPD) is never stored in clear: columns ending in _enc hold
-- ciphertexts of the person's own data key (privacy.Cipher, bound to the
-- tenant, the person and the column), NULL when absent or erased; search and
-- uniqueness use blind indexes (keyed HMAC per tenant) only.

-- Customer 360: the profile. version is the customer stream's version (the
-- API's ETag); erased rows stay as the anonymised record of the person.
CREATE TABLE registry_customers (
    tenant_id         uuid        NOT NULL,
    customer_id       uuid        NOT NULL,
    name_enc          text,
    document_enc      text,
    -- 'cpf', 'cnpj' or '': says nothing about the person.
    document_type     text        NOT NULL DEFAULT '',
    email_enc         text,
    mobile_enc        text,
    landline_enc      text,
    street_enc        text,
    number_enc        text,
    complement_enc    text,
    district_enc      text,
    city_enc          text,
    state_enc         text,
    postal_code_enc   text,
    marketing_consent boolean     NOT NULL DEFAULT false,
    erased            boolean     NOT NULL DEFAULT false,
    erased_at         timestamptz,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    version           bigint      NOT NULL,
    PRIMARY KEY (tenant_id, customer_id)
);

-- Vehicles. The plate is personal data of the current owner (encrypted
-- under the owner's key, re-encrypted on transfer); make, model, year and
-- colour are not. odometer_replaced marks that the next reading starts a
-- new odometer.
CREATE TABLE registry_vehicles (
    tenant_id         uuid        NOT NULL,
    vehicle_id        uuid        NOT NULL,
    customer_id       uuid        NOT NULL,
    plate_enc         text,
    make              text        NOT NULL,
    model             text        NOT NULL,
    year              int         NOT NULL,
    color             text        NOT NULL DEFAULT '',
    mileage_km        bigint,
    odometer_replaced boolean     NOT NULL DEFAULT false,
    registered_at     timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    version           bigint      NOT NULL,
    PRIMARY KEY (tenant_id, vehicle_id)
);
CREATE INDEX registry_vehicles_customer ON registry_vehicles (tenant_id, customer_id, vehicle_id);

-- Odometer readings, one per vehicle stream version that recorded one.
CREATE TABLE registry_odometer_readings (
    tenant_id    uuid        NOT NULL,
    vehicle_id   uuid        NOT NULL,
    version      bigint      NOT NULL,
    km           bigint      NOT NULL,
    read_at      timestamptz NOT NULL,
    source       text        NOT NULL,
    new_odometer boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, vehicle_id, version)
);

-- Service-order board. Orders hold no personal data: the customer is named
-- by id only, and they survive the customer's erasure as the workshop's
-- anonymised warranty record. items and status_history are JSON arrays
-- written by the projection.
CREATE TABLE registry_service_orders (
    tenant_id      uuid        NOT NULL,
    order_id       uuid        NOT NULL,
    number         bigint      NOT NULL,
    status         text        NOT NULL,
    customer_id    uuid        NOT NULL,
    vehicle_id     uuid        NOT NULL,
    mileage_km     bigint,
    description    text        NOT NULL DEFAULT '',
    items          jsonb       NOT NULL DEFAULT '[]',
    total_cents    bigint      NOT NULL DEFAULT 0,
    mechanic_id    text        NOT NULL DEFAULT '',
    status_history jsonb       NOT NULL DEFAULT '[]',
    opened_at      timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    version        bigint      NOT NULL,
    PRIMARY KEY (tenant_id, order_id),
    UNIQUE (tenant_id, number)
);
-- Lists are newest (highest number) first, filtered by one of these.
CREATE INDEX registry_service_orders_customer ON registry_service_orders (tenant_id, customer_id, number DESC);
CREATE INDEX registry_service_orders_vehicle ON registry_service_orders (tenant_id, vehicle_id, number DESC);
CREATE INDEX registry_service_orders_status ON registry_service_orders (tenant_id, status, number DESC);

-- Notes about a customer; the text is encrypted under the customer's key.
CREATE TABLE registry_notes (
    tenant_id   uuid        NOT NULL,
    customer_id uuid        NOT NULL,
    note_id     uuid        NOT NULL,
    text_enc    text,
    author      text        NOT NULL,
    added_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, customer_id, note_id)
);

-- Consent history (LGPD proof of consent): one row per ConsentGiven or
-- ConsentWithdrawn, keyed by the customer stream version that recorded it.
CREATE TABLE registry_consents (
    tenant_id   uuid        NOT NULL,
    customer_id uuid        NOT NULL,
    version     bigint      NOT NULL,
    purpose     text        NOT NULL,
    channel     text        NOT NULL DEFAULT '',
    granted     boolean     NOT NULL,
    source      text        NOT NULL,
    at          timestamptz NOT NULL,
    actor       text        NOT NULL,
    PRIMARY KEY (tenant_id, customer_id, version)
);

-- Search index: blind indexes of normalised CPF/CNPJ, e-mail, phones,
-- plates and name words and prefixes. source_id is the record the term
-- comes from (the customer, or the vehicle for a plate) and field the API
-- field, so a correction replaces exactly that field's terms and a
-- transfer moves a plate's terms to the new owner.
CREATE TABLE customer_search (
    tenant_id   uuid NOT NULL,
    source_id   uuid NOT NULL,
    field       text NOT NULL,
    kind        text NOT NULL,
    term_hash   text NOT NULL,
    customer_id uuid NOT NULL,
    PRIMARY KEY (tenant_id, source_id, field, kind, term_hash)
);
-- The lookup: exact terms, and the AND of a name query's terms.
CREATE INDEX customer_search_term ON customer_search (tenant_id, kind, term_hash, customer_id);
CREATE INDEX customer_search_customer ON customer_search (tenant_id, customer_id);

-- Unique keys of the write side (same CPF/CNPJ or plate twice in one
-- workshop), claimed synchronously before the append because the read
-- models are only eventually consistent. key_hash is a blind index.
CREATE TABLE unique_keys (
    tenant_id  uuid        NOT NULL,
    kind       text        NOT NULL,
    key_hash   text        NOT NULL,
    owner_id   uuid        NOT NULL,
    claimed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, kind, key_hash)
);
CREATE INDEX unique_keys_owner ON unique_keys (tenant_id, kind, owner_id);

-- Audit log of reads of personal data: who, when, whose, which fields,
-- through which endpoint. Append-only for the runtime role. ids are
-- UUIDv7, so id order is time order.
CREATE TABLE personal_data_reads (
    tenant_id  uuid        NOT NULL,
    id         uuid        NOT NULL,
    actor      text        NOT NULL,
    at         timestamptz NOT NULL,
    subject_id uuid        NOT NULL,
    fields     text[]      NOT NULL,
    endpoint   text        NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX personal_data_reads_subject ON personal_data_reads (tenant_id, subject_id, id DESC);

ALTER TABLE registry_customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE registry_customers FORCE ROW LEVEL SECURITY;
CREATE POLICY registry_customers_tenant ON registry_customers
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE registry_vehicles ENABLE ROW LEVEL SECURITY;
ALTER TABLE registry_vehicles FORCE ROW LEVEL SECURITY;
CREATE POLICY registry_vehicles_tenant ON registry_vehicles
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE registry_odometer_readings ENABLE ROW LEVEL SECURITY;
ALTER TABLE registry_odometer_readings FORCE ROW LEVEL SECURITY;
CREATE POLICY registry_odometer_readings_tenant ON registry_odometer_readings
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE registry_service_orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE registry_service_orders FORCE ROW LEVEL SECURITY;
CREATE POLICY registry_service_orders_tenant ON registry_service_orders
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE registry_notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE registry_notes FORCE ROW LEVEL SECURITY;
CREATE POLICY registry_notes_tenant ON registry_notes
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE registry_consents ENABLE ROW LEVEL SECURITY;
ALTER TABLE registry_consents FORCE ROW LEVEL SECURITY;
CREATE POLICY registry_consents_tenant ON registry_consents
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE customer_search ENABLE ROW LEVEL SECURITY;
ALTER TABLE customer_search FORCE ROW LEVEL SECURITY;
CREATE POLICY customer_search_tenant ON customer_search
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE unique_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE unique_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY unique_keys_tenant ON unique_keys
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE personal_data_reads ENABLE ROW LEVEL SECURITY;
ALTER TABLE personal_data_reads FORCE ROW LEVEL SECURITY;
CREATE POLICY personal_data_reads_tenant ON personal_data_reads
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

GRANT SELECT, INSERT, UPDATE, DELETE ON registry_customers, registry_vehicles, registry_odometer_readings,
    registry_service_orders, registry_notes, registry_consents, customer_search, unique_keys TO {{app_role}};
GRANT SELECT, INSERT ON personal_data_reads TO {{app_role}};
