package callbridge.calls;

import callbridge.BridgeConfiguration;
import callbridge.claims.CallKey;
import callbridge.store.BridgeStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the store the size of {@code BRIDGE_RETENTION}: calls finished (delivered, dry run, test not
 * forwarded) longer ago than that go, with their raw events and delivery attempts. Open, pending and
 * dead-lettered calls are never purged. Events no call row holds (no call id, or an unknown event type
 * for a call the bridge never opened) go once older than the retention too, and so do outbound triggers done
 * (dialed, failed, expired). Works in batches, each its own transaction, so it never holds the writer up for
 * long, and goes on while there is more, so it keeps up with the calls a busy day adds.
 */
@Component("bridgeRetentionPurge")
public class RetentionPurge {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionPurge.class);
    private static final List<String> FINISHED = List.of("DELIVERED", "DRY_RUN", "TEST_NOT_FORWARDED");
    private static final List<String> TRIGGERS_DONE = List.of("dialed", "failed", "expired");
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Duration retention;
    /** Calls per purge transaction; the sweep of events without a call reads four times as many events a page. */
    private final int batch;
    private final MeterRegistry metrics;
    /**
     * One run goes on batch after batch while there is more to purge, for at most this long: a run a minute of
     * one batch would purge 500 calls a minute, fewer than a busy day adds. Each batch is its own transaction.
     */
    private final Duration runBudget;
    /** Where the sweep of events without a call goes on from: ids follow receipt. From the start after a restart. */
    private long sweptUpTo;

    public RetentionPurge(BridgeStore bridgeStore, @Qualifier(BridgeConfiguration.CLOCK) Clock clock,
            @Value("${bridge.retention:7d}") Duration retention, @Value("${bridge.retention-batch:500}") int batch,
            @Value("${bridge.retention-run-budget:10s}") Duration runBudget, MeterRegistry metrics) {
        this.jdbc = bridgeStore.jdbc();
        this.transactions = bridgeStore.transactions();
        this.clock = clock;
        this.retention = retention;
        this.batch = batch;
        this.runBudget = runBudget;
        this.metrics = metrics;
    }

    /**
     * Purges finished calls older than the retention, then events without a call, a batch at a time until
     * none is left or the run's budget is spent (the next run goes on); returns how many calls went.
     */
    public int purge() {
        OffsetDateTime before = OffsetDateTime.ofInstant(clock.instant().minus(retention), ZoneOffset.UTC);
        long deadline = System.nanoTime() + runBudget.toNanos();
        Drained calls = inBatches(() -> purgeFinishedCalls(before), deadline);
        if (calls.purged() > 0) {
            LOG.info("retention: purged {} call(s) finished before {}", calls.purged(), before.toInstant());
        }
        Drained triggers = inBatches(() -> purgeFinishedTriggers(before), deadline);
        if (triggers.purged() > 0) {
            LOG.info("retention: purged {} outbound trigger(s) done before {}", triggers.purged(), before.toInstant());
        }
        boolean behind = calls.behind() || triggers.behind();
        int events = 0;
        SweptPage page;
        do {
            page = purgeEventsWithoutCall(before);
            events += page.purged();
        } while (page.more() && System.nanoTime() < deadline);
        behind |= page.more();
        if (events > 0) {
            LOG.info("retention: purged {} event(s) without a call received before {}", events, before.toInstant());
        }
        metrics.counter("bridge.retention.purged", "what", "calls").increment(calls.purged());
        metrics.counter("bridge.retention.purged", "what", "triggers").increment(triggers.purged());
        metrics.counter("bridge.retention.purged", "what", "events-without-call").increment(events);
        // a run that spent its budget with more due: ops see the purge falling behind before the disk does
        metrics.counter("bridge.retention.runs", "outcome", behind ? "behind" : "caught-up").increment();
        return calls.purged();
    }

    /** What batches of one kind removed in a run, and whether the budget ran out with a full batch last. */
    private record Drained(int purged, boolean behind) {
    }

    /** Runs a batch, and another while the last was full and the run's budget lasts. */
    private Drained inBatches(IntSupplier oneBatch, long deadline) {
        int total = 0;
        int purged;
        do {
            purged = oneBatch.getAsInt();
            total += purged;
        } while (purged == batch && System.nanoTime() < deadline);
        return new Drained(total, purged == batch);
    }

    /**
     * Outbound triggers dialed, failed or expired: a done trigger's due time is its last attempt, inside the dial
     * window after its receipt, so the {@code (status, due_at)} index finds the old ones. Its Idempotency-Key goes
     * with it: the same key after the retention is a new trigger.
     */
    private int purgeFinishedTriggers(OffsetDateTime before) {
        int purged = 0;
        for (String done : TRIGGERS_DONE) {
            purged += jdbc.sql("""
                    DELETE FROM bridge_outbound_trigger WHERE id IN
                      (SELECT id FROM bridge_outbound_trigger WHERE status = :status AND due_at < :before LIMIT :batch)""")
                    .param("status", done).param("before", before).param("batch", batch - purged)
                    .update();
            if (purged == batch) {
                break;
            }
        }
        return purged;
    }

    /** One page of the sweep: events deleted, and whether the page was full and all past the retention. */
    record SweptPage(int purged, boolean more) {
    }

    private int purgeFinishedCalls(OffsetDateTime before) {
        Integer purged = transactions.execute(tx -> {
            // a finished call's due_at is its completion (or last attempt), so the (state, due_at) index
            // finds old ones without reading the calls still inside the retention
            List<CallKey> old = new ArrayList<>();
            for (String finished : FINISHED) {
                old.addAll(jdbc.sql("""
                        SELECT provider, call_id FROM bridge_call
                         WHERE state = :state AND due_at < :before AND completed_at < :before
                         LIMIT :batch""")
                        .param("state", finished).param("before", before).param("batch", batch - old.size())
                        .query((rs, i) -> new CallKey(rs.getString(1), rs.getString(2))).list());
            }
            for (CallKey key : old) {
                for (String table : new String[] {"bridge_call_event", "bridge_delivery_attempt", "bridge_dead_letter", "bridge_call"}) {
                    jdbc.sql("DELETE FROM " + table + " WHERE provider = :provider AND call_id = :callId")
                            .param("provider", key.provider()).param("callId", key.callId()).update();
                }
            }
            return old.size();
        });
        return purged == null ? 0 : purged;
    }

    /**
     * The call purge goes by call, so it never reaches an event no call row holds. Those are found by
     * reading the events older than the retention a page at a time in id order (the order of receipt,
     * so no index on the receipt time is written by every insert), on from where the last sweep stopped,
     * and deleted in one statement. An event whose call exists stays: it goes with its call.
     */
    SweptPage purgeEventsWithoutCall(OffsetDateTime before) {
        record Received(long id, OffsetDateTime at) {
        }
        long after = sweptUpTo;
        int pageSize = 4 * batch;
        List<Received> page = jdbc.sql("SELECT id, received_at FROM bridge_call_event WHERE id > :after ORDER BY id LIMIT :page")
                .param("after", after).param("page", pageSize)
                .query((rs, i) -> new Received(rs.getLong(1), rs.getObject(2, OffsetDateTime.class)))
                .list();
        int older = 0;
        while (older < page.size() && page.get(older).at().isBefore(before)) {
            older++; // what follows the first event within the retention waits for a later sweep
        }
        if (older == 0) {
            return new SweptPage(0, false);
        }
        long upTo = page.get(older - 1).id();
        int purged = jdbc.sql("""
                DELETE FROM bridge_call_event e
                 WHERE e.id > :after AND e.id <= :upTo AND e.received_at < :before
                   AND NOT EXISTS (SELECT 1 FROM bridge_call c WHERE c.provider = e.provider AND c.call_id = e.call_id)""")
                .param("after", after).param("upTo", upTo).param("before", before)
                .update();
        sweptUpTo = upTo;
        return new SweptPage(purged, older == pageSize);
    }
}
