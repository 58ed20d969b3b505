-- Files a workshop uploads (its logo): small, so they live beside the data
-- they brand and follow the same tenant isolation.
CREATE TABLE workshop_assets (
    tenant_id    uuid        NOT NULL,
    name         text        NOT NULL,
    content_type text        NOT NULL,
    data         bytea       NOT NULL,
    sha256       text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, name)
);
ALTER TABLE workshop_assets ENABLE ROW LEVEL SECURITY;
ALTER TABLE workshop_assets FORCE ROW LEVEL SECURITY;
CREATE POLICY workshop_assets_tenant ON workshop_assets
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON workshop_assets TO {{app_role}};
