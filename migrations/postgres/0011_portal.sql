-- Issue 12 (customer portal). Two things:
--
-- 1. A car owner's erasure request (customer.erasure_requested.v1) shows on the
--    customer's read-model row until the owner confirms it (the erasure sets
--    erased) : the back office lists the pending ones.
-- 2. The portal's one-time-code logins in progress: POST .../auth/code starts
--    a Kratos login flow and POST .../auth/login finishes it, so the flow id
--    (a server-side secret: whoever holds it may submit codes) waits here,
--    keyed by the tenant's blind index of the e-mail (never the address itself).
--    Rows are short-lived (the code's lifespan) and replaced by a new request.

ALTER TABLE registry_customers ADD COLUMN erasure_requested_at timestamptz;
CREATE INDEX registry_customers_erasure_requested ON registry_customers (tenant_id, erasure_requested_at)
    WHERE erasure_requested_at IS NOT NULL AND NOT erased;

CREATE TABLE portal_login_flows (
    tenant_id   uuid        NOT NULL,
    email_index text        NOT NULL,
    flow_id     text        NOT NULL,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, email_index)
);
ALTER TABLE portal_login_flows ENABLE ROW LEVEL SECURITY;
ALTER TABLE portal_login_flows FORCE ROW LEVEL SECURITY;
CREATE POLICY portal_login_flows_tenant ON portal_login_flows
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON portal_login_flows TO {{app_role}};
