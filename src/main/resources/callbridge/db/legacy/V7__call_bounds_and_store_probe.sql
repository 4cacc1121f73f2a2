-- What one call holds so far: the ingest path refuses events beyond BRIDGE_CALL_MAX_EVENTS / _BYTES.
-- Calls stored before this migration start counting from 0.
ALTER TABLE bridge_call ADD COLUMN event_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bridge_call ADD COLUMN event_bytes BIGINT NOT NULL DEFAULT 0;

-- One row per node: the health check's write, so a store that reads but cannot write is reported DOWN.
CREATE TABLE bridge_store_probe (
    node      VARCHAR(120) NOT NULL PRIMARY KEY,
    probed_at TIMESTAMP WITH TIME ZONE NOT NULL
);
