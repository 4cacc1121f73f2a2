-- The assembled Cekura payload lives in its own table, written once per completion: the call row,
-- updated by every event and every claim, stays small, so each commit rewrites small pages.
CREATE TABLE call_payload (
    provider  VARCHAR(64)  NOT NULL,
    call_id   VARCHAR(255) NOT NULL,
    payload   TEXT         NOT NULL,
    CONSTRAINT pk_call_payload PRIMARY KEY (provider, call_id)
);
INSERT INTO call_payload (provider, call_id, payload)
    SELECT provider, call_id, payload FROM bridge_call WHERE payload IS NOT NULL;
ALTER TABLE bridge_call DROP COLUMN payload;
