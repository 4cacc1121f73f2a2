package callbridge.delivery;

import callbridge.calls.CallKey;
import callbridge.calls.Claims;
import callbridge.calls.NodeIdentity;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The store's record of delivering calls to Cekura: claims, attempts, outcomes. Every attempt is
 * counted in the store before it is made, so a crash never forgets one; the next due time lives in
 * the row, so a pending retry survives the JVM.
 */
@Component("deliveryLedger")
public class DeliveryLedger {
    public static final String CALL_KEY = "bridgeCallKey";
    public static final String ATTEMPT = "bridgeAttempt";
    public static final String WINDOW_ENDS = "bridgeWindowEnds";
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLedger.class);
    private static final int MAX_DETAIL = 500;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final CekuraProperties cekura;
    private final NodeIdentity node;
    private final MeterRegistry metrics;
    private final Timer endToAck;

    public DeliveryLedger(JdbcClient jdbc, TransactionTemplate transactions, Clock clock, CekuraProperties cekura,
            NodeIdentity node, MeterRegistry metrics) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.cekura = cekura;
        this.node = node;
        this.metrics = metrics;
        this.endToAck = Timer.builder("bridge.delivery.end.to.ack")
                .description("From the bridge's receipt of a call's end (or its idle close) to Cekura's 2xx")
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram()
                .register(metrics);
    }

    /** Claims calls whose next attempt is due, or whose sender's lease ran out; counts the attempt. */
    public List<CallKey> claimDue(int max) {
        return Claims.claim(jdbc, node, """
                (state = 'PENDING' AND due_at <= :now) OR (state = 'DELIVERING' AND claimed_until < :now)""",
                "state = 'DELIVERING', attempts = attempts + 1", cekura.sendLease(), max, clock.instant());
    }

    /** Makes the recorded payload the body to send; the attempt was counted when the call was claimed. */
    public void beginAttempt(Exchange exchange) throws Exception {
        CallKey key = exchange.getMessage().getMandatoryBody(CallKey.class);
        exchange.setProperty(CALL_KEY, key);
        record Row(String payload, int attempts, OffsetDateTime windowEndsAt) {
        }
        Row row = jdbc.sql("""
                SELECT payload, attempts, window_ends_at FROM bridge_call
                 WHERE provider = :provider AND call_id = :callId AND state = 'DELIVERING' AND claimed_by = :node""")
                .param("provider", key.provider()).param("callId", key.callId()).param("node", node.id())
                .query((rs, i) -> new Row(rs.getString(1), rs.getInt(2), rs.getObject(3, OffsetDateTime.class))).optional()
                .orElseThrow(() -> new IllegalStateException("call " + key + " is no longer claimed by this node"));
        exchange.setProperty(ATTEMPT, row.attempts());
        exchange.setProperty(WINDOW_ENDS, row.windowEndsAt().toInstant());
        exchange.getMessage().setBody(row.payload());
    }

    /** Cekura answered: 2xx delivers; anything else is scheduled again or given up. */
    public void answered(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status >= 200 && status < 300) {
            delivered(exchange, status);
        } else {
            String body = exchange.getMessage().getBody(String.class);
            failed(exchange, status, "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + truncate(body)),
                    status == 408 || status == 429 || status >= 500);
        }
    }

    /** Cekura could not be reached (refused, reset, timed out). */
    public void unreachable(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        failed(exchange, null, cause == null ? "unreachable" : truncate(cause.toString()), true);
    }

    private void delivered(Exchange exchange, int status) {
        CallKey key = exchange.getProperty(CALL_KEY, CallKey.class);
        int attempt = exchange.getProperty(ATTEMPT, Integer.class);
        OffsetDateTime now = now();
        transactions.executeWithoutResult(tx -> {
            jdbc.sql("""
                    UPDATE bridge_call SET state = 'DELIVERED', delivered_at = :now, last_status = :status,
                           last_error = NULL, claimed_by = NULL, claimed_until = NULL, claim_token = NULL
                     WHERE provider = :provider AND call_id = :callId""")
                    .param("now", now).param("status", status)
                    .param("provider", key.provider()).param("callId", key.callId()).update();
            attempt(key, attempt, status, "delivered", null);
        });
        metrics.counter("bridge.deliveries", "outcome", "delivered", "reason", "none").increment();
        // the window opened when the bridge received the call's end (or closed it idle)
        Instant endReceived = exchange.getProperty(WINDOW_ENDS, Instant.class).minus(cekura.deliveryWindow());
        endToAck.record(Duration.between(endReceived, now.toInstant()));
        LOG.info("call delivered provider={} callId={} attempt={} status={}", key.provider(), key.callId(), attempt, status);
    }

    private void failed(Exchange exchange, Integer status, String detail, boolean retryable) {
        CallKey key = exchange.getProperty(CALL_KEY, CallKey.class);
        int attempt = exchange.getProperty(ATTEMPT, Integer.class);
        Instant now = clock.instant();
        Instant windowEnds = jdbc.sql("SELECT window_ends_at FROM bridge_call WHERE provider = :p AND call_id = :c")
                .param("p", key.provider()).param("c", key.callId())
                .query(OffsetDateTime.class).single().toInstant();
        Instant next = now.plus(backoff(attempt));
        String reason = null;
        if (!retryable) {
            reason = "cekura-rejected";
        } else if (attempt >= cekura.retryMaxAttempts()) {
            reason = "max-attempts";
        } else if (next.isAfter(windowEnds)) {
            reason = "window-expired";
        }
        String outcome = reason == null ? "retry" : "dead-lettered";
        String finalReason = reason;
        transactions.executeWithoutResult(tx -> {
            attempt(key, attempt, status, outcome, detail);
            settleFailure(key, status, detail, finalReason, next);
        });
        if (reason == null) {
            metrics.counter("bridge.deliveries", "outcome", "retried", "reason", status == null ? "unreachable" : "http-" + status).increment();
            LOG.warn("call delivery failed provider={} callId={} attempt={} detail={} nextAttemptIn={}ms",
                    key.provider(), key.callId(), attempt, detail, Duration.between(now, next).toMillis());
        } else {
            metrics.counter("bridge.deliveries", "outcome", "dead-lettered", "reason", reason).increment();
            LOG.warn("call dead-lettered provider={} callId={} attempts={} reason={} detail={}",
                    key.provider(), key.callId(), attempt, reason, detail);
        }
    }

    private void settleFailure(CallKey key, Integer status, String detail, String reason, Instant next) {
        if (reason == null) {
            jdbc.sql("""
                    UPDATE bridge_call SET state = 'PENDING', due_at = :next, last_status = :status, last_error = :detail,
                           claimed_by = NULL, claimed_until = NULL, claim_token = NULL
                     WHERE provider = :provider AND call_id = :callId""")
                    .param("next", OffsetDateTime.ofInstant(next, ZoneOffset.UTC)).param("status", status)
                    .param("detail", detail).param("provider", key.provider()).param("callId", key.callId()).update();
        } else {
            jdbc.sql("""
                    UPDATE bridge_call SET state = 'DEAD_LETTERED', last_status = :status,
                           last_error = :detail, claimed_by = NULL, claimed_until = NULL, claim_token = NULL
                     WHERE provider = :provider AND call_id = :callId""")
                    .param("status", status).param("detail", reason + ": " + detail)
                    .param("provider", key.provider()).param("callId", key.callId()).update();
        }
    }

    /** Exponential from the initial delay, with ±15 % jitter so retries of many calls spread out. */
    Duration backoff(int attempt) {
        long base = cekura.retryInitialDelay().toMillis() << Math.min(attempt - 1, 20);
        double jitter = 0.85 + ThreadLocalRandom.current().nextDouble() * 0.30;
        return Duration.ofMillis((long) (base * jitter));
    }

    private void attempt(CallKey key, int attempt, Integer status, String outcome, String detail) {
        jdbc.sql("""
                INSERT INTO delivery_attempt (provider, call_id, attempt, attempted_at, status, outcome, detail)
                VALUES (:provider, :callId, :attempt, :at, :status, :outcome, :detail)""")
                .param("provider", key.provider()).param("callId", key.callId()).param("attempt", attempt)
                .param("at", now()).param("status", status).param("outcome", outcome).param("detail", detail)
                .update();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static String truncate(String text) {
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "…";
    }
}
