package callbridge.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.List;

/**
 * Latency buckets for {@code http.server.requests} of the bridge's own paths only: the webhook ack p99 alert and
 * dashboard panel need them in a host as in the standalone app, and no global property (which would add buckets to
 * every endpoint of a host) is asked for. A dozen fixed buckets per series, around the 100 ms ack target, instead of
 * Micrometer's ~70 of a percentiles histogram; a histogram the application asked for itself is kept.
 */
public class BridgeRequestHistograms implements MeterFilter {
    static final String HTTP_SERVER_REQUESTS = "http.server.requests";
    static final double[] BUCKETS_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final List<String> basePaths;

    /** {@code basePaths}: a uri equal to one, or below it ({@code /webhooks/salpre} below {@code /webhooks}), is the bridge's. */
    public BridgeRequestHistograms(List<String> basePaths) {
        this.basePaths = basePaths.stream().map(path -> path.endsWith("/") ? path.substring(0, path.length() - 1) : path).toList();
    }

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!HTTP_SERVER_REQUESTS.equals(id.getName()) || !bridges(id.getTag("uri"))) {
            return config;
        }
        double[] nanos = new double[BUCKETS_SECONDS.length];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = BUCKETS_SECONDS[i] * Duration.ofSeconds(1).toNanos();
        }
        return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
    }

    boolean bridges(String uri) {
        return uri != null && basePaths.stream().anyMatch(base -> uri.equals(base) || uri.startsWith(base + "/"));
    }
}
