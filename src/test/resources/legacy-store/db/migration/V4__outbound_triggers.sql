-- Cekura's auto-outbound triggers: received, dialed through the provider's API inside the dial window.
CREATE TABLE outbound_trigger (
    id                VARCHAR(40)  NOT NULL PRIMARY KEY,
    idempotency_key   VARCHAR(200),
    from_number       VARCHAR(16)  NOT NULL,
    to_number         VARCHAR(16)  NOT NULL,
    dynamic_variables TEXT,
    status            VARCHAR(16)  NOT NULL,   -- received, dialing, dialed, failed, expired
    received_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    dial_deadline     TIMESTAMP WITH TIME ZONE NOT NULL,
    due_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts          INT          NOT NULL DEFAULT 0,
    claimed_by        VARCHAR(120),
    claimed_until     TIMESTAMP WITH TIME ZONE,
    claim_token       VARCHAR(64),
    first_attempt_at  TIMESTAMP WITH TIME ZONE,
    dialed_at         TIMESTAMP WITH TIME ZONE,
    provider_call_id  VARCHAR(255),
    last_status       INT,
    last_error        VARCHAR(2000),
    answer            TEXT         NOT NULL,   -- the 201 body, answered again for a repeated Idempotency-Key
    CONSTRAINT uq_outbound_trigger_key UNIQUE (idempotency_key)
);
CREATE INDEX ix_outbound_trigger_due ON outbound_trigger (status, due_at);
CREATE INDEX ix_outbound_trigger_call ON outbound_trigger (provider_call_id);
