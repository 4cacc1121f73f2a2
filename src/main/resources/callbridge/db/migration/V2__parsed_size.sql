-- What an event costs the heap once parsed back for its call's assembly (ParsedSize: 64 bytes per JSON value or field
-- name + 4 bytes per character of its canonical JSON), and the sum per call: the ingest path refuses events beyond
-- BRIDGE_CALL_MAX_PARSED_BYTES, and completion takes a call's sum from the node's assembly memory budget.
-- Events stored before this migration count 0; calls still gathering or completing count 4 x their raw bytes, what
-- ordinary JSON takes parsed.
ALTER TABLE bridge_call_event ADD COLUMN parsed_bytes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE bridge_call ADD COLUMN event_parsed_bytes BIGINT NOT NULL DEFAULT 0;
UPDATE bridge_call SET event_parsed_bytes = 4 * event_bytes WHERE state IN ('OPEN', 'COMPLETING');
