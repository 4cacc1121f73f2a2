-- When the event a call waits for after its end arrived (e.g. Verbex PCA): an ended call that has it
-- closes at once.
ALTER TABLE bridge_call ADD COLUMN ready_at TIMESTAMP WITH TIME ZONE;
