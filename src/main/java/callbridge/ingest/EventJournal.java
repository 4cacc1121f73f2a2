package callbridge.ingest;

import callbridge.calls.CallEvent;
import callbridge.calls.CallEventKind;
import callbridge.calls.CallsProperties;
import callbridge.store.StoreFlush;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The durable, deduplicating store of incoming events: each event (raw bytes and canonical form)
 * is inserted, committed before the provider gets its answer. A call's row is written by its first
 * event and by its end; events in between only read it. A unique (provider, call id, dedupe key) makes a
 * re-sent event a no-op.
 *
 * <p>Requests hand their event to one writer thread and wait; the writer commits whatever has
 * queued up meanwhile in one transaction (group commit). Under load one commit carries many
 * events, so the ack path pays one disk write per batch, not per request.
 */
@Component("eventJournalWriter")
public class EventJournal implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(EventJournal.class);

    private static final String INSERT_EVENT = """
            INSERT INTO call_event (provider, dedupe_key, call_id, event_type, kind, is_test,
                                    occurred_at, received_at, raw_body, canonical)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";
    private static final String OPEN_CALL = """
            INSERT INTO bridge_call (provider, call_id, state, is_test, first_event_at, last_event_at,
                                     ended_received_at, ready_at, due_at, attempts)
            VALUES (?, ?, 'OPEN', ?, ?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING""";
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
    static final String NO_CALL = "";

    private static final String CALL_STATE = "SELECT state FROM bridge_call WHERE provider = ? AND call_id = ?";

    private record PendingAppend(CallEvent event, byte[] raw, String dedupeKey, CompletableFuture<AppendOutcome> done) {
    }

    private final DataSource dataSource;
    private final StoreFlush flush;
    private final ObjectMapper json;
    private final Clock clock;
    private final CallsProperties calls;
    private final IngestProperties ingest;
    private final DistributionSummary commitSize;
    private final Timer commitTime;
    private final LinkedBlockingQueue<PendingAppend> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread writer;

    public EventJournal(DataSource dataSource, StoreFlush flush, ObjectMapper json, Clock clock, CallsProperties calls,
            IngestProperties ingest, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.flush = flush;
        this.json = json;
        this.clock = clock;
        this.calls = calls;
        this.ingest = ingest;
        this.commitSize = DistributionSummary.builder("bridge.journal.commit.events")
                .description("Events per journal commit: how many webhook answers one durable write covers")
                .baseUnit("events").register(registry);
        this.commitTime = Timer.builder("bridge.journal.commit")
                .description("One journal commit: the events' statements, the commit and the flush to disk")
                .register(registry);
    }

    /** Stores one event durably; returns once it is committed. */
    public AppendOutcome append(CallEvent event, byte[] raw, String dedupeKey) {
        if (!running) {
            throw new StoreUnavailableException("event journal is not running", null);
        }
        var pending = new PendingAppend(event, raw, dedupeKey, new CompletableFuture<>());
        queue.add(pending);
        try {
            return pending.done().get(ingest.appendTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while storing the event", interrupted);
        } catch (ExecutionException | TimeoutException failed) {
            throw new StoreUnavailableException("event could not be stored", failed.getCause());
        }
    }

    private void writeLoop() {
        List<PendingAppend> batch = new ArrayList<>(ingest.maxBatch());
        while (running || !queue.isEmpty()) {
            try {
                PendingAppend first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, ingest.maxBatch() - 1);
                commit(batch);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<PendingAppend> batch) {
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<AppendOutcome> outcomes = write(connection, batch);
                connection.commit();
                flush.awaitDurable();
                commitTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                commitSize.record(batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).done().complete(outcomes.get(i));
                }
            } catch (SQLException | RuntimeException failure) {
                connection.rollback();
                throw failure;
            }
        } catch (SQLException | RuntimeException failure) {
            LOG.error("Could not commit {} event(s): {}", batch.size(), failure.toString());
            batch.forEach(pending -> pending.done().completeExceptionally(failure));
        }
    }

    private List<AppendOutcome> write(Connection connection, List<PendingAppend> batch) throws SQLException {
        Instant now = clock.instant();
        OffsetDateTime receivedAt = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        int[] inserted;
        try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENT)) {
            for (PendingAppend pending : batch) {
                CallEvent event = pending.event();
                insert.setString(1, event.provider());
                insert.setString(2, pending.dedupeKey());
                insert.setString(3, event.belongsToCall() ? event.callId() : NO_CALL);
                insert.setString(4, event.eventType());
                insert.setString(5, event.kind().name());
                insert.setBoolean(6, event.test());
                insert.setObject(7, event.occurredAt() == null ? null
                        : OffsetDateTime.ofInstant(event.occurredAt(), ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
                insert.setObject(8, receivedAt, Types.TIMESTAMP_WITH_TIMEZONE);
                insert.setBytes(9, pending.raw());
                insert.setString(10, canonical(event));
                insert.addBatch();
            }
            inserted = insert.executeBatch();
        }
        List<AppendOutcome> outcomes = new ArrayList<>(batch.size());
        try (PreparedStatement open = connection.prepareStatement(OPEN_CALL);
             PreparedStatement touch = connection.prepareStatement(TOUCH_CALL);
             PreparedStatement state = connection.prepareStatement(CALL_STATE)) {
            for (int i = 0; i < batch.size(); i++) {
                CallEvent event = batch.get(i).event();
                if (inserted[i] == 0) {
                    outcomes.add(AppendOutcome.DUPLICATE);
                } else if (!event.belongsToCall()) {
                    outcomes.add(AppendOutcome.STORED);
                } else if (event.kind().endsCall() || event.completesCall()) {
                    outcomes.add(foldIntoCall(open, touch, event, now) ? AppendOutcome.STORED
                            : callState(state, event) != null ? AppendOutcome.STORED_LATE : AppendOutcome.STORED);
                } else {
                    outcomes.add(joinCall(open, state, event, now));
                }
            }
        }
        return outcomes;
    }

    /**
     * An event in the middle of a call changes nothing on the call's row: the row is only read (is the
     * call still gathering?), or written once when this event is the first the bridge sees of the call.
     * The assembly reads the events themselves; the idle timeout is checked when it runs out.
     */
    private AppendOutcome joinCall(PreparedStatement open, PreparedStatement state, CallEvent event, Instant now)
            throws SQLException {
        String current = callState(state, event);
        if (current == null && event.kind() != CallEventKind.OTHER) { // an unknown event type never opens a call
            OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
            if (open(open, event, at, null, null, at.plus(calls.callIdleTimeout()))) {
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
    private boolean foldIntoCall(PreparedStatement open, PreparedStatement touch, CallEvent event, Instant now)
            throws SQLException {
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
        if (open(open, event, at, endedAt, readyAt, due)) {
            return true;
        }
        // another node opened the call since our update (its insert won): fold into that row now
        return touch.executeUpdate() == 1;
    }

    /** Inserts the call's row unless it exists; true when this event opened it. */
    private static boolean open(PreparedStatement open, CallEvent event, OffsetDateTime at, OffsetDateTime endedAt,
            OffsetDateTime readyAt, OffsetDateTime due) throws SQLException {
        open.setString(1, event.provider());
        open.setString(2, event.callId());
        open.setBoolean(3, event.test());
        open.setObject(4, at, Types.TIMESTAMP_WITH_TIMEZONE);
        open.setObject(5, at, Types.TIMESTAMP_WITH_TIMEZONE);
        open.setObject(6, endedAt, Types.TIMESTAMP_WITH_TIMEZONE);
        open.setObject(7, readyAt, Types.TIMESTAMP_WITH_TIMEZONE);
        open.setObject(8, due, Types.TIMESTAMP_WITH_TIMEZONE);
        return open.executeUpdate() == 1;
    }

    private String canonical(CallEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("canonical event not serialisable", impossible);
        }
    }

    // --- lifecycle: the writer runs while the application runs and drains the queue on stop

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        writer = new Thread(this::writeLoop, "event-journal-writer");
        writer.start();
    }

    @Override
    public void stop() {
        running = false;
        try {
            writer.join(ingest.appendTimeoutMs());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before and stops after the web server and Camel, so no accepted request is left waiting. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE / 2;
    }
}
