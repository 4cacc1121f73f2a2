package callbridge.ingest;

import callbridge.BridgeConfiguration;
import callbridge.BridgeJson;
import callbridge.LogSafe;
import callbridge.calls.CallEvent;
import callbridge.calls.CallsProperties;
import callbridge.claims.BridgeLiveness;
import callbridge.store.BridgeStore;
import callbridge.store.StoreFaults;
import callbridge.store.StoreFlush;
import callbridge.store.StoreWriteHealth;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The durable step of {@code bridge-ingest-event}: an event is committed to the store (and on disk) before the
 * provider gets its 2xx. The one place events are written, for H2 and PostgreSQL alike.
 *
 * <p>Requests hand their event to one writer thread and wait; the writer commits whatever has queued up
 * meanwhile in one transaction (group commit), so under load one disk write answers many requests. A
 * duplicate never gets ahead of its original: the unique (provider, call id, dedupe key) makes the copy in
 * the same commit, or in a later one, a no-op whose answer comes only once the original is committed, and
 * when that commit fails, every request it carried is answered 503.
 *
 * <p>After each commit the writer flushes it to disk (H2's {@code CHECKPOINT}; nothing on PostgreSQL) and only
 * then answers the group, so groups are answered in commit order and a copy committed after its original is
 * never answered before the original is on disk.
 *
 * <p>An Error in a commit (an {@code OutOfMemoryError}) fails only that group (503) and the writer goes on; should the
 * writer thread die all the same, the next request starts it again, and until then {@code bridgeLiveness} is DOWN.
 * An event that alone, parsed, is beyond what a call may hold ({@code BRIDGE_CALL_MAX_PARSED_BYTES}) is answered
 * {@link AppendOutcome#TOO_LARGE} without reaching the writer.
 */
@Component("bridgeEventJournal")
public class EventJournal implements SmartLifecycle {
    /** Exchange property: the {@link AppendOutcome} of this request's event. */
    public static final String OUTCOME = "bridgeAppendOutcome";
    private static final Logger LOG = LoggerFactory.getLogger(EventJournal.class);

    private record PendingAppend(JournalEntry entry, CompletableFuture<AppendOutcome> done) {
    }

    private final DataSource dataSource;
    private final StoreFlush flush;
    private final JournalRows rows;
    private final ObjectMapper json;
    private final Clock clock;
    private final IngestProperties ingest;
    private final long callMaxParsedBytes;
    private final StoreWriteHealth health;
    private final DistributionSummary commitSize;
    private final Timer commitTime;
    private final Counter refused;
    private final LinkedBlockingQueue<PendingAppend> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private volatile Thread writer;

    public EventJournal(BridgeStore bridgeStore, StoreFlush flush, JournalRows rows, BridgeJson json, @Qualifier(BridgeConfiguration.CLOCK) Clock clock,
            IngestProperties ingest, CallsProperties calls, StoreWriteHealth health, MeterRegistry registry, BridgeLiveness liveness) {
        this.dataSource = bridgeStore.dataSource();
        this.flush = flush;
        this.rows = rows;
        this.json = json.mapper();
        this.clock = clock;
        this.ingest = ingest;
        this.callMaxParsedBytes = calls.callMaxParsedBytes().toBytes();
        this.health = health;
        liveness.watchThread("event-journal-writer", this::writerAlive);
        this.commitSize = DistributionSummary.builder("bridge.journal.commit.events")
                .description("Events per journal commit: how many webhook answers one durable write covers")
                .baseUnit("events").register(registry);
        this.commitTime = Timer.builder("bridge.journal.commit")
                .description("One journal commit: the events' statements, the commit and the flush to disk")
                .register(registry);
        this.refused = Counter.builder("bridge.events.refused.by.store")
                .description("Webhook events the store could not take (answered 503)")
                .register(registry);
    }

    /**
     * Stores the exchange's canonical event with its raw bytes under its dedupe key; returns once it is
     * committed and would survive a kill -9, with the outcome in {@link #OUTCOME}.
     */
    public void append(Exchange exchange) {
        CallEvent event = exchange.getMessage().getBody(CallEvent.class);
        byte[] raw = exchange.getProperty(WebhookGuard.RAW_BODY, byte[].class);
        String dedupeKey = exchange.getProperty(EventKeys.DEDUPE_KEY, String.class);
        exchange.setProperty(OUTCOME, append(event, raw, dedupeKey));
    }

    AppendOutcome append(CallEvent event, byte[] raw, String dedupeKey) {
        if (!running) {
            throw refused("event journal is not running", null);
        }
        JournalEntry entry = JournalEntry.received(json, event, raw, dedupeKey, clock.instant());
        if (event.belongsToCall() && entry.parsedBytes() > callMaxParsedBytes) {
            return AppendOutcome.TOO_LARGE;   // could never be assembled with its call: nothing written
        }
        var pending = new PendingAppend(entry, new CompletableFuture<>());
        queue.add(pending);
        restartWriterIfDead();
        try {
            return pending.done().get(ingest.appendTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw refused("interrupted while storing the event", interrupted);
        } catch (TimeoutException tooSlow) {
            pending.done().cancel(false); // answered 503: the writer skips it unless it is being written already
            throw refused("event not stored in time", tooSlow);
        } catch (ExecutionException failed) {
            throw refused("event could not be stored", failed.getCause());
        }
    }

    private StoreUnavailableException refused(String message, Throwable cause) {
        refused.increment();
        return new StoreUnavailableException(message, cause);
    }

    /** The writer: waits for the first event, takes whatever queued up meanwhile, commits them together. */
    private void writeLoop() {
        List<PendingAppend> batch = new ArrayList<>(ingest.maxBatch());
        while (running || !queue.isEmpty()) {
            try {
                PendingAppend first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, ingest.maxBatch() - 1);
                    commit(batch);
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable error) { // an OutOfMemoryError in a commit: that group is answered 503, the writer goes on
                failed(batch, error);
            } finally {
                batch.clear();
            }
        }
    }

    private static void failed(List<PendingAppend> batch, Throwable error) {
        batch.forEach(pending -> pending.done().completeExceptionally(error));
        try {
            LOG.error("Event journal writer: {} in a commit of {} event(s), answered 503; the writer goes on", error, batch.size());
        } catch (Throwable notEvenLogged) {
            // out of memory even for the log line: the requests have their answer, the loop goes on
        }
    }

    /** The writer thread died all the same (an Error outside a commit): a new one takes over the queue. */
    private void restartWriterIfDead() {
        Thread current = writer;
        if (running && current != null && !current.isAlive()) {
            synchronized (this) {
                if (running && writer == current) {
                    LOG.error("Event journal writer had stopped; started again");
                    startWriter();
                }
            }
        }
    }

    /** For {@code bridgeLiveness}: false while the journal runs without a writer thread. */
    public boolean writerAlive() {
        Thread current = writer;
        return !running || current != null && current.isAlive();
    }

    private void startWriter() {
        Thread thread = new Thread(this::writeLoop, "event-journal-writer");
        // a daemon: a start that fails must end the process (an orchestrator restarts it). A normal stop still answers
        // every accepted request: stop() waits for the writer, which drains the queue before it ends
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((dead, error) -> LOG.error("Event journal writer stopped by {}", error.toString()));
        writer = thread;
        thread.start();
    }

    private void commit(List<PendingAppend> batch) {
        batch.removeIf(pending -> pending.done().isDone()); // their requests were answered 503 meanwhile
        if (batch.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        List<AppendOutcome> outcomes;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                outcomes = rows.write(connection, batch.stream().map(PendingAppend::entry).toList());
                connection.commit();
            } catch (SQLException | RuntimeException failure) {
                connection.rollback();
                throw failure;
            }
        } catch (SQLException | RuntimeException failure) {
            if (batch.size() > 1 && !StoreFaults.isPassing(failure)) {
                // a value the store refuses fails its whole commit: each event alone, so only that one is refused
                batch.forEach(pending -> commit(new ArrayList<>(List.of(pending))));
                return;
            }
            refuse(batch, failure);
            return;
        }
        answerOnceDurable(batch, outcomes, started);
    }

    /** The group's commit reaches the disk, then its requests get their outcomes. */
    private void answerOnceDurable(List<PendingAppend> committed, List<AppendOutcome> outcomes, long started) {
        try {
            flush.awaitDurable();
        } catch (RuntimeException failure) {
            refuse(committed, failure);
            return;
        }
        health.writeSucceeded();
        commitTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        commitSize.record(committed.size());
        for (int i = 0; i < committed.size(); i++) {
            committed.get(i).done().complete(outcomes.get(i));
        }
    }

    private void refuse(List<PendingAppend> batch, Exception failure) {
        if (StoreFaults.isPassing(failure)) {
            health.writeFailed(failure);
        }
        LOG.error("Could not commit {} event(s), answered 503: {}", batch.size(), LogSafe.of(failure));
        batch.forEach(pending -> pending.done().completeExceptionally(failure));
    }

    // --- lifecycle: starts before and stops after the web server and Camel, so no accepted request is left waiting

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE / 2;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        startWriter();
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
}
