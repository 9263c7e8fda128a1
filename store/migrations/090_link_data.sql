-- What an import last wrote for a linked record (its mapped payload), so a dry run can show the field diff of a
-- record that would be updated (issue #15). Null for links written before, and for exports' links.
ALTER TABLE links ADD COLUMN IF NOT EXISTS data jsonb;
