-- What the connector has seen of a company's Acumatica configuration that the contract-based API cannot read,
-- with the record that showed it. Today: purchase order approval (Purchase Orders Preferences, PO101000), which
-- the Default endpoint does not expose; a PO that Acumatica put in 'Pending Approval' is the evidence, and the
-- next PO export refuses before writing until that PO is dealt with (activities/exporters/po-approval.ts).
CREATE TABLE acumatica_observations (
  procore_company_id  text NOT NULL,
  observation         text NOT NULL,
  acumatica_entity    text NOT NULL,
  acumatica_key       text NOT NULL,
  observed_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (procore_company_id, observation)
);
