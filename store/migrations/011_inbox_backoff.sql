-- The relay backs off per delivery (a row Temporal keeps refusing waits longer each time, and never holds up
-- newer rows), and a start that can never succeed is marked failed with its error instead of retried forever.
ALTER TABLE webhook_inbox ADD COLUMN next_attempt_at timestamptz;
ALTER TABLE webhook_inbox DROP CONSTRAINT webhook_inbox_status_check;
ALTER TABLE webhook_inbox ADD CONSTRAINT webhook_inbox_status_check
  CHECK (status IN ('pending', 'started', 'ignored', 'failed'));
