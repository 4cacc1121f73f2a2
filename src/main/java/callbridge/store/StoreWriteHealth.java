package callbridge.store;

import callbridge.BridgeConfiguration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health}'s {@code storeWrites} component: can the store take writes right now? A store can
 * answer a read (Spring's {@code db} check) and still refuse every write (read-only or full disk, H2 closed
 * after an error inside it). The last write decides: each event commit reports here, and when nothing was
 * written for a while the check writes one probe row itself (flushed to disk), so DOWN shows within a few
 * seconds of a fault and UP again once writes work. A store poller that keeps failing is DOWN too, until it has
 * not failed for a couple of seconds.
 */
@Component("bridgeStoreWrites")
public class StoreWriteHealth implements HealthIndicator {
    private static final Duration FRESH = Duration.ofSeconds(2);
    private static final int POLLER_FAILURES_DOWN = 5;

    private record Outcome(Instant at, String failure) {
    }

    private final DataSource dataSource;
    private final StoreFlush flush;
    private final Clock clock;
    private final String node;
    /** Per poller: its current run of failures (last time, count); a run ends when it has not failed for a while. */
    private record PollerFailures(Instant last, int count) {
    }

    private final Map<String, PollerFailures> pollerFailures = new ConcurrentHashMap<>();
    private volatile Outcome last = new Outcome(Instant.EPOCH, null);

    public StoreWriteHealth(BridgeStore bridgeStore, StoreFlush flush, @Qualifier(BridgeConfiguration.CLOCK) Clock clock,
            @Value("${bridge.node-name:${HOSTNAME:node}}") String node) {
        this.dataSource = bridgeStore.dataSource();
        this.flush = flush;
        this.clock = clock;
        this.node = node.length() > 120 ? node.substring(0, 120) : node;
    }

    public void writeSucceeded() {
        last = new Outcome(clock.instant(), null);
    }

    public void writeFailed(Throwable failure) {
        last = new Outcome(clock.instant(), failure.getClass().getSimpleName());
    }

    /** A store poller ({@code bridge-calls-due}, {@code bridge-deliveries-due}, ...) failed; it polls again a moment later. */
    public void pollFailed(String poller) {
        Instant now = clock.instant();
        pollerFailures.merge(poller, new PollerFailures(now, 1), (earlier, failure) ->
                earlier.last().plus(FRESH).isBefore(now) ? failure : new PollerFailures(now, earlier.count() + 1));
    }

    @Override
    public Health health() {
        Outcome outcome = last;
        if (outcome.at().plus(FRESH).isBefore(clock.instant())) {
            outcome = probe();
        }
        Instant now = clock.instant();
        var failingPollers = pollerFailures.entrySet().stream()
                .filter(entry -> keepsFailing(entry.getValue(), now)).map(Map.Entry::getKey).sorted().toList();
        if (outcome.failure() != null) {
            return Health.down().withDetail("lastWriteFailed", outcome.failure()).build();
        }
        return failingPollers.isEmpty() ? Health.up().build()
                : Health.down().withDetail("failingPollers", failingPollers).build();
    }

    /** Failed again and again, and still failing: polls run every fraction of a second, so a quiet moment means success. */
    private static boolean keepsFailing(PollerFailures failures, Instant now) {
        return failures.count() >= POLLER_FAILURES_DOWN && !failures.last().plus(FRESH).isBefore(now);
    }

    private Outcome probe() {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            Timestamp now = Timestamp.from(clock.instant());
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE bridge_store_probe SET probed_at = ? WHERE node = ?")) {
                update.setTimestamp(1, now);
                update.setString(2, node);
                if (update.executeUpdate() == 0) {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO bridge_store_probe (node, probed_at) VALUES (?, ?)")) {
                        insert.setString(1, node);
                        insert.setTimestamp(2, now);
                        insert.executeUpdate();
                    }
                }
            }
            connection.commit();
            flush.awaitDurable();
            writeSucceeded();
        } catch (SQLException | RuntimeException failure) {
            writeFailed(failure);
        }
        return last;
    }
}
