package callbridge.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The bridge's latency buckets in a Prometheus registry, whatever the application configured for its own requests. */
class BridgeRequestHistogramsTest {
    /** The base paths of a bridge whose settings leave them as they are. */
    static final List<String> DEFAULT_PATHS = BridgeMetricsConfiguration.bridgeBasePaths(new MockEnvironment());
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void theBridgesPathsGetADozenBucketsTheApplicationsOnlyTheInfiniteOne() {
        registry.config().meterFilter(new BridgeRequestHistograms(DEFAULT_PATHS));
        record("/webhooks/salpre", "/cekura/outbound-trigger", "/admin/summary", "/host/greeting", "/webhooksx", "/administration");

        List<String> scrape = registry.scrape().lines().toList();
        assertThat(buckets(scrape, "/webhooks/salpre")).hasSize(12).anyMatch(line -> line.contains("le=\"0.1\""));
        assertThat(buckets(scrape, "/cekura/outbound-trigger")).hasSize(12);
        assertThat(buckets(scrape, "/admin/summary")).hasSize(12);
        for (String hosts : List.of("/host/greeting", "/webhooksx", "/administration")) {
            assertThat(buckets(scrape, hosts)).singleElement().asString().contains("le=\"+Inf\"");
        }
    }

    @Test
    void anApplicationsOwnHistogramIsKeptAndTheScrapeStillWorks() {
        registry.config().meterFilter(new MeterFilter() {   // as management.metrics.distribution.percentiles-histogram does
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                return DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config);
            }
        });
        registry.config().meterFilter(new BridgeRequestHistograms(DEFAULT_PATHS));
        record("/webhooks/salpre", "/host/greeting");

        List<String> scrape = registry.scrape().lines().toList();
        assertThat(buckets(scrape, "/host/greeting")).hasSizeGreaterThan(12);
        assertThat(buckets(scrape, "/webhooks/salpre")).hasSizeGreaterThan(12).anyMatch(line -> line.contains("le=\"0.1\""));
    }

    /** Summaries (quantiles) and histograms cannot share a name: the application's series become histograms too. */
    @Test
    void anApplicationsOwnPercentilesKeepTheScrapeWorking() {
        registry.config().meterFilter(new MeterFilter() {   // as management.metrics.distribution.percentiles does
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                return DistributionStatisticConfig.builder().percentiles(0.99).build().merge(config);
            }
        });
        registry.config().meterFilter(new BridgeRequestHistograms(DEFAULT_PATHS));
        record("/webhooks/salpre", "/host/greeting");

        List<String> scrape = registry.scrape().lines().toList();
        assertThat(buckets(scrape, "/webhooks/salpre")).hasSize(12);
        assertThat(buckets(scrape, "/host/greeting")).singleElement().asString().contains("le=\"+Inf\"");
    }

    private void record(String... uris) {
        for (String uri : uris) {
            Timer.builder("http.server.requests").tag("uri", uri).tag("method", "POST").tag("status", "200")
                    .register(registry).record(Duration.ofMillis(42));
        }
    }

    private static List<String> buckets(List<String> scrape, String uri) {
        return scrape.stream().filter(line -> line.startsWith("http_server_requests_seconds_bucket{")
                && line.contains("uri=\"" + uri + "\"")).toList();
    }
}
