package callbridge.ingest;

import callbridge.calls.CallEvent;
import callbridge.store.StoreFlush;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal for an embedded H2 store: an event is answered once it is in a log file beside the database
 * ({@link WriteAheadLog}, one write for every request waiting), and an applier thread moves the log into the
 * database in large transactions. A database commit costs H2 a new chunk of every page it touched; one per
 * few hundred events instead of one per few events is what lets the ack path keep up with the web server.
 *
 * <p>A duplicate is still answered as one: an event is new only when no stored event and no event still
 * waiting in the log has its (provider, call id, dedupe key). After a crash the log is applied again at
 * start, before any request is taken; applying an event twice is a no-op ({@link JournalRows}). A segment
 * file is deleted once everything in it is in the database and flushed. Single node only: the log is local.
 */
public class WriteAheadJournal implements EventJournal {
    private static final Logger LOG = LoggerFactory.getLogger(WriteAheadJournal.class);

    /** Is the event stored already, and is its call still open? One read per request. */
    private static final String LOOKUP = """
            SELECT (SELECT state FROM bridge_call WHERE provider = ? AND call_id = ?),
                   (SELECT COUNT(*) FROM call_event WHERE provider = ? AND call_id = ? AND dedupe_key = ?)""";

    private record Pending(JournalEntry entry, String key, ByteBuffer frame, CompletableFuture<Void> written) {
    }

    private record Logged(JournalEntry entry, String key, long segment) {
    }

    private final DataSource dataSource;
    private final StoreFlush flush;
    private final JournalRows rows;
    private final ObjectMapper json;
    private final JournalEntryCodec codec;
    private final Clock clock;
    private final IngestProperties ingest;
    private final WriteAheadLog log;
    private final DistributionSummary writeSize;
    private final DistributionSummary commitSize;
    private final Timer commitTime;

    private final LinkedBlockingQueue<Pending> toWrite = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Logged> toApply = new LinkedBlockingQueue<>();
    /** Keys of the events in the log and not yet in the database: they are duplicates too. */
    private final Map<String, Boolean> notYetApplied = new ConcurrentHashMap<>();
    /** Events written to the log / applied to the database so far (for {@link #awaitInDatabase}). */
    private long logged;
    private long applied;
    private final Object progress = new Object();

    /** The oldest segment that may still be on disk (the applier's own bookkeeping). */
    private long oldestOnDisk;
    private volatile boolean running;
    /** Released by {@link #stop()}: the applier's retry wait ends at once. */
    private volatile CountDownLatch stopping;
    private Thread writer;
    private Thread applier;

    public WriteAheadJournal(DataSource dataSource, StoreFlush flush, JournalRows rows, ObjectMapper json, Clock clock,
            IngestProperties ingest, WriteAheadLog log, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.flush = flush;
        this.rows = rows;
        this.json = json;
        this.codec = new JournalEntryCodec(json);
        this.clock = clock;
        this.ingest = ingest;
        this.log = log;
        this.writeSize = DistributionSummary.builder("bridge.journal.log.write.events")
                .description("Events per write-ahead log write: how many webhook answers one write covers")
                .baseUnit("events").register(registry);
        this.commitSize = DistributionSummary.builder("bridge.journal.commit.events")
                .description("Events per journal commit to the database")
                .baseUnit("events").register(registry);
        this.commitTime = Timer.builder("bridge.journal.commit")
                .description("One journal commit: the events' statements and the commit")
                .register(registry);
        Gauge.builder("bridge.journal.log.backlog", this, WriteAheadJournal::backlog)
                .description("Events answered and in the write-ahead log, not yet in the database")
                .baseUnit("events").register(registry);
    }

