-- One export per Procore record at a time. Two ERP requests for the same record (a re-send while the first is
-- still retrying) must not race: the ERP request workflow holding the claim exports, the other waits and then
-- reads the record afresh. Released when the export finishes; a claim whose workflow has closed without
-- releasing it (failed, terminated) is taken over by the next export of the record.
CREATE TABLE export_claims (
  procore_company_id  text NOT NULL,
  kind                text NOT NULL,
  procore_id          text NOT NULL,
  workflow_id         text NOT NULL,
  claimed_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (procore_company_id, kind, procore_id)
);
