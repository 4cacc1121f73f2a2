package callbridge.admin;

import callbridge.store.BridgeStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Gauges read from the store at scrape time: what is open, what waits for ops. */
@Component
public class BridgeGauges {

    public BridgeGauges(MeterRegistry registry, BridgeStore bridgeStore) {
        JdbcClient jdbc = bridgeStore.jdbc();
        Gauge.builder("bridge.calls.open", () -> count(jdbc, "SELECT COUNT(*) FROM bridge_call WHERE state = 'OPEN'"))
                .description("Calls still gathering events").register(registry);
        Gauge.builder("bridge.calls.delivering", () -> count(jdbc,
                        "SELECT COUNT(*) FROM bridge_call WHERE state IN ('COMPLETING', 'PENDING', 'DELIVERING')"))
                .description("Calls closed and not yet delivered").register(registry);
        Gauge.builder("bridge.dead.letters.waiting", () -> count(jdbc, "SELECT COUNT(*) FROM bridge_dead_letter WHERE status = 'waiting'"))
                .description("Dead letters waiting for a replay").register(registry);
    }

    private static double count(JdbcClient jdbc, String sql) {
        try {
            return jdbc.sql(sql).query(Long.class).single();
        } catch (RuntimeException storeAway) {
            return Double.NaN;
        }
    }
}
