package callbridge.metrics;

import callbridge.BridgeConfiguration;
import callbridge.ingest.RecentWebhooks;
import callbridge.store.StoreWriteHealth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The meters config/prometheus/bridge-alerts.yml and config/grafana/cekura-call-bridge.json need, set up by the bridge
 * itself so that they publish the same in a host application as standalone (no property of the application asked for),
 * and what the ops page shows of refused webhooks.
 */
@Configuration(proxyBeanMethods = false)
public class BridgeMetricsConfiguration {
    /** The bridge's own base paths: webhooks, the outbound trigger, the admin API and page. */
    static final List<String> BRIDGE_BASE_PATHS = List.of("/webhooks", "/cekura", "/admin");

    /** The ops page's refused webhooks of the last 15 minutes, fed with the refusal and received counters. */
    @Bean
    RecentWebhooks bridgeRecentWebhooks(@Qualifier(BridgeConfiguration.CLOCK) Clock clock) {
        return new RecentWebhooks(clock);
    }

    @Bean
    BridgeRequestHistograms bridgeRequestHistograms() {
        return new BridgeRequestHistograms(BRIDGE_BASE_PATHS);
    }

    /**
     * {@code bridge_store_writes_up}: 1 while this node's store takes writes ({@code bridgeStoreWrites} UP), else 0.
     * Lets an alert see a store refusing writes without a health probe, and whatever the scrape job is called.
     */
    @Bean
    MeterBinder bridgeStoreWritesGauge(StoreWriteHealth storeWrites) {
        return registry -> Gauge.builder("bridge.store.writes.up", storeWrites,
                        health -> Status.UP.equals(health.health().getStatus()) ? 1 : 0)
                .description("1 while this node's store takes writes (health component bridgeStoreWrites UP), else 0")
                .register(registry);
    }
}
