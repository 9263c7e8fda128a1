-- What an import run has mapped and must write to Procore. Pages queue their changed records here and the
-- writes go out per write group (all records of a company-wide list, or one project's direct costs) in batches
-- of Procore's sync limit, so a page never pays one Procore call per project it happens to touch. A written row
-- keeps its outcome (written, unchanged, failed) until the scope's last write has counted them: a retried write
-- resumes with what is left, and the totals stay exact. Keyed by the entity workflow, whose ID survives
-- continue-as-new and worker restarts.
CREATE TABLE import_write_queue (
  workflow_id   text NOT NULL,
  kind          text NOT NULL,
  group_key     text NOT NULL,
  acumatica_key text NOT NULL,
  procore_id    text,
  linked_as     text,
  payload       jsonb NOT NULL,
  hash          text NOT NULL,
  outcome       text CHECK (outcome IN ('written', 'unchanged', 'failed')),
  queued_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workflow_id, kind, acumatica_key)
);
CREATE INDEX import_write_queue_group ON import_write_queue (workflow_id, kind, group_key);

-- Which import run last built a company's match index of an entity: the index is built once per run, and only
-- when a record without a link needs it (a rerun with nothing new reads no Procore list at all).
CREATE TABLE procore_match_index_builds (
  procore_company_id  text NOT NULL,
  entity              text NOT NULL,
  import_run_id       text NOT NULL,
  built_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (procore_company_id, entity)
);

-- A Procore project's cost codes (code -> Procore id) as one import run read them: the direct cost import reads
-- them while its pages come in (Procore has spare rate limit then) and uses them when it writes.
CREATE TABLE procore_project_cost_codes (
  procore_company_id  text NOT NULL,
  procore_project_id  text NOT NULL,
  import_run_id       text NOT NULL,
  codes               jsonb NOT NULL,
  read_at             timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (procore_company_id, procore_project_id)
);
