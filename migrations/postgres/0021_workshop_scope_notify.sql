-- Issue 15: the API caches each (workshop, person) scope it resolves (the
-- workshop row and the person's role there) so that a request does not spend
-- a round trip on it. Every change to either table, by any process, the
-- projections, a rebuild or a hand-written statement alike, announces itself
-- on this channel and every process drops its cached scopes. Scope changes
-- are rare (a role change, a removal, a plan or policy change), so the
-- commit-time NOTIFY lock this takes never sits on a hot write path.
CREATE FUNCTION torque_workshop_scopes_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_notify('torque_workshop_scopes_changed', '');
    RETURN NULL;
END $$;
CREATE TRIGGER workshops_scopes_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON workshops
    FOR EACH STATEMENT EXECUTE FUNCTION torque_workshop_scopes_changed();
CREATE TRIGGER memberships_scopes_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON memberships
    FOR EACH STATEMENT EXECUTE FUNCTION torque_workshop_scopes_changed();
