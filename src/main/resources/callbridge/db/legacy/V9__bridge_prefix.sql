-- A store made before the bridge could run inside a host application: its tables and the names of their
-- constraints and indexes take the bridge_ prefix, so they can never clash with a host's. Run only on such a store
-- (BridgeSchema finds it by the bridge's V1 in flyway_schema_history); the schema after this equals
-- callbridge/db/migration/V1__bridge_schema.sql, from where the store's history goes on in bridge_schema_history.
ALTER TABLE call_event RENAME TO bridge_call_event;
ALTER TABLE delivery_attempt RENAME TO bridge_delivery_attempt;
ALTER TABLE dead_letter RENAME TO bridge_dead_letter;
ALTER TABLE outbound_trigger RENAME TO bridge_outbound_trigger;

ALTER TABLE bridge_call_event RENAME CONSTRAINT uq_call_event_dedupe TO uq_bridge_call_event_dedupe;
ALTER TABLE bridge_dead_letter RENAME CONSTRAINT uq_dead_letter_call TO uq_bridge_dead_letter_call;
ALTER TABLE bridge_outbound_trigger RENAME CONSTRAINT uq_outbound_trigger_key TO uq_bridge_outbound_trigger_key;

ALTER INDEX ix_delivery_attempt_call RENAME TO ix_bridge_delivery_attempt_call;
ALTER INDEX ix_dead_letter_status RENAME TO ix_bridge_dead_letter_status;
ALTER INDEX ix_outbound_trigger_due RENAME TO ix_bridge_outbound_trigger_due;
ALTER INDEX ix_outbound_trigger_call RENAME TO ix_bridge_outbound_trigger_call;
