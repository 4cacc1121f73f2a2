package callbridge.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.List;
import java.util.stream.DoubleStream;

/**
 * Latency buckets for {@code http.server.requests} of the bridge's own paths only: the webhook ack p99 alert and
 * dashboard panel need them in a host as in the standalone app, and no global property (which would add buckets to
 * every endpoint of a host) is asked for. A dozen fixed buckets per series, around the 100 ms ack target, instead of
 * Micrometer's ~70 of a percentiles histogram; a histogram the application asked for itself is kept.
 * <p>
 * Prometheus takes one type per metric name: Micrometer's registry fails the whole scrape (a ClassCastException)
 * when some {@code http_server_requests_seconds} series are histograms and others summaries
 * (micrometer-metrics/micrometer#5150). So the application's other series become the smallest histogram there is,
 * the one {@code le="+Inf"} bucket (their count), unless the application gave them buckets of its own.
 */
public class BridgeRequestHistograms implements MeterFilter {
    static final String HTTP_SERVER_REQUESTS = "http.server.requests";
    static final double[] BUCKETS_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final double[] BUCKETS_NANOS = DoubleStream.of(BUCKETS_SECONDS)
            .map(seconds -> seconds * Duration.ofSeconds(1).toNanos()).toArray();

    private final List<String> basePaths;

    /** {@code basePaths}: a uri equal to one, or below it ({@code /webhooks/salpre} below {@code /webhooks}), is the bridge's. */
    public BridgeRequestHistograms(List<String> basePaths) {
        this.basePaths = basePaths.stream().map(path -> path.endsWith("/") ? path.substring(0, path.length() - 1) : path).toList();
    }

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!HTTP_SERVER_REQUESTS.equals(id.getName())) {
            return config;
        }
        if (bridges(id.getTag("uri"))) {
            return DistributionStatisticConfig.builder().serviceLevelObjectives(BUCKETS_NANOS).build().merge(config);
        }
        boolean ownHistogram = Boolean.TRUE.equals(config.isPercentileHistogram())
                || config.getServiceLevelObjectiveBoundaries() != null && config.getServiceLevelObjectiveBoundaries().length > 0;
        return ownHistogram ? config
                : DistributionStatisticConfig.builder().serviceLevelObjectives(Double.POSITIVE_INFINITY).build().merge(config);
    }

    boolean bridges(String uri) {
        return uri != null && basePaths.stream().anyMatch(base -> uri.equals(base) || uri.startsWith(base + "/"));
    }
}
