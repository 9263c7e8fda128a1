-- Operator API keys for the management API (every route but the webhook and health checks). Only the SHA-256
-- of a key is stored; the key itself is shown once, when it is created. Revoked keys stay for the audit trail.
CREATE TABLE operator_api_keys (
  id           text PRIMARY KEY,
  name         text NOT NULL,
  key_sha256   text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
