-- Per-connection settings set by `npm run connector -- connect`: a pinned Acumatica endpoint (name and version,
-- e.g. an extended endpoint; NULL = the Default endpoint, version negotiated) and the import kinds the company
-- opted into (payments are US-only and never imported unless opted in).
ALTER TABLE company_connections ADD COLUMN acumatica_endpoint_name text;
ALTER TABLE company_connections ADD COLUMN acumatica_endpoint_version text;
ALTER TABLE company_connections ADD COLUMN opt_in_imports text[] NOT NULL DEFAULT '{}';
