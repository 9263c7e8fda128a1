-- Import watermarks: per company, branch ('' = company-wide) and entity, the newest Acumatica
-- LastModifiedDateTime already imported. The next delta read starts a little before it (overlap margin).
CREATE TABLE import_watermarks (
  procore_company_id  text NOT NULL,
  branch              text NOT NULL DEFAULT '',
  entity              text NOT NULL,
  watermark           timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (procore_company_id, branch, entity)
);

-- Records an import could not map (a vendor without a name, a cost code too long for Procore...): the
-- exception list accountants work through; the rest of the import goes on.
CREATE TABLE import_exceptions (
  id                  bigserial PRIMARY KEY,
  procore_company_id  text NOT NULL,
  workflow_id         text NOT NULL,
  entity              text NOT NULL,
  acumatica_key       text NOT NULL,
  reason              text NOT NULL,
  at                  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (procore_company_id, workflow_id, entity, acumatica_key)
);

-- Procore records without an origin_id, indexed by a match key (normalised name, tax id) so that an import
-- links a pre-existing Procore vendor instead of creating a duplicate. Rebuilt at the start of each import.
CREATE TABLE procore_match_index (
  procore_company_id  text NOT NULL,
  entity              text NOT NULL,
  match_key           text NOT NULL,
  procore_id          text NOT NULL,
  PRIMARY KEY (procore_company_id, entity, match_key)
);

-- Which links came from Acumatica (imports) and which branch they belong to.
ALTER TABLE links ADD COLUMN branch text;

-- Acumatica keys a full reconciliation run has seen; whatever a company's links hold beyond them was deleted
-- in Acumatica (which keeps no tombstones).
CREATE TABLE import_seen_keys (
  workflow_id    text NOT NULL,
  entity         text NOT NULL,
  acumatica_key  text NOT NULL,
  PRIMARY KEY (workflow_id, entity, acumatica_key)
);

-- Each company's import schedule: cron expressions in its own time zone (temporal/schedules.ts).
ALTER TABLE company_connections
  ADD COLUMN nightly_import_cron text NOT NULL DEFAULT '0 2 * * *',
  ADD COLUMN reconcile_cron text NOT NULL DEFAULT '30 3 * * 0',
  ADD COLUMN time_zone text NOT NULL DEFAULT 'America/Denver';
