package callbridge.ingest;

import callbridge.calls.CallEvent;
import callbridge.calls.CallEventKind;
import callbridge.calls.CallsProperties;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The rows an answered event becomes: the event itself (raw bytes and canonical form) and its call's row.
 * A call's row is written by its first event and by its end; events in between only count themselves on it
 * (how many events, raw bytes and parsed bytes the call holds). A unique (provider, call id, dedupe key) makes a re-sent
 * event a no-op. An event beyond the call's bounds ({@code BRIDGE_CALL_MAX_EVENTS}, {@code _BYTES}, {@code _PARSED_BYTES})
 * is not kept, and the call closes at once, to be delivered with what it has.
 */
@Component
public class JournalRows {
    private static final String INSERT_EVENT = """
            INSERT INTO bridge_call_event (provider, dedupe_key, call_id, event_type, kind, is_test,
                                    occurred_at, received_at, raw_body, canonical, parsed_bytes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";
    private static final String OPEN_CALL = """
            INSERT INTO bridge_call (provider, call_id, state, is_test, first_event_at, last_event_at,
                                     ended_received_at, ready_at, due_at, attempts, event_count, event_bytes, event_parsed_bytes)
            VALUES (?, ?, 'OPEN', ?, ?, ?, ?, ?, ?, 0, 1, ?, ?) ON CONFLICT DO NOTHING""";

    /**
     * Counts one more event on its call's row while the call stays inside its bounds. The usual case, an event of an
     * open call, is this one statement: it also answers "is the call still gathering?".
     */
    private static final String COUNT_EVENT = """
            UPDATE bridge_call SET event_count = event_count + 1, event_bytes = event_bytes + ?, event_parsed_bytes = event_parsed_bytes + ?
             WHERE provider = ? AND call_id = ? AND event_count < ? AND event_bytes + ? <= ? AND event_parsed_bytes + ? <= ?""";
    private static final String COUNT_EVENT_OF_OPEN_CALL = COUNT_EVENT + " AND state = 'OPEN'";
    private static final String CALL_BOUNDS = "SELECT state, event_count, event_bytes, event_parsed_bytes FROM bridge_call WHERE provider = ? AND call_id = ?";
    private static final String FORGET_EVENT = "DELETE FROM bridge_call_event WHERE provider = ? AND call_id = ? AND dedupe_key = ?";
    /** A call at its bounds is delivered with what it has: ended (if it was not), due now. */
    private static final String CLOSE_FULL_CALL = """
            UPDATE bridge_call SET ended_received_at = COALESCE(ended_received_at, ?), ready_at = COALESCE(ready_at, ?), due_at = ?
             WHERE provider = ? AND call_id = ? AND state = 'OPEN'""";
    /**
     * Folds an end (or the event an ended call waits for) into a call still open. Due time: not ended, last event + idle timeout; ended and
     * ready (the awaited event is in, in either order), now; just ended, now + the end's wait; otherwise
     * unchanged: later events never push an end's due time back.
     */
    private static final String TOUCH_CALL = """
            UPDATE bridge_call
               SET last_event_at = ?,
                   due_at = CASE WHEN COALESCE(ended_received_at, ?) IS NULL THEN ?
                                 WHEN COALESCE(ready_at, ?) IS NOT NULL THEN ?
                                 WHEN ended_received_at IS NULL THEN ?
                                 ELSE due_at END,
                   ended_received_at = COALESCE(ended_received_at, ?),
                   ready_at = COALESCE(ready_at, ?),
                   is_test = (is_test AND ?)
             WHERE provider = ? AND call_id = ? AND state = 'OPEN'""";

    /** The call id stored for an event that names no call: the dedupe key is unique per (provider, call id). */
    public static final String NO_CALL = "";

    private static final String CALL_STATE = "SELECT state FROM bridge_call WHERE provider = ? AND call_id = ?";

    private final CallsProperties calls;

    public JournalRows(CallsProperties calls) {
        this.calls = calls;
    }

    /** Writes the entries in the connection's transaction (the caller commits); one outcome per entry. */
    public List<AppendOutcome> write(Connection connection, List<JournalEntry> batch) throws SQLException {
        int[] inserted;
        try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENT)) {
            for (JournalEntry entry : batch) {
                CallEvent event = entry.event();
                insert.setString(1, event.provider());
                insert.setString(2, entry.dedupeKey());
                insert.setString(3, entry.storedCallId());
                insert.setString(4, event.eventType());
                insert.setString(5, event.kind().name());
                insert.setBoolean(6, event.test());
                insert.setObject(7, event.occurredAt() == null ? null
                        : OffsetDateTime.ofInstant(event.occurredAt(), ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
                insert.setObject(8, OffsetDateTime.ofInstant(entry.receivedAt(), ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
                insert.setBytes(9, entry.raw());
                insert.setString(10, entry.canonical());
                insert.setLong(11, entry.parsedBytes());
                insert.addBatch();
            }
            inserted = insert.executeBatch();
        }
        List<AppendOutcome> outcomes = new ArrayList<>(batch.size());
        try (PreparedStatement open = connection.prepareStatement(OPEN_CALL);
             PreparedStatement touch = connection.prepareStatement(TOUCH_CALL);
             PreparedStatement state = connection.prepareStatement(CALL_STATE);
             PreparedStatement countOpen = connection.prepareStatement(COUNT_EVENT_OF_OPEN_CALL);
             PreparedStatement count = connection.prepareStatement(COUNT_EVENT);
             PreparedStatement bounds = connection.prepareStatement(CALL_BOUNDS)) {
            for (int i = 0; i < batch.size(); i++) {
                JournalEntry entry = batch.get(i);
                CallEvent event = entry.event();
                Instant now = entry.receivedAt();
                if (inserted[i] == 0 || !event.belongsToCall()) {
                    outcomes.add(inserted[i] == 0 ? AppendOutcome.DUPLICATE : AppendOutcome.STORED);
                    continue;
                }
                Counted counted = count(countOpen, count, bounds, entry);
                if (counted == Counted.FULL) {
                    refuseBeyondBounds(connection, entry);
                    outcomes.add(AppendOutcome.OVER_LIMIT);
                } else if (event.kind().endsCall() || event.completesCall()) {
                    outcomes.add(foldIntoCall(open, touch, entry, now) || counted == Counted.NEW_CALL ? AppendOutcome.STORED
                            : AppendOutcome.STORED_LATE);
                } else if (counted == Counted.NEW_CALL) {
                    outcomes.add(joinCall(open, state, entry, now));
                } else {
                    outcomes.add(counted == Counted.OPEN_CALL ? AppendOutcome.STORED : AppendOutcome.STORED_LATE);
                }
            }
        }
        return outcomes;
    }

    /** What counting an event on its call's row found. */
    private enum Counted { OPEN_CALL, CLOSED_CALL, NEW_CALL, FULL }

    /**
     * Counts the event on its call's row. A call not opened yet is counted when its first event opens it; a call at
     * its bounds takes no more.
     */
    private Counted count(PreparedStatement countOpen, PreparedStatement count, PreparedStatement bounds, JournalEntry entry)
            throws SQLException {
        if (countOn(countOpen, entry) == 1) {
            return Counted.OPEN_CALL;
        }
        bounds.setString(1, entry.event().provider());
        bounds.setString(2, entry.event().callId());
        try (var rs = bounds.executeQuery()) {
            if (!rs.next()) {
                return Counted.NEW_CALL;
            }
            if (rs.getInt(2) >= calls.callMaxEvents() || rs.getLong(3) + entry.raw().length > calls.callMaxBytes().toBytes()
                    || rs.getLong(4) + entry.parsedBytes() > calls.callMaxParsedBytes().toBytes()) {
                return Counted.FULL;
            }
        }
        countOn(count, entry); // a late event of a closed call counts too
        return Counted.CLOSED_CALL;
    }

    private int countOn(PreparedStatement count, JournalEntry entry) throws SQLException {
        long bytes = entry.raw().length;
        count.setLong(1, bytes);
        count.setLong(2, entry.parsedBytes());
        count.setString(3, entry.event().provider());
        count.setString(4, entry.event().callId());
        count.setInt(5, calls.callMaxEvents());
        count.setLong(6, bytes);
        count.setLong(7, calls.callMaxBytes().toBytes());
        count.setLong(8, entry.parsedBytes());
        count.setLong(9, calls.callMaxParsedBytes().toBytes());
        return count.executeUpdate();
    }

    /** The event is not kept (its insert is undone in this transaction) and the full call closes now. */
    private static void refuseBeyondBounds(Connection connection, JournalEntry entry) throws SQLException {
        CallEvent event = entry.event();
        try (PreparedStatement forget = connection.prepareStatement(FORGET_EVENT);
             PreparedStatement close = connection.prepareStatement(CLOSE_FULL_CALL)) {
            forget.setString(1, event.provider());
            forget.setString(2, event.callId());
            forget.setString(3, entry.dedupeKey());
            forget.executeUpdate();
            OffsetDateTime at = OffsetDateTime.ofInstant(entry.receivedAt(), ZoneOffset.UTC);
            close.setObject(1, at, Types.TIMESTAMP_WITH_TIMEZONE);
            close.setObject(2, at, Types.TIMESTAMP_WITH_TIMEZONE);
            close.setObject(3, at, Types.TIMESTAMP_WITH_TIMEZONE);
            close.setString(4, event.provider());
            close.setString(5, event.callId());
            close.executeUpdate();
        }
    }

    /**
     * An event in the middle of a call changes nothing on the call's row: the row is only read (is the
     * call still gathering?), or written once when this event is the first the bridge sees of the call.
     * The assembly reads the events themselves; the idle timeout is checked when it runs out.
     */
    private AppendOutcome joinCall(PreparedStatement open, PreparedStatement state, JournalEntry entry, Instant now)
            throws SQLException {
        CallEvent event = entry.event();
        String current = callState(state, event);
        if (current == null && event.kind() != CallEventKind.OTHER) { // an unknown event type never opens a call
            OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
            if (open(open, entry, at, null, null, at.plus(calls.callIdleTimeout()))) {
                return AppendOutcome.STORED;
            }
            current = callState(state, event); // another node opened the call since our read
        }
        return current == null || "OPEN".equals(current) ? AppendOutcome.STORED : AppendOutcome.STORED_LATE;
    }

    private static String callState(PreparedStatement state, CallEvent event) throws SQLException {
        state.setString(1, event.provider());
        state.setString(2, event.callId());
        try (var rs = state.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /**
     * True when the call was open (or is opened now) and the event counts towards it. Most events
     * belong to a call that exists, so the update comes first; a new call costs one statement more.
     */
    private boolean foldIntoCall(PreparedStatement open, PreparedStatement touch, JournalEntry entry, Instant now)
            throws SQLException {
        CallEvent event = entry.event();
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        OffsetDateTime endedAt = event.kind().endsCall() ? at : null;
        OffsetDateTime readyAt = event.completesCall() ? at : null;
        OffsetDateTime idleDue = at.plus(calls.callIdleTimeout());
        OffsetDateTime endDue = at.plus(event.closeWait() != null ? event.closeWait() : calls.callGrace());
        int i = 1;
        touch.setObject(i++, at, Types.TIMESTAMP_WITH_TIMEZONE);
        touch.setObject(i++, endedAt, Types.TIMESTAMP_WITH_TIMEZONE);
        touch.setObject(i++, idleDue, Types.TIMESTAMP_WITH_TIMEZONE);
        touch.setObject(i++, readyAt, Types.TIMESTAMP_WITH_TIMEZONE);
        touch.setObject(i++, at, Types.TIMESTAMP_WITH_TIMEZONE);
        touch.setObject(i++, endDue, Types.TIMESTAMP_WITH_TIMEZONE);
        touch.setObject(i++, endedAt, Types.TIMESTAMP_WITH_TIMEZONE);
        touch.setObject(i++, readyAt, Types.TIMESTAMP_WITH_TIMEZONE);
        touch.setBoolean(i++, event.test());
        touch.setString(i++, event.provider());
        touch.setString(i, event.callId());
        if (touch.executeUpdate() == 1) {
            return true;
        }
        if (event.kind() == CallEventKind.OTHER) {
            return false; // an unknown event type never opens a call
        }
        OffsetDateTime due = endedAt == null ? idleDue : readyAt != null ? at : endDue;
        if (open(open, entry, at, endedAt, readyAt, due)) {
            return true;
        }
        // another node opened the call since our update (its insert won): fold into that row now
        return touch.executeUpdate() == 1;
    }

    /** Inserts the call's row unless it exists; true when this event opened it. */
    private static boolean open(PreparedStatement open, JournalEntry entry, OffsetDateTime at, OffsetDateTime endedAt,
            OffsetDateTime readyAt, OffsetDateTime due) throws SQLException {
        CallEvent event = entry.event();
        open.setString(1, event.provider());
        open.setString(2, event.callId());
        open.setBoolean(3, event.test());
        open.setObject(4, at, Types.TIMESTAMP_WITH_TIMEZONE);
        open.setObject(5, at, Types.TIMESTAMP_WITH_TIMEZONE);
        open.setObject(6, endedAt, Types.TIMESTAMP_WITH_TIMEZONE);
        open.setObject(7, readyAt, Types.TIMESTAMP_WITH_TIMEZONE);
        open.setObject(8, due, Types.TIMESTAMP_WITH_TIMEZONE);
        open.setLong(9, entry.raw().length);
        open.setLong(10, entry.parsedBytes());
        return open.executeUpdate() == 1;
    }
}
