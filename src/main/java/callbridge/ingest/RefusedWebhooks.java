package callbridge.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * {@code bridge_webhooks_refused_total{provider, reason}}: every webhook answered with a refusal, so that a provider
 * whose secret was rotated (401 for every event, nothing stored) is seen, not silent. {@code provider} is always a name
 * a route of the bridge gives (its {@code bridgeProvider} property, or the path of a route that serves it), never what
 * a sender wrote, so no sender can create series at will; {@code unknown} when no served provider is known.
 * {@code reason}: {@code unauthorized}, {@code bad-signature}, {@code stale-signature}, {@code malformed},
 * {@code too-large}, {@code method}, {@code rate-limited}, {@code store-unavailable}, {@code over-call-bounds},
 * {@code read-timeout}.
 */
@Component("bridgeRefusedWebhooks")
public class RefusedWebhooks {
    public static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    private final RecentWebhooks recent;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public RefusedWebhooks(MeterRegistry registry, RecentWebhooks recent) {
        this.registry = registry;
        this.recent = recent;
    }

    public void refused(String provider, String reason) {
        String tag = provider == null || provider.isBlank() ? UNKNOWN : provider;
        counters.computeIfAbsent(tag + '|' + reason, key -> Counter.builder("bridge.webhooks.refused")
                .description("Webhooks answered with a refusal (4xx, or 503 when the store could not take them), by provider and reason")
                .tag("provider", tag)
                .tag("reason", reason)
                .register(registry)).increment();
        recent.refused(tag, reason);
    }
}
