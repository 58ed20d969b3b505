-- Core of the event-sourced model: the append-only event store, the Watermill
-- message table it publishes to in the same transaction, and projection
-- bookkeeping. Every tenant-scoped table is protected by row-level security;
-- the runtime role is not the owner and has no BYPASSRLS.

-- The tenant of the current transaction, set by the application with
-- set_config('app.tenant_id', id, true). Unset means "no tenant": every policy
-- comparison is then NULL and no row is visible or writable.
CREATE FUNCTION torque_current_tenant() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE TABLE events (
    tenant_id      uuid        NOT NULL,
    stream_id      uuid        NOT NULL,
    version        bigint      NOT NULL CHECK (version > 0),
    stream_type    text        NOT NULL,
    event_id       uuid        NOT NULL UNIQUE,
    type           text        NOT NULL,
    schema         int         NOT NULL CHECK (schema > 0),
    occurred_at    timestamptz NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    actor          text        NOT NULL,
    correlation_id uuid,
    causation_id   uuid,
    payload        jsonb       NOT NULL,
    -- Global order for catch-up readers: (transaction_id, position). A bare
    -- serial is not enough because a lower position can commit later.
    position       bigserial   NOT NULL,
    transaction_id xid8        NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (tenant_id, stream_id, version)
);
-- The design names UNIQUE (stream_id, version); stream ids are UUIDv7 and never
-- shared across tenants, so the primary key above enforces it per tenant and
-- this index enforces it globally.
CREATE UNIQUE INDEX events_stream_version ON events (stream_id, version);
CREATE INDEX events_global_order ON events (transaction_id, position);

ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE events FORCE ROW LEVEL SECURITY;
CREATE POLICY events_tenant ON events
    USING (tenant_id = torque_current_tenant())
    WITH CHECK (tenant_id = torque_current_tenant());

-- Watermill (watermill-sql v4, DefaultPostgreSQLSchema) message table of the
-- topic "events" and its consumer-group offsets. Created here because the
-- runtime role has no DDL rights. Messages carry sealed payloads only.
CREATE TABLE "watermill_events" (
    "offset"         bigserial,
    "uuid"           varchar(36) NOT NULL,
    "created_at"     timestamp   NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload"        json        DEFAULT NULL,
    "metadata"       json        DEFAULT NULL,
    "transaction_id" xid8        NOT NULL,
    PRIMARY KEY ("transaction_id", "offset")
);
CREATE TABLE "watermill_offsets_events" (
    consumer_group                varchar(255) NOT NULL,
    offset_acked                  bigint,
    last_processed_transaction_id xid8         NOT NULL,
    PRIMARY KEY (consumer_group)
);

-- What each projection has applied, per stream: redelivery of an event at or
-- below the recorded version is skipped, and read-your-writes waits on it.
CREATE TABLE projection_checkpoints (
    tenant_id  uuid        NOT NULL,
    projection text        NOT NULL,
    stream_id  uuid        NOT NULL,
    version    bigint      NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, projection, stream_id)
);
ALTER TABLE projection_checkpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE projection_checkpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY projection_checkpoints_tenant ON projection_checkpoints
    USING (tenant_id = torque_current_tenant())
    WITH CHECK (tenant_id = torque_current_tenant());

-- Gapless per-tenant numbers (service-order numbers), allocated in the same
-- transaction as the append that uses them.
CREATE TABLE tenant_sequences (
    tenant_id  uuid   NOT NULL,
    name       text   NOT NULL,
    last_value bigint NOT NULL,
    PRIMARY KEY (tenant_id, name)
);
ALTER TABLE tenant_sequences ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_sequences FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_sequences_tenant ON tenant_sequences
    USING (tenant_id = torque_current_tenant())
    WITH CHECK (tenant_id = torque_current_tenant());

GRANT EXECUTE ON FUNCTION torque_current_tenant() TO {{app_role}};
GRANT SELECT, INSERT, UPDATE ON tenant_sequences TO {{app_role}};
GRANT SELECT, INSERT ON events TO {{app_role}};
GRANT USAGE ON SEQUENCE events_position_seq TO {{app_role}};
GRANT SELECT, INSERT ON "watermill_events" TO {{app_role}};
GRANT USAGE ON SEQUENCE "watermill_events_offset_seq" TO {{app_role}};
GRANT SELECT, INSERT, UPDATE ON "watermill_offsets_events" TO {{app_role}};
GRANT SELECT, INSERT, UPDATE, DELETE ON projection_checkpoints TO {{app_role}};
