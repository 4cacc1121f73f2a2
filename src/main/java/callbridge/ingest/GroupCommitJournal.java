package callbridge.ingest;

import callbridge.LogSafe;
import callbridge.calls.CallEvent;
import callbridge.store.StoreFlush;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal that commits each event to the database before the provider gets its answer: the way for
 * PostgreSQL, where several nodes share one store and a commit is durable on its own.
 *
 * <p>Requests hand their event to one writer thread and wait; the writer commits whatever has
 * queued up meanwhile in one transaction (group commit). Under load one commit carries many
 * events, so the ack path pays one disk write per batch, not per request.
 */
public class GroupCommitJournal implements EventJournal {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitJournal.class);

    private record PendingAppend(JournalEntry entry, CompletableFuture<AppendOutcome> done) {
    }

    private final DataSource dataSource;
    private final StoreFlush flush;
    private final JournalRows rows;
    private final ObjectMapper json;
    private final Clock clock;
    private final IngestProperties ingest;
    private final DistributionSummary commitSize;
    private final Timer commitTime;
    private final LinkedBlockingQueue<PendingAppend> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread writer;

    public GroupCommitJournal(DataSource dataSource, StoreFlush flush, JournalRows rows, ObjectMapper json, Clock clock,
            IngestProperties ingest, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.flush = flush;
        this.rows = rows;
        this.json = json;
        this.clock = clock;
        this.ingest = ingest;
        this.commitSize = DistributionSummary.builder("bridge.journal.commit.events")
                .description("Events per journal commit: how many webhook answers one durable write covers")
                .baseUnit("events").register(registry);
        this.commitTime = Timer.builder("bridge.journal.commit")
                .description("One journal commit: the events' statements, the commit and the flush to disk")
                .register(registry);
    }

    /** Stores one event durably; returns once it is committed. */
    @Override
    public AppendOutcome append(CallEvent event, byte[] raw, String dedupeKey) {
        if (!running) {
            throw new StoreUnavailableException("event journal is not running", null);
        }
        var entry = JournalEntry.received(json, event, raw, dedupeKey, clock.instant());
        var pending = new PendingAppend(entry, new CompletableFuture<>());
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
        GroupingLoop.run(queue, ingest.maxBatch(), () -> running, this::commit);
    }

    private void commit(List<PendingAppend> batch) {
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<AppendOutcome> outcomes = rows.write(connection, batch.stream().map(PendingAppend::entry).toList());
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
            LOG.error("Could not commit {} event(s): {}", batch.size(), LogSafe.of(failure));
            batch.forEach(pending -> pending.done().completeExceptionally(failure));
        }
    }

    /** Every event answered is committed already. */
    @Override
    public boolean awaitInDatabase(Duration atMost) {
        return true;
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
}
