package callbridge.delivery;

import callbridge.BridgeConfiguration;
import callbridge.LogSafe;
import callbridge.claims.CallKey;
import callbridge.claims.Claim;
import callbridge.claims.Claims;
import callbridge.store.BridgeStore;
import callbridge.store.StoreFaults;
import callbridge.store.StoreFlush;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The store's record of delivering calls to Cekura. Every attempt is counted in the store before
 * it is made and every outcome is written under the call's claim token, so a crash forgets nothing
 * and a stale sender changes nothing. A pending retry's due time and lease live in the row: if the
 * JVM dies while it waits, the lease runs out and the {@code bridge-deliveries-due} poller resumes it.
 */
@Component("bridgeDeliveryLedger")
public class DeliveryLedger {
    public static final String CLAIM = "bridgeClaim";
    public static final String ATTEMPT = "bridgeAttempt";
    public static final String WINDOW_ENDS = "bridgeWindowEnds";
    public static final String STILL_CLAIMED = "bridgeStillClaimed";
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLedger.class);
    /** How much of a lease a call may spend waiting for its sender before the sender renews it. */
    private static final Duration QUEUE_WAIT_ALLOWED = Duration.ofSeconds(1);

    private final JdbcClient jdbc;
    private final StoreFlush flush;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final CekuraProperties cekura;
    private final Claims claims;
    private final MeterRegistry metrics;
    private final Timer endToAck;
    private final DistributionSummary attemptsPerCall;

    public DeliveryLedger(BridgeStore bridgeStore, StoreFlush flush, @Qualifier(BridgeConfiguration.CLOCK) Clock clock, CekuraProperties cekura,
            Claims claims, MeterRegistry metrics) {
        this.jdbc = bridgeStore.jdbc();
        this.flush = flush;
        this.transactions = bridgeStore.transactions();
        this.clock = clock;
        this.cekura = cekura;
        this.claims = claims;
        this.metrics = metrics;
        this.endToAck = Timer.builder("bridge.delivery.end.to.ack")
                .description("From the bridge's receipt of a call's end (or its idle close) to Cekura's 2xx")
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram()
                .register(metrics);
        this.attemptsPerCall = DistributionSummary.builder("bridge.delivery.attempts")
                .description("Attempts a call took until it was delivered or dead-lettered")
                .register(metrics);
    }

    /**
     * Claims calls whose next attempt is due, or whose sender's lease ran out, the window closing first first; counts
     * that attempt.
     */
    public List<Claim> claimDue(int max) {
        return claims.claim("PENDING", "DELIVERING", "state = 'DELIVERING', attempts = attempts + 1", cekura.sendLease(), max,
                Claims.Order.WINDOW_FIRST);
    }

    /**
     * Takes the claimed call for this attempt and makes the recorded payload the body to send. A call that waited in
     * the senders' queue (a backlog behind a slow Cekura can outlast a lease) has its lease renewed first, in a
     * statement that checks the claim is still this exchange's: every attempt starts with (almost) a whole lease, so no
     * other sender can claim the call while it is being sent. {@link #STILL_CLAIMED} false when the claim is no longer
     * this exchange's (taken over after its lease ran out): the exchange then sends nothing.
     */
    public void begin(Exchange exchange) throws Exception {
        Claim claim = exchange.getMessage().getMandatoryBody(Claim.class);
        exchange.setProperty(CLAIM, claim);
        record Row(String payload, int attempts, OffsetDateTime windowEndsAt, OffsetDateTime claimedUntil) {
        }
        var row = jdbc.sql("""
                SELECT payload, attempts, window_ends_at, claimed_until FROM bridge_call
                 WHERE provider = :provider AND call_id = :callId AND state = 'DELIVERING' AND claim_token = :token""")
                .param("provider", claim.provider()).param("callId", claim.callId()).param("token", claim.token())
                .query((rs, i) -> new Row(rs.getString(1), rs.getInt(2), rs.getObject(3, OffsetDateTime.class),
                        rs.getObject(4, OffsetDateTime.class)))
                .optional();
        if (row.isEmpty() || !leaseCoversTheAttempt(claim, row.get().claimedUntil())) {
            LOG.info("call {} was taken over by another sender; this one stands down", LogSafe.of(claim.key()));
            exchange.setProperty(STILL_CLAIMED, false);
            return;
        }
        exchange.setProperty(STILL_CLAIMED, true);
        exchange.setProperty(ATTEMPT, row.get().attempts());
        exchange.setProperty(WINDOW_ENDS, row.get().windowEndsAt().toInstant());
        exchange.getMessage().setBody(row.get().payload());
        // the first attempt is always made; a later one (resumed after a crash) only inside the window
        if (row.get().attempts() > 1 && clock.instant().isAfter(row.get().windowEndsAt().toInstant())) {
            throw new WindowExpiredException();
        }
    }

    /**
     * True when the lease has a whole attempt left (less than {@link #QUEUE_WAIT_ALLOWED} of it gone), or was renewed
     * now under this claim's token; false when the claim was taken over meanwhile.
     */
    private boolean leaseCoversTheAttempt(Claim claim, OffsetDateTime claimedUntil) {
        OffsetDateTime now = now();
        OffsetDateTime fullLease = now.plus(cekura.sendLease());
        if (claimedUntil != null && claimedUntil.isAfter(fullLease.minus(QUEUE_WAIT_ALLOWED))) {
            return true;   // the usual case: taken from the queue at once
        }
        return jdbc.sql("""
                UPDATE bridge_call SET claimed_until = :until
                 WHERE provider = :provider AND call_id = :callId AND state = 'DELIVERING' AND claim_token = :token""")
                .param("until", fullLease)
                .param("provider", claim.provider()).param("callId", claim.callId()).param("token", claim.token())
                .update() == 1;
    }

    /** Counts a redelivery in the store before it is made; returns its attempt number. */
    public int redelivering(Claim claim) {
        OffsetDateTime now = now();
        int updated = jdbc.sql("""
                UPDATE bridge_call SET attempts = attempts + 1, claimed_until = :until
                 WHERE provider = :provider AND call_id = :callId AND state = 'DELIVERING' AND claim_token = :token""")
                .param("until", now.plus(cekura.sendLease()))
                .param("provider", claim.provider()).param("callId", claim.callId()).param("token", claim.token())
                .update();
        if (updated != 1) {
            throw new IllegalStateException("call " + claim.key() + " is no longer claimed by this sender");
        }
        flush.awaitDurable(); // counted before it is made, also across a crash
        return jdbc.sql("SELECT attempts FROM bridge_call WHERE provider = :provider AND call_id = :callId")
                .param("provider", claim.provider()).param("callId", claim.callId()).query(Integer.class).single();
    }

    /** The recorded payload of a call this claim still holds (a retry reads it again: a waiting retry holds none). */
    public String payload(Claim claim) {
        return jdbc.sql("""
                SELECT payload FROM bridge_call
                 WHERE provider = :provider AND call_id = :callId AND state = 'DELIVERING' AND claim_token = :token""")
                .param("provider", claim.provider()).param("callId", claim.callId()).param("token", claim.token())
                .query(String.class).optional()
                .orElseThrow(() -> new IllegalStateException("call " + claim.key() + " is no longer claimed by this sender"));
    }

    /** Cekura answered 2xx: recorded, on disk, before anything else can send the call again. */
    public void delivered(Exchange exchange) {
        Claim claim = exchange.getProperty(CLAIM, Claim.class);
        int attempt = exchange.getProperty(ATTEMPT, Integer.class);
        int status = status(exchange);
        OffsetDateTime now = now();
        transactions.executeWithoutResult(tx -> {
            jdbc.sql("""
                    UPDATE bridge_call SET state = 'DELIVERED', delivered_at = :now, last_status = :status,
                           last_error = NULL, claimed_by = NULL, claimed_until = NULL, claim_token = NULL
                     WHERE provider = :provider AND call_id = :callId AND claim_token = :token""")
                    .param("now", now).param("status", status)
                    .param("provider", claim.provider()).param("callId", claim.callId()).param("token", claim.token())
                    .update();
            recordAttempt(claim.key(), attempt, status, "delivered", null);
            jdbc.sql("""
                    UPDATE bridge_dead_letter SET status = 'resolved', resolved_at = :now
                     WHERE provider = :provider AND call_id = :callId AND status <> 'resolved'""")
                    .param("now", now).param("provider", claim.provider()).param("callId", claim.callId()).update();
        });
        flush.awaitDurable(); // a crash now must not make the bridge send the call again
        metrics.counter("bridge.deliveries", "outcome", "delivered", "reason", "none").increment();
        attemptsPerCall.record(attempt);
        // the window opened when the bridge received the call's end (or closed it idle)
        Instant endReceived = exchange.getProperty(WINDOW_ENDS, Instant.class).minus(cekura.deliveryWindow());
        Duration endToAckTime = Duration.between(endReceived, now.toInstant());
        endToAck.record(endToAckTime);
        LOG.info("call delivered provider={} callId={} attempt={} status={} endToAckMs={}",
                LogSafe.of(claim.provider()), LogSafe.of(claim.callId()), attempt, status, endToAckTime.toMillis());
    }

    private static int status(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
    }

    /** Records a failed attempt; with {@code retryAt}, the call stays claimed until then (plus a lease). */
    public void failedAttempt(Claim claim, int attempt, Integer status, String failure, Instant retryAt) {
        String detail = StoreFaults.withoutStoreDetail(failure);   // no SQL or driver text in the store or the admin
        transactions.executeWithoutResult(tx -> {
            recordAttempt(claim.key(), attempt, status, retryAt == null ? "failed" : "retry-scheduled", detail);
            jdbc.sql("""
                    UPDATE bridge_call SET last_status = :status, last_error = :detail,
                           due_at = COALESCE(:retryAt, due_at), claimed_until = COALESCE(:until, claimed_until)
                     WHERE provider = :provider AND call_id = :callId AND claim_token = :token""")
                    .param("status", status).param("detail", detail)
                    .param("retryAt", retryAt == null ? null : OffsetDateTime.ofInstant(retryAt, ZoneOffset.UTC))
                    .param("until", retryAt == null ? null : OffsetDateTime.ofInstant(retryAt, ZoneOffset.UTC).plus(cekura.sendLease()))
                    .param("provider", claim.provider()).param("callId", claim.callId()).param("token", claim.token())
                    .update();
        });
        flush.awaitDurable();
    }

    /**
     * Gives up on the call: it joins (or rejoins) the dead letters. The reason kept and shown names a store or driver
     * failure by its class only ({@link StoreFaults#withoutStoreDetail}); the full text goes to the log.
     */
    public void deadLettered(Claim claim, String failure, Integer lastStatus, int attempts) {
        String reason = StoreFaults.withoutStoreDetail(failure);
        OffsetDateTime now = now();
        transactions.executeWithoutResult(tx -> {
            int updated = jdbc.sql("""
                    UPDATE bridge_call SET state = 'DEAD_LETTERED', last_status = :status, last_error = :reason,
                           claimed_by = NULL, claimed_until = NULL, claim_token = NULL
                     WHERE provider = :provider AND call_id = :callId AND claim_token = :token""")
                    .param("status", lastStatus).param("reason", reason)
                    .param("provider", claim.provider()).param("callId", claim.callId()).param("token", claim.token())
                    .update();
            if (updated == 0) {
                return; // taken over meanwhile: the new holder decides
            }
            int letters = jdbc.sql("""
                    UPDATE bridge_dead_letter SET status = 'waiting', reason = :reason, attempts = :attempts,
                           last_status = :status, dead_at = :now, replayed_at = NULL, resolved_at = NULL
                     WHERE provider = :provider AND call_id = :callId""")
                    .param("reason", reason).param("attempts", attempts).param("status", lastStatus).param("now", now)
                    .param("provider", claim.provider()).param("callId", claim.callId()).update();
            if (letters == 0) {
                jdbc.sql("""
                        INSERT INTO bridge_dead_letter (provider, call_id, status, reason, attempts, last_status, dead_at)
                        VALUES (:provider, :callId, 'waiting', :reason, :attempts, :status, :now)""")
                        .param("provider", claim.provider()).param("callId", claim.callId())
                        .param("reason", reason).param("attempts", attempts).param("status", lastStatus).param("now", now)
                        .update();
            }
        });
        flush.awaitDurable();
        attemptsPerCall.record(attempts);
        LOG.warn("call dead-lettered provider={} callId={} attempts={} reason={}{}",
                LogSafe.of(claim.provider()), LogSafe.of(claim.callId()), attempts, LogSafe.of(reason),
                reason.equals(failure) ? "" : " detail=" + LogSafe.of(failure));
    }

    private void recordAttempt(CallKey key, int attempt, Integer status, String outcome, String failure) {
        String detail = StoreFaults.withoutStoreDetail(failure);
        jdbc.sql("""
                INSERT INTO bridge_delivery_attempt (provider, call_id, attempt, attempted_at, status, outcome, detail)
                VALUES (:provider, :callId, :attempt, :at, :status, :outcome, :detail)""")
                .param("provider", key.provider()).param("callId", key.callId()).param("attempt", attempt)
                .param("at", now()).param("status", status).param("outcome", outcome).param("detail", detail)
                .update();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
