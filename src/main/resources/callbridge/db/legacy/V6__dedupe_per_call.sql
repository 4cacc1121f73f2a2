-- One index per event instead of two: a re-sent event is a duplicate within its call, so the unique key
-- (provider, call_id, dedupe_key) both finds re-sends and lists a call's events. The old unique
-- (provider, dedupe_key) spread each commit's inserts over random pages of the store (a hash key per event),
-- and every such page is written again at each commit. Events without a call id keep call_id '' so the key
-- stays unique for them too (NULLs never clash in a unique key).
UPDATE call_event SET call_id = '' WHERE call_id IS NULL;
ALTER TABLE call_event ALTER COLUMN call_id SET NOT NULL;
ALTER TABLE call_event DROP CONSTRAINT uq_call_event_dedupe;
DROP INDEX ix_call_event_call;
ALTER TABLE call_event ADD CONSTRAINT uq_call_event_dedupe UNIQUE (provider, call_id, dedupe_key);
