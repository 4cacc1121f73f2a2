package callbridge.store;

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
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health}'s {@code storeWrites} component: can the store take writes right now? A store can
 * answer a read (Spring's {@code db} check) and still refuse every write (read-only or full disk, H2 closed
 * after an error inside it). The last write decides: each event commit reports here, and when nothing was
 * written for a while the check writes one probe row itself (flushed to disk), so DOWN shows within a few
 * seconds of a fault and UP again once writes work. A store poller that keeps failing is DOWN too.
 */
@Component("storeWrites")
public class StoreWriteHealth implements HealthIndicator {
    private static final Duration FRESH = Duration.ofSeconds(2);
    private static final int POLLER_FAILURES_DOWN = 5;

    private record Outcome(Instant at, String failure) {
    }

    private final DataSource dataSource;
    private final StoreFlush flush;
    private final Clock clock;
    private final String node;
    private final Map<String, Integer> pollerFailures = new ConcurrentHashMap<>();
    private volatile Outcome last = new Outcome(Instant.EPOCH, null);

    public StoreWriteHealth(DataSource dataSource, StoreFlush flush, Clock clock,
            @Value("${bridge.node-name:${HOSTNAME:node}}") String node) {
        this.dataSource = dataSource;
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

    /** A store poller ({@code calls-due}, {@code deliveries-due}, ...) failed; {@link #pollSucceeded} resets it. */
    public void pollFailed(String poller) {
        pollerFailures.merge(poller, 1, Integer::sum);
    }

    public void pollSucceeded(String poller) {
        pollerFailures.remove(poller);
    }

    @Override
    public Health health() {
        Outcome outcome = last;
        if (outcome.at().plus(FRESH).isBefore(clock.instant())) {
            outcome = probe();
        }
        var failingPollers = pollerFailures.entrySet().stream()
                .filter(entry -> entry.getValue() >= POLLER_FAILURES_DOWN).map(Map.Entry::getKey).sorted().toList();
        if (outcome.failure() != null) {
            return Health.down().withDetail("lastWriteFailed", outcome.failure()).build();
        }
        return failingPollers.isEmpty() ? Health.up().build()
                : Health.down().withDetail("failingPollers", failingPollers).build();
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
