-- A call's failed completions are counted apart from its delivery attempts: `attempts` counts only attempts to send it
-- to Cekura, `completion_failures` the times assembling it failed (BRIDGE_COMPLETION_ATTEMPTS). Calls not yet
-- assembled kept their completion failures in `attempts` until now: moved over.
ALTER TABLE bridge_call ADD COLUMN completion_failures INTEGER DEFAULT 0 NOT NULL;
UPDATE bridge_call SET completion_failures = attempts, attempts = 0 WHERE state IN ('OPEN', 'COMPLETING');
