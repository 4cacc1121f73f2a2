package callbridge.delivery;

import callbridge.BridgeConfiguration;
import callbridge.LogSafe;
import callbridge.http.HttpRetry;
import callbridge.store.StoreFaults;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * What becomes of the calls of a failed POST (the sending route's dead-letter channel). What is retried is
 * {@link HttpRetry}'s call (connection failures and timeouts, 408, 429, 5xx), for each call while it has attempts left
 * and its next attempt lands inside its window: it waits in the store until then ({@link DeliveryLedger#retryLater}),
 * the delay drawn from the declared {@code bridgeCekuraRedelivery} policy or Cekura's {@code Retry-After} (which also
 * pauses the whole node). A batch Cekura refused as a whole (400, 413) is split: each call is sent alone. Anything else
 * is a dead letter with its reason.
 */
@Component("bridgeDeliveryPolicy")
public class DeliveryPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryPolicy.class);

    private final RedeliveryPolicy redelivery;
    private final DeliveryLedger ledger;
    private final SendSlots sendSlots;
    private final CekuraProperties cekura;
    private final Clock clock;
    private final MeterRegistry metrics;

    public DeliveryPolicy(@Qualifier("bridgeCekuraRedelivery") RedeliveryPolicy redelivery, DeliveryLedger ledger,
            SendSlots sendSlots, CekuraProperties cekura, @Qualifier(BridgeConfiguration.CLOCK) Clock clock, MeterRegistry metrics) {
        this.redelivery = redelivery;
        this.ledger = ledger;
        this.sendSlots = sendSlots;
        this.cekura = cekura;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * The dead-letter channel of the sending route: runs once per failed POST. Its send slot is freed first, and the
     * in-flight bound hears whether Cekura was overloaded (429, 5xx, 408, no answer) or answered otherwise.
     */
    public void failed(Exchange exchange) {
        SendSlots.Outcome outcome = SendSlots.Outcome.UNKNOWN;
        try {
            outcome = decide(exchange);
        } finally {
            sendSlots.give(exchange, outcome);
        }
    }

    private SendSlots.Outcome decide(Exchange exchange) {
        List<CallAttempt> batch = DeliveryLedger.sending(exchange);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (batch.isEmpty() || StoreFaults.isPassing(cause)) {
            // the store failed around an attempt, not the calls: their claims' leases run out and bridge-deliveries-due
            // resumes them; nothing is dead-lettered for it
            LOG.warn("call delivery bookkeeping failed ({} call(s)): {}; resumed after the lease, not dead-lettered",
                    batch.size(), LogSafe.of(cause));
            return SendSlots.Outcome.UNKNOWN;
        }
        HttpRetry failure = HttpRetry.of(cause);
        Instant now = clock.instant();
        if (failure.retryAfter() != null) {
            // Cekura said when to come back: the whole node waits, not only these calls
            sendSlots.pauseUntil(now.plus(failure.retryAfter()));
        }
        if (batch.size() > 1 && refusesTheBatch(failure.status())) {
            ledger.sendAlone(batch, failure.status(), failure.detail());
            metrics.counter("bridge.deliveries.batches.split").increment();
            LOG.warn("Cekura refused a batch of {} calls ({}): each is sent alone", batch.size(), LogSafe.of(failure.detail()));
            return SendSlots.Outcome.ANSWERED;
        }
        for (CallAttempt call : batch) {
            decide(call, failure, now);
        }
        return failure.retryable() ? SendSlots.Outcome.OVERLOADED : SendSlots.Outcome.ANSWERED;
    }

    private void decide(CallAttempt call, HttpRetry failure, Instant now) {
        String deadReason = null;
        Duration delay = null;
        if (!failure.retryable()) {
            deadReason = failure.detail();
        } else if (call.attempt() >= cekura.retryMaxAttempts()) {
            deadReason = "max-attempts";
        } else {
            delay = failure.retryAfter() != null ? failure.retryAfter() : nextDelay(call.attempt());
            if (now.plus(delay).isAfter(call.windowEnds())) {
                deadReason = "window-expired";
            }
        }
        if (deadReason == null) {
            ledger.retryLater(call, failure.status(), failure.detail(), now.plus(delay));
            metrics.counter("bridge.deliveries", "outcome", "retried", "reason", tag(failure)).increment();
            LOG.warn("call delivery failed provider={} callId={} attempt={} detail={} retryInMs={}",
                    LogSafe.of(call.claim().provider()), LogSafe.of(call.claim().callId()), call.attempt(),
                    LogSafe.of(failure.detail()), delay.toMillis());
            return;
        }
        ledger.failedAttempt(call, failure.status(), failure.detail());
        ledger.deadLettered(call.claim(), deadReason, failure.status(), call.attempt());
        metrics.counter("bridge.deliveries", "outcome", "dead-lettered", "reason", reasonTag(deadReason)).increment();
    }

    /** Cekura's validation rejects a whole POST for one bad call (400), or the POST was too large for it (413). */
    private static boolean refusesTheBatch(Integer status) {
        return status != null && (status == 400 || status == 413);
    }

    /**
     * The delay after the {@code attempt}-th attempt failed, as the declared policy computes it: exponential from
     * {@code CEKURA_RETRY_INITIAL_DELAY}, with its jitter, never longer than the window.
     */
    private Duration nextDelay(int attempt) {
        long previous = attempt > 1
                ? redelivery.getRedeliveryDelay() * (long) Math.pow(redelivery.getBackOffMultiplier(), attempt - 2)
                : 0;
        return Duration.ofMillis(redelivery.calculateRedeliveryDelay(previous, attempt));
    }

    private static String tag(HttpRetry failure) {
        return failure.status() == null ? "unreachable" : "http-" + failure.status();
    }

    private static String reasonTag(String reason) {
        if (reason.startsWith("HTTP ")) {
            return "http-" + reason.substring(5, Math.min(8, reason.length()));
        }
        int colon = reason.indexOf(':');
        return colon > 0 ? reason.substring(0, colon) : reason;
    }
}
