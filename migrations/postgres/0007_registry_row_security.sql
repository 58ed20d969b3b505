-- Issue 10 item 8 (see docs/security-db.md): the runtime role may read the
-- platform registry of workshops and memberships (a request resolves a slug and
-- the caller's memberships before any tenant is known), but it writes only the
-- rows of the tenant of its transaction. Only the workshop projection writes
-- these tables, and it runs scoped to the event's tenant (the workshop itself),
-- so a bug or an injection in a request scoped to one workshop can no longer
-- rewrite or delete another workshop's registry rows. Rebuilding the projection
-- (which empties the tables) runs as the maintenance role, which bypasses
-- row-level security.

ALTER TABLE workshops ENABLE ROW LEVEL SECURITY;
ALTER TABLE workshops FORCE ROW LEVEL SECURITY;
CREATE POLICY workshops_read ON workshops FOR SELECT USING (true);
CREATE POLICY workshops_insert ON workshops FOR INSERT
    WITH CHECK (id = torque_current_tenant());
CREATE POLICY workshops_update ON workshops FOR UPDATE
    USING (id = torque_current_tenant())
    WITH CHECK (id = torque_current_tenant());

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY memberships_read ON memberships FOR SELECT USING (true);
CREATE POLICY memberships_insert ON memberships FOR INSERT
    WITH CHECK (tenant_id = torque_current_tenant());
CREATE POLICY memberships_update ON memberships FOR UPDATE
    USING (tenant_id = torque_current_tenant())
    WITH CHECK (tenant_id = torque_current_tenant());
CREATE POLICY memberships_delete ON memberships FOR DELETE
    USING (tenant_id = torque_current_tenant());

-- The franchise registry likewise: the franchise projection runs scoped to the
-- franchise's own tenant (its id).
ALTER TABLE franchises ENABLE ROW LEVEL SECURITY;
ALTER TABLE franchises FORCE ROW LEVEL SECURITY;
CREATE POLICY franchises_read ON franchises FOR SELECT USING (true);
CREATE POLICY franchises_insert ON franchises FOR INSERT
    WITH CHECK (id = torque_current_tenant());
CREATE POLICY franchises_update ON franchises FOR UPDATE
    USING (id = torque_current_tenant())
    WITH CHECK (id = torque_current_tenant());

ALTER TABLE franchise_managers ENABLE ROW LEVEL SECURITY;
ALTER TABLE franchise_managers FORCE ROW LEVEL SECURITY;
CREATE POLICY franchise_managers_read ON franchise_managers FOR SELECT USING (true);
CREATE POLICY franchise_managers_write ON franchise_managers FOR ALL
    USING (franchise_id = torque_current_tenant())
    WITH CHECK (franchise_id = torque_current_tenant());

ALTER TABLE franchise_workshops ENABLE ROW LEVEL SECURITY;
ALTER TABLE franchise_workshops FORCE ROW LEVEL SECURITY;
CREATE POLICY franchise_workshops_read ON franchise_workshops FOR SELECT USING (true);
CREATE POLICY franchise_workshops_write ON franchise_workshops FOR ALL
    USING (franchise_id = torque_current_tenant())
    WITH CHECK (franchise_id = torque_current_tenant());

-- A workshop or a franchise is never deleted at run time (only a rebuild, as
-- the maintenance role, empties the tables).
REVOKE DELETE ON workshops, franchises FROM {{app_role}};
