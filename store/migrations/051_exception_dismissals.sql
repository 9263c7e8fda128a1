-- Exceptions someone dismissed from the exception list (adoption/exceptions.ts): import exceptions and failed
-- exports are kept as they are (history); a dismissal hides them from the open list.
CREATE TABLE exception_dismissals (
  procore_company_id  text NOT NULL,
  exception_id        text NOT NULL,
  dismissed_at        timestamptz NOT NULL DEFAULT now(),
  note                text,
  PRIMARY KEY (procore_company_id, exception_id)
);
