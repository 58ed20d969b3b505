-- Messaging (issue 11): the outbox of messages to car owners, their
-- preferences, the workshops' templates and campaigns, and the platform
-- bookkeeping the delivery worker and the public links need.
--
-- Tenant tables (messages, messaging_preferences, message_templates,
-- campaigns) are scoped like 0004: tenant_id leads the key, row-level
-- security enabled and forced. They hold no contact data in clear: a message
-- keeps only a masked address (e.g. "j***@e***.com"); the address is resolved
-- from the customer read model at send time, so an erasure leaves nothing
-- readable here.
--
-- The platform tables (message_dispatch, message_provider_refs,
-- message_tokens, whatsapp_windows) hold ids, hashes and times only: the
-- worker claims across tenants, and webhooks and public links arrive before
-- any tenant is known (docs/security-db.md, "platform bookkeeping").

CREATE TABLE messages (
    tenant_id     uuid        NOT NULL,
    message_id    uuid        NOT NULL,
    customer_id   uuid        NOT NULL,
    kind          text        NOT NULL,
    purpose       text        NOT NULL,
    -- '' until the worker picks one of the customer's chosen channels.
    channel       text        NOT NULL DEFAULT '',
    status        text        NOT NULL DEFAULT 'queued',
    reason        text        NOT NULL DEFAULT '',
    attempts      int         NOT NULL DEFAULT 0,
    dedupe_key    text        NOT NULL,
    -- Non-personal template variables fixed at enqueue time (order id,
    -- status, campaign id...).
    vars          jsonb       NOT NULL DEFAULT '{}',
    order_id      uuid,
    campaign_id   uuid,
    to_masked     text        NOT NULL DEFAULT '',
    provider_id   text        NOT NULL DEFAULT '',
    last_error    text        NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL,
    due_at        timestamptz NOT NULL,
    sent_at       timestamptz,
    delivered_at  timestamptz,
    read_at       timestamptz,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, message_id),
    UNIQUE (tenant_id, dedupe_key)
);
CREATE INDEX messages_customer ON messages (tenant_id, customer_id, created_at DESC);
CREATE INDEX messages_campaign ON messages (tenant_id, campaign_id) WHERE campaign_id IS NOT NULL;

CREATE TABLE messaging_preferences (
    tenant_id      uuid        NOT NULL,
    customer_id    uuid        NOT NULL,
    channels       text[]      NOT NULL,
    reminders      text        NOT NULL,
    quiet_from     text        NOT NULL,
    quiet_to       text        NOT NULL,
    -- Channels the customer unsubscribed from (marketing), by link.
    opted_out      text[]      NOT NULL DEFAULT '{}',
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, customer_id)
);

CREATE TABLE message_templates (
    tenant_id   uuid        NOT NULL,
    kind        text        NOT NULL,
    channel     text        NOT NULL,
    subject     text        NOT NULL DEFAULT '',
    body        text        NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, kind, channel)
);

CREATE TABLE campaigns (
    tenant_id    uuid        NOT NULL,
    campaign_id  uuid        NOT NULL,
    name         text        NOT NULL,
    channel      text        NOT NULL,
    subject      text        NOT NULL DEFAULT '',
    body         text        NOT NULL,
    segment      jsonb       NOT NULL,
    send_at      timestamptz NOT NULL,
    targeted     int         NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, campaign_id)
);

-- The delivery queue: one row per message still to be attempted. The worker
-- claims due rows with FOR UPDATE SKIP LOCKED and a lease; a worker that dies
-- leaves its lease to expire and another takes the row.
CREATE TABLE message_dispatch (
    tenant_id    uuid        NOT NULL,
    message_id   uuid        NOT NULL,
    due_at       timestamptz NOT NULL,
    lease_until  timestamptz,
    leased_by    text        NOT NULL DEFAULT '',
    PRIMARY KEY (tenant_id, message_id)
);
CREATE INDEX message_dispatch_due ON message_dispatch (due_at);

-- A provider's message id → our message, for status webhooks.
CREATE TABLE message_provider_refs (
    provider     text        NOT NULL,
    provider_id  text        NOT NULL,
    tenant_id    uuid        NOT NULL,
    message_id   uuid        NOT NULL,
    PRIMARY KEY (provider, provider_id)
);

-- Public links: the feedback link of a thank-you message and the unsubscribe
-- link of a campaign. Only the SHA-256 of the token is stored.
CREATE TABLE message_tokens (
    token_hash   text        NOT NULL PRIMARY KEY,
    purpose      text        NOT NULL,
    tenant_id    uuid        NOT NULL,
    customer_id  uuid        NOT NULL,
    message_id   uuid,
    order_id     uuid,
    channel      text        NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    used_at      timestamptz
);

-- WhatsApp's 24-hour customer-service window: the last message a number sent
-- us. number_hash is a keyed hash (HMAC) of the E.164 number.
CREATE TABLE whatsapp_windows (
    number_hash  text        NOT NULL PRIMARY KEY,
    last_inbound timestamptz NOT NULL
);

ALTER TABLE messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE messages FORCE ROW LEVEL SECURITY;
CREATE POLICY messages_tenant ON messages
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE messaging_preferences ENABLE ROW LEVEL SECURITY;
ALTER TABLE messaging_preferences FORCE ROW LEVEL SECURITY;
CREATE POLICY messaging_preferences_tenant ON messaging_preferences
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE message_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE message_templates FORCE ROW LEVEL SECURITY;
CREATE POLICY message_templates_tenant ON message_templates
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE campaigns ENABLE ROW LEVEL SECURITY;
ALTER TABLE campaigns FORCE ROW LEVEL SECURITY;
CREATE POLICY campaigns_tenant ON campaigns
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

GRANT SELECT, INSERT, UPDATE, DELETE ON messages, messaging_preferences, message_templates, campaigns TO {{app_role}};
GRANT SELECT, INSERT, UPDATE, DELETE ON message_dispatch, message_provider_refs, whatsapp_windows TO {{app_role}};
GRANT SELECT, INSERT, UPDATE ON message_tokens TO {{app_role}};
