-- Connected Procore companies and how to reach their Acumatica tenant. Secrets are never stored here:
-- acumatica_password_ref names where the password lives (env:VAR), and the webhook token is kept as SHA-256.
CREATE TABLE company_connections (
  procore_company_id      text PRIMARY KEY,
  name                    text NOT NULL,
  acumatica_url           text NOT NULL,
  acumatica_tenant        text NOT NULL,
  acumatica_branch        text,
  acumatica_username      text NOT NULL,
  acumatica_password_ref  text NOT NULL,
  branches                text[] NOT NULL DEFAULT '{}',
  webhook_token_sha256    bytea NOT NULL UNIQUE,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now()
);

-- One row per linked pair of records: Procore entity + id <-> Acumatica entity + key, per company.
CREATE TABLE links (
  procore_company_id  text NOT NULL,
  procore_entity      text NOT NULL,
  procore_id          text NOT NULL,
  acumatica_entity    text NOT NULL,
  acumatica_key       text NOT NULL,
  acumatica_id        text,
  data_hash           text,
  linked_at           timestamptz NOT NULL DEFAULT now(),
  synced_at           timestamptz NOT NULL DEFAULT now(),
  deleted_at          timestamptz,
  PRIMARY KEY (procore_company_id, procore_entity, procore_id)
);
CREATE UNIQUE INDEX links_acumatica_key ON links (procore_company_id, acumatica_entity, acumatica_key);

-- Every webhook delivery answered 2xx, keyed by Procore's delivery id. status is 'pending' until Temporal
-- accepted the start ('started'), or 'ignored' for events no flow handles; the relay (api/inbox-relay.ts)
-- retries pending rows, so a delivery answered 2xx always leads to a sync.
CREATE TABLE webhook_inbox (
  procore_company_id   text NOT NULL,
  delivery_id          text NOT NULL,
  received_at          timestamptz NOT NULL DEFAULT now(),
  payload              jsonb NOT NULL,
  resource_name        text NOT NULL,
  resource_id          text NOT NULL,
  event_type           text NOT NULL,
  status               text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'started', 'ignored')),
  workflow_id          text,
  workflow_started_at  timestamptz,
  start_attempts       integer NOT NULL DEFAULT 0,
  last_error           text,
  PRIMARY KEY (procore_company_id, delivery_id)
);
CREATE INDEX webhook_inbox_pending ON webhook_inbox (received_at) WHERE status = 'pending';

-- Per-record audit trail: what the connector did, when, and with which outcome.
CREATE TABLE audit_log (
  id                  bigserial PRIMARY KEY,
  procore_company_id  text NOT NULL,
  workflow_id         text,
  action              text NOT NULL,
  procore_entity      text,
  procore_id          text,
  acumatica_entity    text,
  acumatica_key       text,
  detail              jsonb,
  at                  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_record ON audit_log (procore_company_id, procore_entity, procore_id);
