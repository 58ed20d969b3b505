-- A workshop's own services, beside the default catalogue codes.
CREATE TABLE workshop_services (
    tenant_id       uuid   NOT NULL,
    code            text   NOT NULL,
    label           text   NOT NULL,
    interval_km     bigint NOT NULL DEFAULT 0,
    interval_months int    NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, code)
);
ALTER TABLE workshop_services ENABLE ROW LEVEL SECURITY;
ALTER TABLE workshop_services FORCE ROW LEVEL SECURITY;
CREATE POLICY workshop_services_tenant ON workshop_services
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON workshop_services TO {{app_role}};
