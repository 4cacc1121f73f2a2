package callbridge.ingest;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's webhooks of the last 15 minutes, per provider: how many were accepted, how many refused and why. The
 * ops page's at-a-glance view of {@code bridge_webhooks_refused_total}: a provider refused with nothing accepted is
 * most likely a rotated secret. A counter says since when the node runs; this says what is happening now. Counted a
 * minute at a time; providers and reasons are the bounded tags of the counters, never what a sender wrote. A bean of
 * metrics/BridgeMetricsConfiguration.
 */
public class RecentWebhooks {
    public static final Duration WINDOW = Duration.ofMinutes(15);
    private static final int MINUTES = (int) WINDOW.toMinutes();
    private static final String ACCEPTED = "";

    /** One provider's webhooks of the window: accepted, and refused by reason (in name order); refusedOnly: none accepted. */
    public record ProviderWebhooks(String provider, long accepted, Map<String, Long> refused, boolean refusedOnly) {
    }

    private final Clock clock;
    /** provider → (reason, or ACCEPTED) → counts by minute. */
    private final Map<String, Map<String, MinuteCounts>> counts = new ConcurrentHashMap<>();

    /** {@code clock}: the bridge's own (BridgeConfiguration.CLOCK). */
    public RecentWebhooks(Clock clock) {
        this.clock = clock;
    }

    public void accepted(String provider) {
        count(provider, ACCEPTED);
    }

    public void refused(String provider, String reason) {
        count(provider, reason);
    }

    /** Every provider with a webhook refused in the window, by name. */
    public List<ProviderWebhooks> refusedByProvider() {
        long minute = minute();
        List<ProviderWebhooks> providers = new ArrayList<>();
        new TreeMap<>(counts).forEach((provider, byReason) -> {
            long accepted = 0;
            Map<String, Long> refused = new LinkedHashMap<>();
            for (var reason : new TreeMap<>(byReason).entrySet()) {
                long inWindow = reason.getValue().sum(minute);
                if (reason.getKey().equals(ACCEPTED)) {
                    accepted = inWindow;
                } else if (inWindow > 0) {
                    refused.put(reason.getKey(), inWindow);
                }
            }
            if (!refused.isEmpty()) {
                providers.add(new ProviderWebhooks(provider, accepted, refused, accepted == 0));
            }
        });
        return providers;
    }

    private void count(String provider, String what) {
        counts.computeIfAbsent(provider, p -> new ConcurrentHashMap<>())
                .computeIfAbsent(what, w -> new MinuteCounts()).add(minute());
    }

    private long minute() {
        return clock.millis() / Duration.ofMinutes(1).toMillis();
    }

    /** A count per minute of the last {@link #MINUTES}, in a ring: a slot holds the minute it counts. */
    private static final class MinuteCounts {
        private final long[] minutes = new long[MINUTES];
        private final long[] counts = new long[MINUTES];

        synchronized void add(long minute) {
            int slot = (int) (minute % MINUTES);
            if (minutes[slot] != minute) {
                minutes[slot] = minute;
                counts[slot] = 0;
            }
            counts[slot]++;
        }

        synchronized long sum(long now) {
            long sum = 0;
            for (int slot = 0; slot < MINUTES; slot++) {
                if (now - minutes[slot] < MINUTES) {
                    sum += counts[slot];
                }
            }
            return sum;
        }
    }
}
