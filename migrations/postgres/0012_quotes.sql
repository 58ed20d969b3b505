-- Quotes (orçamentos) of service orders (issue 12): which order a quote id
-- belongs to, so that the portal can address a quote by its own id. The
-- quotes themselves live in the service-order stream; the records
-- projection ("registry") fills this table from service_order.quote_sent.v1.
CREATE TABLE registry_quotes (
    tenant_id   uuid        NOT NULL,
    quote_id    uuid        NOT NULL,
    order_id    uuid        NOT NULL,
    customer_id uuid        NOT NULL,
    version     bigint      NOT NULL,
    sent_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, quote_id)
);
CREATE INDEX registry_quotes_order ON registry_quotes (tenant_id, order_id, version DESC);

ALTER TABLE registry_quotes ENABLE ROW LEVEL SECURITY;
ALTER TABLE registry_quotes FORCE ROW LEVEL SECURITY;
CREATE POLICY registry_quotes_tenant ON registry_quotes
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON registry_quotes TO {{app_role}};