    @Override
    public AppendOutcome append(CallEvent event, byte[] raw, String dedupeKey) {
        if (!running) {
            throw new StoreUnavailableException("event journal is not running", null);
        }
        long behind = backlog();
        if (behind >= ingest.maxBacklog()) {
            throw new StoreUnavailableException("the database is " + behind + " events behind", null);
        }
        var entry = JournalEntry.received(json, event, raw, dedupeKey, clock.instant());
        String key = event.provider() + '\n' + entry.storedCallId() + '\n' + dedupeKey;
        if (notYetApplied.putIfAbsent(key, Boolean.TRUE) != null) {
            return AppendOutcome.DUPLICATE;
        }
        boolean inLog = false;
        try {
            String callState = lookup(entry);
            if (callState == null) {
                return AppendOutcome.DUPLICATE;
            }
            var pending = new Pending(entry, key, WriteAheadLog.frame(codec.encode(entry)), new CompletableFuture<>());
            toWrite.add(pending);
            pending.written().get(ingest.appendTimeoutMs(), TimeUnit.MILLISECONDS);
            inLog = true;
            return !event.belongsToCall() || callState.isEmpty() || "OPEN".equals(callState)
                    ? AppendOutcome.STORED : AppendOutcome.STORED_LATE;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while storing the event", interrupted);
        } catch (ExecutionException | TimeoutException failed) {
            throw new StoreUnavailableException("event could not be stored", failed.getCause());
        } finally {
            if (!inLog) {
                notYetApplied.remove(key); // a re-send may try again
            }
        }
    }

