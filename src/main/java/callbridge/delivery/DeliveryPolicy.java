package callbridge.delivery;

import callbridge.BridgeConfiguration;
import callbridge.LogSafe;
import callbridge.claims.Claim;
import callbridge.http.HttpFailure;
import callbridge.http.HttpRetry;
import callbridge.store.StoreFaults;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The decisions behind the delivery route's error handler, one hook each:
 * {@link #failureOccurred} (classify, record, draw the next delay from the declared
 * {@code cekuraRedelivery} policy), {@link #retryAllowed} (retryWhile) and {@link #redelivering}
 * (count the attempt before it is made). What is retried is {@link HttpRetry}'s call (connection failures and
 * timeouts, 408, 429 after its Retry-After, 5xx), while attempts remain and the retry lands inside Cekura's window.
 */
@Component("bridgeDeliveryPolicy")
public class DeliveryPolicy {
    static final String RETRY = "bridgeRetry";
    static final String DEAD_REASON = "bridgeDeadReason";
    static final String LAST_STATUS = "bridgeLastStatus";
    static final String PREVIOUS_DELAY = "bridgePreviousDelay";
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

    private record Failure(Integer status, String detail, boolean retryable, Duration retryAfter, boolean attempted) {
    }

    /**
     * onExceptionOccurred: runs once per failed attempt, before the retry decision; the attempt's slot is freed, and the
     * in-flight bound hears whether Cekura was overloaded (429, 5xx, 408, no answer) or answered otherwise.
     */
    public void failureOccurred(Exchange exchange) {
        SendSlots.Outcome outcome = SendSlots.Outcome.UNKNOWN;
        try {
            outcome = recordFailure(exchange);
        } finally {
            sendSlots.give(exchange, outcome);
        }
    }

    private SendSlots.Outcome recordFailure(Exchange exchange) {
        Claim claim = exchange.getProperty(DeliveryLedger.CLAIM, Claim.class);
        int attempt = exchange.getProperty(DeliveryLedger.ATTEMPT, 1, Integer.class);
        Instant windowEnds = exchange.getProperty(DeliveryLedger.WINDOW_ENDS, Instant.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (StoreFaults.isPassing(cause)) {
            exchange.setProperty(RETRY, false); // our bookkeeping, not Cekura: see deadLettered
            return SendSlots.Outcome.UNKNOWN;
        }
        Failure failure = classify(cause);
        Instant now = clock.instant();
        if (failure.retryAfter() != null) {
            // Cekura said when to come back: the whole node waits, not only this call
            sendSlots.pauseUntil(now.plus(failure.retryAfter()));
        }

        String deadReason = null;
        Duration delay = null;
        if (!failure.retryable()) {
            deadReason = failure.detail();
        } else if (attempt >= cekura.retryMaxAttempts()) {
            deadReason = "max-attempts";
        } else {
            delay = failure.retryAfter() != null ? failure.retryAfter() : nextDelay(exchange, attempt);
            if (windowEnds != null && now.plus(delay).isAfter(windowEnds)) {
                deadReason = "window-expired";
                delay = null;
            }
        }

        exchange.setProperty(RETRY, deadReason == null);
        exchange.setProperty(DEAD_REASON, deadReason);
        exchange.setProperty(LAST_STATUS, failure.status());
        if (failure.attempted()) {
            ledger.failedAttempt(claim, attempt, failure.status(), failure.detail(), delay == null ? null : now.plus(delay));
        }
        if (delay != null) {
            // the delay drawn from the declared policy (or Retry-After) is the one Camel waits
            // (at least 1 ms: a zero delay would redeliver on the answering thread, which must never wait for a slot)
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, Math.max(1, delay.toMillis()));
            exchange.setProperty(PREVIOUS_DELAY, delay.toMillis());
            // the payload stays in the store while the retry waits (read again in redelivering): memory holds the
            // payloads of attempts in flight only, however many retries wait
            exchange.getMessage().setBody(null);
            metrics.counter("bridge.deliveries", "outcome", "retried", "reason", tag(failure)).increment();
            LOG.warn("call delivery failed provider={} callId={} attempt={} detail={} retryInMs={}",
                    LogSafe.of(claim.provider()), LogSafe.of(claim.callId()), attempt, LogSafe.of(failure.detail()), delay.toMillis());
        }
        if (!failure.attempted()) {
            return SendSlots.Outcome.UNKNOWN;
        }
        return failure.retryable() ? SendSlots.Outcome.OVERLOADED : SendSlots.Outcome.ANSWERED;
    }

