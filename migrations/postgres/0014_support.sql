-- Customer support (spec §3.2): the help centre's articles, the support
-- tickets' read model (filled by the support projection from the
-- support_ticket streams) and the live chat's conversations and messages.
-- Every table is tenant-scoped like 0004: tenant_id leads the key and
-- row-level security pins rows to torque_current_tenant(). Texts a person
-- writes (ticket subjects and bodies, chat messages) are stored encrypted
-- under the customer's key (*_enc), like registry_notes.

-- FAQ and tutorials. Not event-sourced: an article is the workshop's own
-- editable content, not a business fact (like workshop_assets).
CREATE TABLE support_articles (
    tenant_id     uuid        NOT NULL,
    article_id    uuid        NOT NULL,
    kind          text        NOT NULL CHECK (kind IN ('faq', 'tutorial')),
    title         text        NOT NULL,
    body_markdown text        NOT NULL,
    body_html     text        NOT NULL,
    published     boolean     NOT NULL,
    default_key   text        NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    search        tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('portuguese', title), 'A') ||
        setweight(to_tsvector('portuguese', body_markdown), 'B')) STORED,
    PRIMARY KEY (tenant_id, article_id)
);
CREATE INDEX support_articles_search ON support_articles USING gin (search);

-- One row per workshop once its pt-BR default articles were stored, so a
-- default the workshop deleted does not come back.
CREATE TABLE support_article_seeds (
    tenant_id uuid        NOT NULL PRIMARY KEY,
    seeded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE support_tickets (
    tenant_id          uuid        NOT NULL,
    ticket_id          uuid        NOT NULL,
    customer_id        uuid        NOT NULL,
    order_id           uuid,
    subject_enc        text,
    source             text        NOT NULL,
    status             text        NOT NULL,
    assignee_id        text        NOT NULL DEFAULT '',
    opened_at          timestamptz NOT NULL,
    first_response_due timestamptz NOT NULL,
    first_response_at  timestamptz,
    last_message_at    timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    version            bigint      NOT NULL,
    PRIMARY KEY (tenant_id, ticket_id)
);
CREATE INDEX support_tickets_status ON support_tickets (tenant_id, status, ticket_id DESC);
CREATE INDEX support_tickets_customer ON support_tickets (tenant_id, customer_id, ticket_id DESC);
CREATE INDEX support_tickets_due ON support_tickets (tenant_id, first_response_due) WHERE first_response_at IS NULL;

CREATE TABLE support_ticket_messages (
    tenant_id  uuid        NOT NULL,
    ticket_id  uuid        NOT NULL,
    version    bigint      NOT NULL,
    message_id uuid        NOT NULL,
    author     text        NOT NULL,
    author_id  text        NOT NULL,
    body_enc   text,
    posted_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, ticket_id, version)
);

-- Live chat: one conversation per customer of a workshop; messages are
-- numbered by one global sequence so a socket resumes after the last id it
-- saw.
CREATE TABLE support_conversations (
    tenant_id       uuid        NOT NULL,
    conversation_id uuid        NOT NULL,
    customer_id     uuid        NOT NULL,
    ticket_id       uuid,
    created_at      timestamptz NOT NULL,
    last_message_at timestamptz NOT NULL,
    last_message_id bigint      NOT NULL DEFAULT 0,
    staff_read_id   bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, conversation_id),
    UNIQUE (tenant_id, customer_id)
);

CREATE TABLE support_chat_messages (
    id              bigserial   NOT NULL,
    message_uuid    uuid        NOT NULL,
    tenant_id       uuid        NOT NULL,
    conversation_id uuid        NOT NULL,
    author          text        NOT NULL,
    author_id       text        NOT NULL,
    body_enc        text,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX support_chat_messages_conversation ON support_chat_messages (tenant_id, conversation_id, id);

ALTER TABLE support_articles ENABLE ROW LEVEL SECURITY;
ALTER TABLE support_articles FORCE ROW LEVEL SECURITY;
CREATE POLICY support_articles_tenant ON support_articles
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE support_article_seeds ENABLE ROW LEVEL SECURITY;
ALTER TABLE support_article_seeds FORCE ROW LEVEL SECURITY;
CREATE POLICY support_article_seeds_tenant ON support_article_seeds
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE support_tickets ENABLE ROW LEVEL SECURITY;
ALTER TABLE support_tickets FORCE ROW LEVEL SECURITY;
CREATE POLICY support_tickets_tenant ON support_tickets
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE support_ticket_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE support_ticket_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY support_ticket_messages_tenant ON support_ticket_messages
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE support_conversations ENABLE ROW LEVEL SECURITY;
ALTER TABLE support_conversations FORCE ROW LEVEL SECURITY;
CREATE POLICY support_conversations_tenant ON support_conversations
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

ALTER TABLE support_chat_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE support_chat_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY support_chat_messages_tenant ON support_chat_messages
    USING (tenant_id = torque_current_tenant()) WITH CHECK (tenant_id = torque_current_tenant());

GRANT SELECT, INSERT, UPDATE, DELETE ON support_articles, support_article_seeds, support_tickets,
    support_ticket_messages, support_conversations TO {{app_role}};
-- Chat messages are never edited at run time.
GRANT SELECT, INSERT ON support_chat_messages TO {{app_role}};
GRANT USAGE ON SEQUENCE support_chat_messages_id_seq TO {{app_role}};
