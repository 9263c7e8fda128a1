-- Acumatica cookie sessions shared by every worker of one tenant user (clients/acumatica/shared-sessions.ts),
-- so a killed worker's sessions are reused instead of locking the license's API-user slots for 10 minutes.
-- The cookies are encrypted with a key derived from the user's password (only a worker that can sign in can
-- read them); tenant_key is a SHA-256 of URL, tenant and user (no secret).
CREATE TABLE acumatica_sessions (
  tenant_key  text NOT NULL,
  slot        integer NOT NULL,
  version     integer NOT NULL,
  cookies     bytea NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_key, slot)
);

-- The live clients of each tenant user (a heartbeat every 20 s): the last one to stop signs the sessions out.
CREATE TABLE acumatica_session_clients (
  tenant_key  text NOT NULL,
  client_id   text NOT NULL,
  seen_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_key, client_id)
);
