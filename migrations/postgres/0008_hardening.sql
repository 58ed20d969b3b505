-- Issue 15 item 4: the poison queue of the projections. An event a projection
-- still fails on after its retries is parked here (Watermill's PoisonQueue
-- middleware) so that the consumer group moves on and every other tenant's
-- events keep flowing; `torque projections poison list|replay|skip` works it
-- off as the maintenance role.
--
-- Tenant-scoped like 0001: the runtime role (the worker) may only insert rows
-- of the tenant of its transaction and never read the queue back; listing,
-- replaying and skipping run as the maintenance role, which bypasses
-- row-level security. The payload is the event message as published: its
-- personal fields are ciphertexts (the codec's personal-field hook), so
-- erasure shreds them here too.
CREATE TABLE projection_poison (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    uuid        NOT NULL,
    projection   text        NOT NULL,
    message_uuid text        NOT NULL,
    event_type   text        NOT NULL DEFAULT '',
    stream       text        NOT NULL DEFAULT '',
    version      bigint      NOT NULL DEFAULT 0,
    payload      bytea       NOT NULL,
    metadata     jsonb       NOT NULL DEFAULT '{}',
    reason       text        NOT NULL,
    poisoned_at  timestamptz NOT NULL DEFAULT now(),
    resolved_at  timestamptz,
    resolution   text CHECK (resolution IN ('replayed', 'skipped'))
);
CREATE INDEX projection_poison_open ON projection_poison (projection, id) WHERE resolved_at IS NULL;

ALTER TABLE projection_poison ENABLE ROW LEVEL SECURITY;
ALTER TABLE projection_poison FORCE ROW LEVEL SECURITY;
CREATE POLICY projection_poison_insert ON projection_poison FOR INSERT
    WITH CHECK (tenant_id = torque_current_tenant());

GRANT INSERT ON projection_poison TO {{app_role}};

-- Issue 10 item 5: rate limits shared by every API process (fixed windows).
-- Keys are SHA-256 digests of the limiter's name and the client IP or the
-- e-mail tried, never the IP or e-mail itself; no tenant data, so no tenant
-- policy: the runtime role counts and sweeps old windows.
CREATE TABLE rate_limit_hits (
    key          bytea       NOT NULL,
    window_start timestamptz NOT NULL,
    hits         integer     NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limit_hits_window ON rate_limit_hits (window_start);
GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limit_hits TO {{app_role}};
