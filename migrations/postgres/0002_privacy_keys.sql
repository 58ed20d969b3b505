-- Keys of field-level envelope encryption and blind indexes (LGPD; see
-- docs/privacy-crypto.md). No key is stored in the clear: tenant keys are
-- wrapped by the master key ring, which lives outside the database, and
-- subject keys are wrapped by their tenant's 'kek' key. Row-level security as
-- in 0001: the runtime role sees only the rows of the tenant of its transaction.

-- One key per tenant and purpose: 'kek' wraps the tenant's subject keys,
-- 'blind_index' keys the HMAC of its blind indexes (independent of 'kek', so
-- neither key helps with the other's job). Rotation of the master ring
-- re-wraps these rows (same key material, new master_key_id and wrapped).
CREATE TABLE tenant_keys (
    tenant_id     uuid        NOT NULL,
    purpose       text        NOT NULL CHECK (purpose IN ('kek', 'blind_index')),
    -- Version of the key material; bound into the wrapping and into every
    -- subject key it wraps, so a future re-keying can tell generations apart.
    version       int         NOT NULL DEFAULT 1 CHECK (version > 0),
    master_key_id text        NOT NULL CHECK (master_key_id <> ''),
    wrapped       bytea       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    rotated_at    timestamptz,
    PRIMARY KEY (tenant_id, purpose)
);
ALTER TABLE tenant_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_keys_tenant ON tenant_keys
    USING (tenant_id = torque_current_tenant())
    WITH CHECK (tenant_id = torque_current_tenant());

-- One data key per data subject (e.g. customer). Crypto-shredding sets wrapped
-- to NULL and records shredded_at; the row stays as a tombstone so that no new
-- key is ever created for an erased subject.
CREATE TABLE subject_keys (
    tenant_id          uuid        NOT NULL,
    subject_id         uuid        NOT NULL,
    wrapped            bytea,
    tenant_key_version int         NOT NULL DEFAULT 1 CHECK (tenant_key_version > 0),
    created_at         timestamptz NOT NULL DEFAULT now(),
    shredded_at        timestamptz,
    PRIMARY KEY (tenant_id, subject_id),
    CONSTRAINT subject_keys_shredded CHECK ((wrapped IS NULL) = (shredded_at IS NOT NULL))
);
ALTER TABLE subject_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE subject_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY subject_keys_tenant ON subject_keys
    USING (tenant_id = torque_current_tenant())
    WITH CHECK (tenant_id = torque_current_tenant());

-- Erasure is final: a shredded key row never gets key material again, and a
-- row never moves to another tenant or subject.
CREATE FUNCTION torque_subject_keys_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.tenant_id <> OLD.tenant_id OR NEW.subject_id <> OLD.subject_id THEN
        RAISE EXCEPTION 'subject_keys: tenant_id and subject_id are immutable';
    END IF;
    IF OLD.wrapped IS NULL AND NEW.wrapped IS NOT NULL THEN
        RAISE EXCEPTION 'subject_keys: subject % was erased; its key cannot be restored', OLD.subject_id;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER subject_keys_guard BEFORE UPDATE ON subject_keys
    FOR EACH ROW EXECUTE FUNCTION torque_subject_keys_guard();

-- Least privilege: the runtime role creates keys lazily and shreds subject
-- keys (UPDATE of exactly the two shredding columns). Re-wrapping tenant keys
-- (`torque keys rotate`) runs as the maintenance role; nobody deletes.
GRANT SELECT, INSERT ON tenant_keys TO {{app_role}};
GRANT SELECT, INSERT ON subject_keys TO {{app_role}};
GRANT UPDATE (wrapped, shredded_at) ON subject_keys TO {{app_role}};
