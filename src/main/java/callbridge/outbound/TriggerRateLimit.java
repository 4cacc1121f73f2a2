package callbridge.outbound;

import callbridge.ingest.TooManyRequestsException;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * {@code OUTBOUND_TRIGGER_RATE_LIMIT} triggers per second (burst the same), one Bucket4j token bucket per node.
 * It runs after the credential check, so requests with a wrong secret take nothing from the budget Cekura's
 * triggers need; over it: 429 with {@code Retry-After}, nothing stored or dialed, counted as
 * {@code bridge_outbound_triggers_total{outcome="rate_limited"}}.
 */
@Component("bridgeTriggerRateLimit")
public class TriggerRateLimit {
    private final Bucket bucket;
    private final int perSecond;
    private final Counter limited;

    public TriggerRateLimit(OutboundProperties outbound, MeterRegistry metrics) {
        this.perSecond = outbound.triggerRateLimit();
        this.bucket = perSecond <= 0 ? null
                : Bucket.builder().addLimit(limit -> limit.capacity(perSecond).refillGreedy(perSecond, Duration.ofSeconds(1))).build();
        this.limited = metrics.counter("bridge.outbound.triggers", "outcome", "rate_limited");
    }

    public void take(Exchange exchange) {
        if (bucket == null) {
            return;
        }
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            limited.increment();
            long seconds = (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L;
            throw new TooManyRequestsException("more than " + perSecond + " triggers per second (OUTBOUND_TRIGGER_RATE_LIMIT): "
                    + "nothing was stored or dialed, send it again after Retry-After", seconds);
        }
    }
}
