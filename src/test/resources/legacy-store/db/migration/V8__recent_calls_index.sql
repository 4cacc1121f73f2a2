-- The ops page lists calls newest first (GET /admin/calls): read from this index instead of sorting the table.
-- Written once per call, when its first event opens it.
CREATE INDEX ix_bridge_call_first_event ON bridge_call (first_event_at);
