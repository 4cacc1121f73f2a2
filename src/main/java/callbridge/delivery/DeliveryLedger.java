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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * and a stale sender changes nothing. A retry waits in the store, not in memory: the call is {@code PENDING} again,
 * due at the retry's time, and {@code bridge-deliveries-due} claims it then, window first, with other due calls in one
 * POST; a restart meanwhile changes nothing.
 */
@Component("bridgeDeliveryLedger")
public class DeliveryLedger {
    /** The calls of the POST in progress: {@code List<CallAttempt>}, set by {@link #begin}. */
    public static final String SENDING = "bridgeSending";
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
    private final DistributionSummary callsPerPost;

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
        this.callsPerPost = DistributionSummary.builder("bridge.delivery.calls.per.post")
                .description("Calls in each POST Cekura accepted (more than one while a backlog stands, at most CEKURA_BATCH_MAX)")
                .register(metrics);
    }

    /**
     * Claims calls whose next attempt is due, or whose sender's lease ran out, the window closing first first, for at most
     * {@code posts} POSTs of up to {@code CEKURA_BATCH_MAX} calls; counts that attempt. A call Cekura refused as part of
     * a batch (400, 413) goes alone, so a bad call can only take itself down.
     */
    public List<DeliveryBatch> claimDue(int posts) {
        List<Claim> claimed = claims.claim("PENDING", "DELIVERING", "state = 'DELIVERING', attempts = attempts + 1",
                cekura.sendLease(), posts * cekura.batchMax(), Claims.Order.WINDOW_FIRST);
        if (claimed.isEmpty()) {
            return List.of();
        }
        Set<CallKey> alone = new HashSet<>(jdbc.sql("""
                SELECT provider, call_id FROM bridge_call
                 WHERE state = 'DELIVERING' AND claim_token = :token AND last_status IN (400, 413)""")
                .param("token", claimed.get(0).token())
                .query((rs, i) -> new CallKey(rs.getString(1), rs.getString(2))).list());
        List<DeliveryBatch> batches = new ArrayList<>();
        List<Claim> open = new ArrayList<>();
        for (Claim claim : claimed) {
            if (alone.contains(claim.key())) {
                batches.add(DeliveryBatch.of(claim));
                continue;
            }
            open.add(claim);
            if (open.size() == cekura.batchMax()) {
                batches.add(new DeliveryBatch(open));
                open.clear();
            }
        }
        if (!open.isEmpty()) {
            batches.add(new DeliveryBatch(open));
        }
        return batches;
    }

    /**
     * Takes the claimed calls for this attempt and makes their POST the body ({@link BatchBody}); {@link #SENDING}
     * names each call with its attempt number. A call that waited in the senders' queue (a backlog behind a slow Cekura
     * can outlast a lease) has its lease renewed first, in a statement that checks the claim is still this exchange's:
     * every attempt starts with (almost) a whole lease. A call taken over meanwhile is left out; a retry whose window
     * has closed becomes a dead letter {@code window-expired} (a call's first attempt is always made); a call that does
     * not fit the POST waits in the store for the next. {@link #STILL_CLAIMED} false when no call is left to send.
     */
    public void begin(Exchange exchange) {
        DeliveryBatch batch = DeliveryBatch.from(exchange.getMessage().getBody());
        record Row(String payload, int attempts, OffsetDateTime windowEndsAt, OffsetDateTime claimedUntil) {
        }
        List<CallAttempt> sending = new ArrayList<>();
        BatchBody body = new BatchBody();
        Instant now = clock.instant();
        for (Claim claim : batch.claims()) {
            var row = jdbc.sql("""
                    SELECT payload, attempts, window_ends_at, claimed_until FROM bridge_call
                     WHERE provider = :provider AND call_id = :callId AND state = 'DELIVERING' AND claim_token = :token""")
                    .param("provider", claim.provider()).param("callId", claim.callId()).param("token", claim.token())
                    .query((rs, i) -> new Row(rs.getString(1), rs.getInt(2), rs.getObject(3, OffsetDateTime.class),
                            rs.getObject(4, OffsetDateTime.class)))
                    .optional();
            if (row.isEmpty() || !leaseCoversTheAttempt(claim, row.get().claimedUntil())) {
                LOG.info("call {} was taken over by another sender; this one stands down", LogSafe.of(claim.key()));
                continue;
            }
            Instant windowEnds = row.get().windowEndsAt().toInstant();
            if (row.get().attempts() > 1 && now.isAfter(windowEnds)) {
                deadLettered(claim, "window-expired", null, row.get().attempts() - 1);   // this attempt is not made
                metrics.counter("bridge.deliveries", "outcome", "dead-lettered", "reason", "window-expired").increment();
                continue;
            }
            if (!body.add(row.get().payload())) {
                leaveDue(claim);
                continue;
            }
            sending.add(new CallAttempt(claim, row.get().attempts(), windowEnds));
        }
        exchange.setProperty(SENDING, List.copyOf(sending));
        exchange.setProperty(STILL_CLAIMED, !sending.isEmpty());
        exchange.getMessage().setBody(sending.isEmpty() ? null : body.json());
    }

    /** The calls of the attempt in progress ({@link #begin}); empty before it. */
    @SuppressWarnings("unchecked")
    public static List<CallAttempt> sending(Exchange exchange) {
        List<CallAttempt> sending = exchange.getProperty(SENDING, List.class);
        return sending == null ? List.of() : sending;
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

    /**
     * The senders' queue had no room (Cekura slow or away): the claimed calls wait in the store, due now, their attempt
     * not made, for {@code bridge-deliveries-due} to claim again, window first and batched, once there is room. Nothing
     * waits in memory and no one waits for the queue.
     */
    public void leaveDue(Exchange exchange) {
        DeliveryBatch.from(exchange.getMessage().getBody()).claims().forEach(this::leaveDue);
    }

    private void leaveDue(Claim claim) {
        jdbc.sql("""
                UPDATE bridge_call SET state = 'PENDING', attempts = attempts - 1, due_at = :now,
                       claimed_by = NULL, claimed_until = NULL, claim_token = NULL
                 WHERE provider = :provider AND call_id = :callId AND state = 'DELIVERING' AND claim_token = :token""")
                .param("now", now())
                .param("provider", claim.provider()).param("callId", claim.callId()).param("token", claim.token())
                .update();
    }

    /** Cekura answered 2xx: every call of the POST recorded, on disk, before anything else can send it again. */
    public void delivered(Exchange exchange) {
        List<CallAttempt> sent = sending(exchange);
        int status = status(exchange);
        OffsetDateTime now = now();
        transactions.executeWithoutResult(tx -> {
            for (CallAttempt call : sent) {
                Claim claim = call.claim();
                jdbc.sql("""
                        UPDATE bridge_call SET state = 'DELIVERED', delivered_at = :now, last_status = :status,
                               last_error = NULL, claimed_by = NULL, claimed_until = NULL, claim_token = NULL
                         WHERE provider = :provider AND call_id = :callId AND claim_token = :token""")
                        .param("now", now).param("status", status)
                        .param("provider", claim.provider()).param("callId", claim.callId()).param("token", claim.token())
                        .update();
                recordAttempt(claim.key(), call.attempt(), status, "delivered", null);
                jdbc.sql("""
                        UPDATE bridge_dead_letter SET status = 'resolved', resolved_at = :now
                         WHERE provider = :provider AND call_id = :callId AND status <> 'resolved'""")
                        .param("now", now).param("provider", claim.provider()).param("callId", claim.callId()).update();
            }
        });
        flush.awaitDurable(); // a crash now must not make the bridge send the calls again
        callsPerPost.record(sent.size());
        for (CallAttempt call : sent) {
            metrics.counter("bridge.deliveries", "outcome", "delivered", "reason", "none").increment();
            attemptsPerCall.record(call.attempt());
            // the window opened when the bridge received the call's end (or closed it idle)
            Instant endReceived = call.windowEnds().minus(cekura.deliveryWindow());
            Duration endToAckTime = Duration.between(endReceived, now.toInstant());
            endToAck.record(endToAckTime);
            LOG.info("call delivered provider={} callId={} attempt={} status={} endToAckMs={} batch={}",
                    LogSafe.of(call.claim().provider()), LogSafe.of(call.claim().callId()), call.attempt(), status,
                    endToAckTime.toMillis(), sent.size());
        }
    }

    private static int status(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
    }

    /**
     * The attempt failed in a way worth trying again: recorded, and the call waits in the store (no claim, nothing in
     * memory) until {@code retryAt}, when {@code bridge-deliveries-due} claims it again; a restart meanwhile changes
     * nothing.
     */
    public void retryLater(CallAttempt call, Integer status, String failure, Instant retryAt) {
        backToTheStore(call, status, failure, "retry-scheduled", retryAt);
    }

    /**
     * Cekura refused a batch as a whole (400 or 413: its validation rejects the whole POST for one bad call): each call
     * of it waits, due now, to be sent alone ({@link #claimDue}), so only a bad call itself becomes a dead letter.
     */
    public void sendAlone(List<CallAttempt> batch, Integer status, String failure) {
        for (CallAttempt call : batch) {
            backToTheStore(call, status, failure, "batch-refused", clock.instant());
        }
    }

    /** Records an attempt that failed for good (the call is dead-lettered next). */
    public void failedAttempt(CallAttempt call, Integer status, String failure) {
        recordAttempt(call.claim().key(), call.attempt(), status, "failed", failure);
    }

    private void backToTheStore(CallAttempt call, Integer status, String failure, String outcome, Instant dueAt) {
        Claim claim = call.claim();
        String detail = StoreFaults.withoutStoreDetail(failure);   // no SQL or driver text in the store or the admin
        transactions.executeWithoutResult(tx -> {
            recordAttempt(claim.key(), call.attempt(), status, outcome, detail);
            jdbc.sql("""
                    UPDATE bridge_call SET state = 'PENDING', last_status = :status, last_error = :detail, due_at = :dueAt,
                           claimed_by = NULL, claimed_until = NULL, claim_token = NULL
                     WHERE provider = :provider AND call_id = :callId AND state = 'DELIVERING' AND claim_token = :token""")
                    .param("status", status).param("detail", detail)
                    .param("dueAt", OffsetDateTime.ofInstant(dueAt, ZoneOffset.UTC))
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
