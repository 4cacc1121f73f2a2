package callbridge.ingest;

import callbridge.calls.CallEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Counts what the webhooks bring ({@code bridge_events_received_total} by provider, type, kind and
 * outcome) and writes the answer. Unknown event types are counted by name, up to a bound, so a
 * provider cannot blow up the metric's cardinality.
 */
@Component("bridgeIngestMetrics")
public class IngestMetrics {
    private static final int MAX_TYPES_PER_PROVIDER = 200;

    private final MeterRegistry registry;
    private final RecentWebhooks recent;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> typesByProvider = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry, RecentWebhooks recent) {
        this.registry = registry;
        this.recent = recent;
    }

    public void received(Exchange exchange) {
        CallEvent event = exchange.getMessage().getBody(CallEvent.class);
        AppendOutcome outcome = (AppendOutcome) exchange.getProperty(EventJournal.OUTCOME);
        String outcomeTag = outcome == null ? "unknown" : outcome.name().toLowerCase();
        String type = boundedType(event.provider(), event.eventType());
        String key = event.provider() + '|' + type + '|' + event.kind() + '|' + outcomeTag;
        counters.computeIfAbsent(key, k -> Counter.builder("bridge.events.received")
                .description("Webhook events received, by provider, event type, canonical kind and outcome")
                .tag("provider", event.provider())
                .tag("type", type)
                .tag("kind", event.kind().name().toLowerCase())
                .tag("outcome", outcomeTag)
                .register(registry)).increment();
        if (outcome == AppendOutcome.STORED || outcome == AppendOutcome.STORED_LATE || outcome == AppendOutcome.DUPLICATE) {
            recent.accepted(event.provider());   // answered 200
        }
    }

    /** The 200 answer: what happened to the event. */
    public String answer(Exchange exchange) {
        return switch ((AppendOutcome) exchange.getProperty(EventJournal.OUTCOME)) {
            case STORED -> "{\"status\":\"accepted\"}";
            case STORED_LATE -> "{\"status\":\"accepted\",\"note\":\"call already closed; event kept, not forwarded\"}";
            case DUPLICATE -> "{\"status\":\"duplicate\"}";
            case OVER_LIMIT, TOO_LARGE -> throw new IllegalStateException("an event beyond its call's bounds is refused, not answered 200");
        };
    }

    private String boundedType(String provider, String type) {
        Set<String> seen = typesByProvider.computeIfAbsent(provider, p -> ConcurrentHashMap.newKeySet());
        if (seen.contains(type)) {
            return type;
        }
        if (seen.size() < MAX_TYPES_PER_PROVIDER) {
            seen.add(type);
            return type;
        }
        return "other";
    }
}
