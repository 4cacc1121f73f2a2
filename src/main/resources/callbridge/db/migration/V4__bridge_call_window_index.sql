-- Under a backlog, bridge-deliveries-due claims the calls whose window closes first first: it reads PENDING rows in
-- window_ends_at order, through this index, instead of sorting every due row on each poll.
CREATE INDEX ix_bridge_call_window ON bridge_call (state, window_ends_at);
