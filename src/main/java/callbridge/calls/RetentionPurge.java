package callbridge.calls;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the store the size of {@code BRIDGE_RETENTION}: calls finished (delivered, dry run, test not
 * forwarded) longer ago than that go, with their raw events and delivery attempts. Open, pending and
 * dead-lettered calls are never purged. Runs in small batches so it never holds the writer up for long.
 */
@Component("retentionPurge")
public class RetentionPurge {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionPurge.class);
    private static final int BATCH = 500;
    private static final List<String> FINISHED = List.of("DELIVERED", "DRY_RUN", "TEST_NOT_FORWARDED");

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Duration retention;

    public RetentionPurge(JdbcClient jdbc, TransactionTemplate transactions, Clock clock,
            @Value("${bridge.retention:7d}") Duration retention) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.retention = retention;
    }

    /** Purges one batch; returns how many calls went. */
    public int purge() {
        OffsetDateTime before = OffsetDateTime.ofInstant(clock.instant().minus(retention), ZoneOffset.UTC);
        Integer purged = transactions.execute(tx -> {
            // a finished call's due_at is its completion (or last attempt), so the (state, due_at) index
            // finds old ones without reading the calls still inside the retention
            List<CallKey> old = new ArrayList<>();
            for (String finished : FINISHED) {
                old.addAll(jdbc.sql("""
                        SELECT provider, call_id FROM bridge_call
                         WHERE state = :state AND due_at < :before AND completed_at < :before
                         LIMIT :batch""")
                        .param("state", finished).param("before", before).param("batch", BATCH - old.size())
                        .query((rs, i) -> new CallKey(rs.getString(1), rs.getString(2))).list());
            }
            for (CallKey key : old) {
                for (String table : new String[] {"call_event", "delivery_attempt", "dead_letter", "bridge_call"}) {
                    jdbc.sql("DELETE FROM " + table + " WHERE provider = :provider AND call_id = :callId")
                            .param("provider", key.provider()).param("callId", key.callId()).update();
                }
            }
            return old.size();
        });
        int count = purged == null ? 0 : purged;
        if (count > 0) {
            LOG.info("retention: purged {} call(s) finished before {}", count, before.toInstant());
        }
        return count;
    }
}
