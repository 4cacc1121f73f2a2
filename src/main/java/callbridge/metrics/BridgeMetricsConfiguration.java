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
import org.springframework.core.env.Environment;

/**
 * The meters config/prometheus/bridge-alerts.yml and config/grafana/cekura-call-bridge.json need, set up by the bridge
 * itself so that they publish the same in a host application as standalone (no property of the application asked for),
 * and what the ops page shows of refused webhooks.
 */
@Configuration(proxyBeanMethods = false)
public class BridgeMetricsConfiguration {
    /** The bridge's own base paths: webhooks, the outbound trigger, the admin API and page (deploy.md's settings). */
    static List<String> bridgeBasePaths(Environment environment) {
        return List.of(environment.getProperty("bridge.webhooks.base-path", "/webhooks"),
                environment.getProperty("bridge.trigger.path", "/cekura/outbound-trigger"),
                environment.getProperty("bridge.admin.base-path", "/admin"));
    }

    /** The ops page's refused webhooks of the last 15 minutes, fed with the refusal and received counters. */
    @Bean
    RecentWebhooks bridgeRecentWebhooks(@Qualifier(BridgeConfiguration.CLOCK) Clock clock) {
        return new RecentWebhooks(clock);
    }

    @Bean
    BridgeRequestHistograms bridgeRequestHistograms(Environment environment) {
        return new BridgeRequestHistograms(bridgeBasePaths(environment));
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
