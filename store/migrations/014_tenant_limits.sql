-- Per-connection Acumatica license limits (`connect --acumatica-*`), honoured by every worker together through
-- store/tenant-limiter.ts; NULL = not configured (each worker paces itself with ACUMATICA_MAX_* as before).
ALTER TABLE company_connections ADD COLUMN acumatica_max_per_minute integer;
ALTER TABLE company_connections ADD COLUMN acumatica_max_concurrent integer;
ALTER TABLE company_connections ADD COLUMN acumatica_max_sessions integer;

-- Requests in flight per tenant: one leased row per concurrent-request slot (a killed worker's lease expires).
CREATE TABLE acumatica_inflight (
  tenant_key  text NOT NULL,
  slot        integer NOT NULL,
  holder      text NOT NULL,
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_key, slot)
);

-- Requests started per tenant and minute.
CREATE TABLE acumatica_request_windows (
  tenant_key    text NOT NULL,
  window_start  timestamptz NOT NULL,
  used          integer NOT NULL,
  PRIMARY KEY (tenant_key, window_start)
);
