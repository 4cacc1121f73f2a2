-- Every index is written by every commit that touches its table: keep only those a query reads.
-- Events are purged by call (ix_call_event_call), never by receipt time.
DROP INDEX ix_call_event_received;
-- Claims are taken and written by primary key (with the token in the condition), never looked up by token.
DROP INDEX ix_bridge_call_claim;
