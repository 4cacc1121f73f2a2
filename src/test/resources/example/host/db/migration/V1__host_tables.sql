-- The host's own tables, one with a name the bridge's events table had before it took the bridge_ prefix.
CREATE TABLE host_order (
    id     BIGINT PRIMARY KEY,
    item   VARCHAR(100) NOT NULL
);
CREATE TABLE call_event (
    id         BIGINT PRIMARY KEY,
    caller     VARCHAR(40) NOT NULL
);
INSERT INTO call_event (id, caller) VALUES (1, 'the host''s own row');
