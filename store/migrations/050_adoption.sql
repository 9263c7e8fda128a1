-- Adoption of records that existed in both systems before the connection (issue #15).
-- adoptions: which rule linked a Procore record to an existing Acumatica one (the link itself is in links), and
-- the differences found then. The export path consults it before creating (activities/exporters/find-or-create.ts).
CREATE TABLE adoptions (
  procore_company_id  text NOT NULL,
  procore_entity      text NOT NULL,
  procore_id          text NOT NULL,
  acumatica_entity    text NOT NULL,
  acumatica_key       text NOT NULL,
  rule                text NOT NULL,
  differences         jsonb NOT NULL DEFAULT '[]',
  adopted_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (procore_company_id, procore_entity, procore_id)
);

-- Records adoption would not decide (ambiguous, near misses, missing vendor/project link): the review list.
CREATE TABLE adoption_reviews (
  procore_company_id  text NOT NULL,
  procore_entity      text NOT NULL,
  procore_id          text NOT NULL,
  label               text NOT NULL,
  project_id          text,
  reason              text NOT NULL,
  detail              text NOT NULL,
  candidates          text[] NOT NULL DEFAULT '{}',
  status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'resolved')),
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (procore_company_id, procore_entity, procore_id)
);