    /** retryWhile: the decision {@link #failureOccurred} just made. */
    public boolean retryAllowed(Exchange exchange) {
        return exchange.getProperty(RETRY, false, Boolean.class);
    }

    /**
     * onRedelivery: the attempt takes a send slot (waiting, on the error handler's redelivery thread, for a free one and
     * for the end of a Retry-After pause), is counted in the store before it is made, and reads its payload again.
     */
    public void redelivering(Exchange exchange) throws InterruptedException {
        sendSlots.take(exchange);
        Claim claim = exchange.getProperty(DeliveryLedger.CLAIM, Claim.class);
        try {
            exchange.setProperty(DeliveryLedger.ATTEMPT, ledger.redelivering(claim));
            exchange.getMessage().setBody(ledger.payload(claim));
        } catch (RuntimeException notCounted) {
            sendSlots.give(exchange, SendSlots.Outcome.UNKNOWN);   // nothing is sent without its count
            throw notCounted;
        }
    }

    /** The dead-letter channel: the call joins the dead letters with its reason. */
    public void deadLettered(Exchange exchange) {
        Claim claim = exchange.getProperty(DeliveryLedger.CLAIM, Claim.class);
        if (claim == null) {
            LOG.error("dead letter without a claimed call: {}", LogSafe.of(exchange.getProperty(Exchange.EXCEPTION_CAUGHT)));
            return;
        }
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (StoreFaults.isPassing(cause)) {
            // the store failed around an attempt, not the call: its claim's lease runs out and bridge-deliveries-due resumes it
            LOG.warn("call delivery bookkeeping met a passing store fault provider={} callId={}: {}; resumed after the lease, not dead-lettered",
                    claim.provider(), claim.callId(), cause.toString());
            return;
        }
        String reason = exchange.getProperty(DEAD_REASON, String.class);
        if (reason == null) {
            reason = "failed: " + (cause == null ? "unknown" : HttpFailure.truncate(cause.toString()));
        }
        int attempt = exchange.getProperty(DeliveryLedger.ATTEMPT, 1, Integer.class);
        boolean attempted = !(exchange.getProperty(Exchange.EXCEPTION_CAUGHT) instanceof WindowExpiredException);
        ledger.deadLettered(claim, reason, exchange.getProperty(LAST_STATUS, Integer.class), attempted ? attempt : attempt - 1);
        metrics.counter("bridge.deliveries", "outcome", "dead-lettered", "reason", reasonTag(reason)).increment();
    }

    /** The next delay of the declared policy; a delivery resumed after a restart continues its schedule. */
    private Duration nextDelay(Exchange exchange, int attempt) {
        Long previous = exchange.getProperty(PREVIOUS_DELAY, Long.class);
        if (previous == null && attempt > 1) {
            previous = redelivery.getRedeliveryDelay() * (long) Math.pow(redelivery.getBackOffMultiplier(), attempt - 2);
        }
        return Duration.ofMillis(redelivery.calculateRedeliveryDelay(previous == null ? 0 : previous, attempt));
    }

    /** The shared classifier ({@link HttpRetry}); a closed window is no attempt at all. */
    private Failure classify(Exception cause) {
        if (cause instanceof WindowExpiredException) {
            return new Failure(null, "window-expired", false, null, false);
        }
        HttpRetry retry = HttpRetry.of(cause);
        return new Failure(retry.status(), retry.detail(), retry.retryable(), retry.retryAfter(), true);
    }

    private static String tag(Failure failure) {
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
