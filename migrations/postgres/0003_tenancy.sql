-- Tenancy read models. The registry tables (workshops, memberships,
-- franchises...) are platform-level: a request must resolve a slug and the
-- caller's memberships before any tenant is known, so they carry no row-level
-- security. They hold no personal data of car owners; staff names and e-mails
-- live in the tenant-scoped staff_members table instead.

CREATE TABLE workshop_slugs (
    slug        text PRIMARY KEY,
    workshop_id uuid NOT NULL UNIQUE,
    reserved_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE workshops (
    id                  uuid PRIMARY KEY,
    slug                text NOT NULL UNIQUE,
    name                text NOT NULL,
    plan                text NOT NULL,
    status              text NOT NULL,
    time_zone           text NOT NULL,
    franchise_id        uuid,
    billing_customer_id text,
    subscription_id     text,
    profile             jsonb NOT NULL DEFAULT '{}',
    version             bigint NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);
CREATE INDEX workshops_billing_customer ON workshops (billing_customer_id);
CREATE INDEX workshops_franchise ON workshops (franchise_id);

CREATE TABLE memberships (
    tenant_id   uuid NOT NULL,
    identity_id text NOT NULL,
    role        text NOT NULL,
    joined_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, identity_id)
);
CREATE INDEX memberships_identity ON memberships (identity_id);

-- Staff contact details: tenant-scoped, protected by row-level security.
CREATE TABLE staff_members (
    tenant_id   uuid NOT NULL,
    identity_id text NOT NULL,
    email       text NOT NULL,
    name        text NOT NULL,
    role        text NOT NULL,
    invited     boolean NOT NULL,
    joined_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, identity_id)
);
ALTER TABLE staff_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE staff_members FORCE ROW LEVEL SECURITY;
CREATE POLICY staff_members_tenant ON staff_members
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

CREATE TABLE franchises (
    id         uuid PRIMARY KEY,
    name       text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE TABLE franchise_managers (
    franchise_id uuid NOT NULL,
    identity_id  text NOT NULL,
    PRIMARY KEY (franchise_id, identity_id)
);
CREATE INDEX franchise_managers_identity ON franchise_managers (identity_id);
CREATE TABLE franchise_workshops (
    franchise_id uuid NOT NULL,
    workshop_id  uuid NOT NULL,
    state        text NOT NULL CHECK (state IN ('invited', 'member')),
    PRIMARY KEY (franchise_id, workshop_id)
);
CREATE INDEX franchise_workshops_workshop ON franchise_workshops (workshop_id);

-- Webhook deliveries already processed, so a redelivered event is applied once.
CREATE TABLE processed_webhooks (
    provider     text NOT NULL,
    event_id     text NOT NULL,
    event_type   text NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, event_id)
);

GRANT SELECT, INSERT, DELETE ON workshop_slugs TO {{app_role}};
GRANT SELECT, INSERT, UPDATE, DELETE ON workshops, memberships, staff_members, franchises,
    franchise_managers, franchise_workshops TO {{app_role}};
GRANT SELECT, INSERT, DELETE ON processed_webhooks TO {{app_role}};