    /** The call's state ("" when the bridge has no row for it), or null when the event is stored already. */
    private String lookup(JournalEntry entry) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement lookup = connection.prepareStatement(LOOKUP)) {
            String provider = entry.event().provider();
            lookup.setString(1, provider);
            lookup.setString(2, entry.storedCallId());
            lookup.setString(3, provider);
            lookup.setString(4, entry.storedCallId());
            lookup.setString(5, entry.dedupeKey());
            try (ResultSet rs = lookup.executeQuery()) {
                rs.next();
                String state = rs.getString(1);
                return rs.getLong(2) > 0 ? null : state == null ? "" : state;
            }
        } catch (SQLException unreachable) {
            throw new StoreUnavailableException("store unreachable", unreachable);
        }
    }

    // --- the writer: one log write for every request waiting

    private void writeLoop() {
        GroupingLoop.run(toWrite, ingest.maxBatch(), () -> running, this::write);
    }

    private void write(List<Pending> batch) {
        ByteBuffer[] frames = new ByteBuffer[batch.size()];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = batch.get(i).frame();
        }
        long segment;
        try {
            segment = log.write(frames);
        } catch (IOException | RuntimeException failed) {
            LOG.error("Could not write {} event(s) to the write-ahead log: {}", batch.size(), failed.toString());
            batch.forEach(pending -> pending.written().completeExceptionally(failed));
            try {
                log.startSegment(); // what follows must not land behind a torn frame
            } catch (RuntimeException stillFailing) {
                LOG.error("Could not start a new write-ahead log segment: {}", stillFailing.toString());
            }
            return;
        }
        // queued for the database before anyone is answered, and before the segment can roll
        for (Pending pending : batch) {
            toApply.add(new Logged(pending.entry(), pending.key(), segment));
        }
        synchronized (progress) {
            logged += batch.size();
        }
        writeSize.record(batch.size());
        batch.forEach(pending -> pending.written().complete(null));
        log.rollWhenFull();
    }

    // --- the applier: the log into the database, in large transactions

    private void applyLoop() {
        List<Logged> batch = new ArrayList<>(ingest.maxApplyBatch());
        while (running || !toApply.isEmpty() || writer.isAlive()) {
            try {
                if (batch.isEmpty()) {
                    Logged first = toApply.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    toApply.drainTo(batch, ingest.maxApplyBatch() - 1);
                }
                commit(batch.stream().map(Logged::entry).toList());
                batch.forEach(done -> notYetApplied.remove(done.key()));
                synchronized (progress) {
                    applied += batch.size();
                    progress.notifyAll();
                }
                batch.clear();
                deleteAppliedSegments();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException failed) {
                // the batch stays: the log keeps answering, the database gets it once it is back
                LOG.error("Could not move {} event(s) from the write-ahead log into the database, retrying: {}",
                        batch.size(), failed.toString());
                if (!running) {
                    return; // stopping: the log keeps them for the next start
                }
                awaitStopFor(Duration.ofSeconds(1)); // retry in a second, or leave at once when stopping
            }
        }
    }

    private void commit(List<JournalEntry> entries) throws SQLException {
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                rows.write(connection, entries);
                connection.commit();
            } catch (SQLException | RuntimeException failure) {
                connection.rollback();
                throw failure;
            }
        }
        commitTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        commitSize.record(entries.size());
    }

    /** Segments older than the oldest event still waiting are in the database: flushed, they can go. */
    private void deleteAppliedSegments() {
        long current = log.currentSegment(); // read before the queue: see write()
        Logged oldestWaiting = toApply.peek();
        long needed = oldestWaiting == null ? current : oldestWaiting.segment();
        if (oldestOnDisk < needed) { // once per segment, not per batch: no directory listing on the way
            flush.awaitDurable();
            log.deleteBefore(needed);
            oldestOnDisk = needed;
        }
    }

    /** Events answered from the log and not in the database yet (queued, or in the applier's hands). */
    long backlog() {
        synchronized (progress) {
            return logged - applied;
        }
    }

    @Override
    public boolean awaitInDatabase(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        synchronized (progress) {
            long target = logged;
            while (applied < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    // --- lifecycle: replay what a crash left, then write and apply while the application runs

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        boolean replayed = replay();
        log.startSegment(); // numbered after every segment on disk
        if (replayed) {
            log.deleteBefore(log.currentSegment());
        }
        oldestOnDisk = log.currentSegment();
        stopping = new CountDownLatch(1);
        running = true;
        writer = new Thread(this::writeLoop, "event-journal-writer");
        applier = new Thread(this::applyLoop, "event-journal-applier");
        applier.setDaemon(true); // a database that is gone must not hold the JVM: the log keeps the events
        writer.start();
        applier.start();
    }

    /** Applies every segment left on disk (a crash, or a stop that could not finish), flushed; true if any. */
    private boolean replay() {
        List<Long> segments = log.segments();
        if (segments.isEmpty()) {
            return false;
        }
        List<JournalEntry> batch = new ArrayList<>();
        int[] count = {0};
        try {
            for (long segment : segments) {
                boolean whole = log.read(segment, record -> {
                    batch.add(codec.decode(record));
                    count[0]++;
                    if (batch.size() >= ingest.maxApplyBatch()) {
                        commitReplayed(batch);
                    }
                });
                if (!whole) {
                    LOG.warn("Write-ahead log segment {} ends in a torn write (never answered); the rest was applied", segment);
                }
            }
            commitReplayed(batch);
        } catch (RuntimeException failed) {
            throw new IllegalStateException("could not apply the write-ahead log in " + log.directory(), failed);
        }
        flush.awaitDurable();
        LOG.info("Applied {} event(s) from the write-ahead log in {} (events already stored were skipped)",
                count[0], log.directory());
        return true;
    }

    private void commitReplayed(List<JournalEntry> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            commit(batch);
        } catch (SQLException failed) {
            throw new IllegalStateException(failed.getMessage(), failed);
        }
        batch.clear();
    }

    @Override
    public void stop() {
        running = false;
        if (stopping != null) {
            stopping.countDown();
        }
        try {
            writer.join(ingest.appendTimeoutMs());
            applier.join(ingest.appendTimeoutMs());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        boolean allApplied;
        synchronized (progress) {
            allApplied = applied == logged; // not just an empty queue: the applier may hold a batch it could not write
        }
        if (allApplied && !applier.isAlive()) {
            flush.awaitDurable();
            log.deleteBefore(log.currentSegment() + 1);
        }
        log.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void awaitStopFor(Duration wait) {
        try {
            stopping.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
