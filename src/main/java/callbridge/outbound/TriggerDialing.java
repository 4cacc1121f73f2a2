package callbridge.outbound;

import callbridge.BridgeConfiguration;
import callbridge.BridgeJson;
import callbridge.store.BridgeStore;

import callbridge.LogSafe;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import callbridge.claims.NodeIdentity;
import callbridge.http.HttpRetry;
import callbridge.store.StoreFlush;
import org.apache.camel.Exchange;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Dialing stored triggers through a voice platform's API (the dial route {@code direct:bridge-dial-<provider>}, a route
 * file), and the decisions behind the dial route's error handler: what {@link HttpRetry} calls retryable
 * (connection errors and timeouts, 408, 429 after its Retry-After, 5xx) is retried while the dial window is open
 * (no attempt after it closes: expired); any other answer is failed with the platform's answer. Every write names
 * the claim token, so one trigger is never dialed by two senders.
 * <p>
 * What a dial route gets: the exchange properties {@link #TRIGGER_ID}, {@link #FROM}, {@link #TO} and
 * {@link #VARIABLES} (a map, never null); what it gives back: the platform's call id in {@link #CALL_ID}.
 */
@Component("bridgeTriggerDialing")
public class TriggerDialing {
    public static final String STILL_CLAIMED = "bridgeTriggerClaimed";
    public static final String TRIGGER_ID = "bridgeTriggerId";
    public static final String FROM = "bridgeFromNumber";
    public static final String TO = "bridgeToNumber";
    public static final String VARIABLES = "bridgeDynamicVariables";
    /** Set by the dial route: the platform's id of the call it placed. */
    public static final String CALL_ID = "bridgeDialCallId";
    static final String TRIGGER = TRIGGER_ID;
    static final String TOKEN = "bridgeTriggerToken";
    static final String RETRY = "bridgeTriggerRetry";
    static final String GIVE_UP = "bridgeTriggerGiveUp";
    static final String PREVIOUS_DELAY = "bridgeTriggerPreviousDelay";
    private static final Logger LOG = LoggerFactory.getLogger(TriggerDialing.class);

    public record ClaimedTrigger(String id, String token) {
    }

    private final JdbcClient jdbc;
    private final StoreFlush flush;
    private final ObjectMapper json;
    private final Clock clock;
    private final OutboundProperties outbound;
    private final NodeIdentity node;
    private final RedeliveryPolicy redelivery;
    private final MeterRegistry metrics;
    private final FirstDialWait firstDial;
    private final Timer toFirstAttempt;
    private final Timer toDialed;

    public TriggerDialing(BridgeStore bridgeStore, StoreFlush flush, BridgeJson json, @Qualifier(BridgeConfiguration.CLOCK) Clock clock, OutboundProperties outbound, NodeIdentity node,
            @Qualifier("bridgeOutboundRedelivery") RedeliveryPolicy redelivery, MeterRegistry metrics, FirstDialWait firstDial) {
        this.jdbc = bridgeStore.jdbc();
        this.flush = flush;
        this.json = json.mapper();
        this.clock = clock;
        this.outbound = outbound;
        this.node = node;
        this.redelivery = redelivery;
        this.metrics = metrics;
        this.firstDial = firstDial;
        this.toFirstAttempt = Timer.builder("bridge.outbound.receipt.to.first.attempt")
                .description("Trigger received → first dial attempt").publishPercentiles(0.5, 0.99).register(metrics);
        this.toDialed = Timer.builder("bridge.outbound.receipt.to.dialed")
                .description("Trigger received → provider accepted the dial").publishPercentiles(0.5, 0.99).register(metrics);
    }

    /**
     * Claims triggers due for dialing (new ones, and those whose sender's lease ran out). Candidates
     * come through the {@code (status, due_at)} index; each is then taken by id with the condition
     * checked again, so a trigger another node took meanwhile stays its.
     */
    public List<ClaimedTrigger> claimDue(int max) {
        OffsetDateTime now = now();
        List<String> candidates = new java.util.ArrayList<>(jdbc.sql(
                        "SELECT id FROM bridge_outbound_trigger WHERE status = 'received' AND due_at <= :now ORDER BY due_at LIMIT :max")
                .param("now", now).param("max", max).query(String.class).list());
        if (candidates.size() < max) {
            candidates.addAll(jdbc.sql(
                            "SELECT id FROM bridge_outbound_trigger WHERE status = 'dialing' AND claimed_until < :now LIMIT :max")
                    .param("now", now).param("max", max - candidates.size()).query(String.class).list());
        }
        String token = UUID.randomUUID().toString();
        List<ClaimedTrigger> claimed = new java.util.ArrayList<>();
        for (String id : candidates) {
            int taken = jdbc.sql("""
                    UPDATE bridge_outbound_trigger SET status = 'dialing', claimed_by = :node, claimed_until = :until, claim_token = :token
                     WHERE id = :id AND ((status = 'received' AND due_at <= :now) OR (status = 'dialing' AND claimed_until < :now))""")
                    .param("node", node.id()).param("until", now.plus(outbound.dialLease())).param("token", token)
                    .param("id", id).param("now", now).update();
            if (taken == 1) {
                claimed.add(new ClaimedTrigger(id, token));
            }
        }
        return claimed;
    }

    /** Counts the attempt and gives the dial route the trigger's facts; a closed window expires the trigger instead. */
    public void begin(Exchange exchange) throws Exception {
        ClaimedTrigger claim = exchange.getMessage().getMandatoryBody(ClaimedTrigger.class);
        exchange.setProperty(TRIGGER, claim.id());
        exchange.setProperty(TOKEN, claim.token());
        record Row(String from, String to, String variables, Instant receivedAt, Instant deadline, Instant firstAttempt) {
        }
        var row = jdbc.sql("""
                SELECT from_number, to_number, dynamic_variables, received_at, dial_deadline, first_attempt_at
                  FROM bridge_outbound_trigger WHERE id = :id AND status = 'dialing' AND claim_token = :token""")
                .param("id", claim.id()).param("token", claim.token())
                .query((rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs.getObject(4, OffsetDateTime.class)),
                        instant(rs.getObject(5, OffsetDateTime.class)), instant(rs.getObject(6, OffsetDateTime.class))))
                .optional();
        exchange.setProperty(STILL_CLAIMED, row.isPresent());
        if (row.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        if (!now.isBefore(row.get().deadline())) {
            settle(claim.id(), claim.token(), "expired", null, "dial window closed before an attempt could be made");
            exchange.setProperty(STILL_CLAIMED, false);
            return;
        }
        countAttempt(claim.id(), claim.token());
        if (row.get().firstAttempt() == null) {
            toFirstAttempt.record(Duration.between(row.get().receivedAt(), now));
        }
        exchange.setProperty("bridgeTriggerReceivedAt", row.get().receivedAt());
        exchange.setProperty("bridgeTriggerDeadline", row.get().deadline());
        exchange.setProperty(FROM, row.get().from());
        exchange.setProperty(TO, row.get().to());
        exchange.setProperty(VARIABLES, row.get().variables() == null ? new LinkedHashMap<>()
                : json.readValue(row.get().variables(), LinkedHashMap.class));
        exchange.getMessage().setBody(null);
    }

    /** The platform accepted the dial: keep its call id (what the dial route put in {@link #CALL_ID}). */
    public void dialed(Exchange exchange) {
        String id = exchange.getProperty(TRIGGER, String.class);
        String providerCallId = exchange.getProperty(CALL_ID, String.class);
        if (providerCallId != null && providerCallId.isBlank()) {
            providerCallId = null;
        }
        if (providerCallId == null) {
            LOG.info("dial API answer for trigger {} carries no call id", id);
        }
        Instant now = clock.instant();
        jdbc.sql("""
                UPDATE bridge_outbound_trigger SET status = 'dialed', dialed_at = :now, provider_call_id = :callId,
                       dial_provider = :dialProvider,
                       last_status = :status, last_error = NULL, claimed_by = NULL, claimed_until = NULL, claim_token = NULL
                 WHERE id = :id AND claim_token = :token""")
                .param("now", at(now)).param("callId", providerCallId)
                .param("dialProvider", outbound.effectiveProvider())   // the route that placed it: its webhooks carry the call
                .param("status", exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class))
                .param("id", id).param("token", exchange.getProperty(TOKEN, String.class)).update();
        flush.awaitDurable();
        firstDial.dialed(id, providerCallId);
        toDialed.record(Duration.between(exchange.getProperty("bridgeTriggerReceivedAt", Instant.class), now));
        metrics.counter("bridge.outbound.triggers", "outcome", "dialed").increment();
        LOG.info("trigger dialed id={} providerCallId={}", id, LogSafe.of(providerCallId));
    }

    /** onExceptionOccurred: classify, record, and draw the next delay when a retry still lands in the window. */
    public void failureOccurred(Exchange exchange) {
        String id = exchange.getProperty(TRIGGER, String.class);
        Instant deadline = exchange.getProperty("bridgeTriggerDeadline", Instant.class);
        HttpRetry failure = HttpRetry.of(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        Instant now = clock.instant();
        String giveUp = null;
        Duration delay = null;
        if (!failure.retryable()) {
            giveUp = "failed";
        } else {
            Long previous = exchange.getProperty(PREVIOUS_DELAY, Long.class);
            delay = failure.retryAfter() != null ? failure.retryAfter()
                    : Duration.ofMillis(redelivery.calculateRedeliveryDelay(previous == null ? 0 : previous, 1));
            if (deadline == null || !now.plus(delay).isBefore(deadline)) {
                giveUp = "expired";
                delay = null;
            }
        }
        exchange.setProperty(RETRY, giveUp == null);
        exchange.setProperty(GIVE_UP, giveUp);
        exchange.setProperty("bridgeTriggerLastStatus", failure.status());
        exchange.setProperty("bridgeTriggerDetail", failure.detail());
        jdbc.sql("""
                UPDATE bridge_outbound_trigger SET last_status = :status, last_error = :detail,
                       claimed_until = COALESCE(:until, claimed_until), due_at = COALESCE(:retryAt, due_at)
                 WHERE id = :id AND claim_token = :token""")
                .param("status", failure.status()).param("detail", failure.detail())
                .param("until", delay == null ? null : at(now.plus(delay).plus(outbound.dialLease())))
                .param("retryAt", delay == null ? null : at(now.plus(delay)))
                .param("id", id).param("token", exchange.getProperty(TOKEN, String.class)).update();
        if (delay != null) {
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, delay.toMillis());
            if (failure.retryAfter() == null) {
                exchange.setProperty(PREVIOUS_DELAY, delay.toMillis());
            }
            LOG.warn("trigger dial failed id={} detail={} retryInMs={}", id, LogSafe.of(failure.detail()), delay.toMillis());
        }
    }

    public boolean retryAllowed(Exchange exchange) {
        return exchange.getProperty(RETRY, false, Boolean.class);
    }

    /** onRedelivery: the attempt is counted before it is made. */
    public void redelivering(Exchange exchange) {
        countAttempt(exchange.getProperty(TRIGGER, String.class), exchange.getProperty(TOKEN, String.class));
    }

    /** The dead-letter channel of the dial route: failed (provider refused) or expired (window closed). */
    public void givenUp(Exchange exchange) {
        String outcome = exchange.getProperty(GIVE_UP, "failed", String.class);
        String detail = exchange.getProperty("bridgeTriggerDetail", String.class);
        if (detail == null) {
            Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            detail = cause == null ? "failed" : cause.toString();
        }
        settle(exchange.getProperty(TRIGGER, String.class), exchange.getProperty(TOKEN, String.class), outcome,
                exchange.getProperty("bridgeTriggerLastStatus", Integer.class), detail);
    }

    /** No OUTBOUND_DIAL_URL: the trigger cannot be dialed; say so where ops look. */
    public void notConfigured(Exchange exchange) throws Exception {
        ClaimedTrigger claim = exchange.getMessage().getMandatoryBody(ClaimedTrigger.class);
        settle(claim.id(), claim.token(), "failed", null, "no dial configured: set OUTBOUND_PROVIDER (or OUTBOUND_DIAL_URL)");
    }

    private void settle(String id, String token, String outcome, Integer status, String detail) {
        jdbc.sql("""
                UPDATE bridge_outbound_trigger SET status = :outcome, last_status = COALESCE(:status, last_status),
                       last_error = :detail, claimed_by = NULL, claimed_until = NULL, claim_token = NULL
                 WHERE id = :id AND claim_token = :token""")
                .param("outcome", outcome).param("status", status).param("detail", detail)
                .param("id", id).param("token", token).update();
        flush.awaitDurable();
        firstDial.givenUp(id);
        metrics.counter("bridge.outbound.triggers", "outcome", outcome).increment();
        LOG.warn("trigger {} id={} detail={}", outcome, id, LogSafe.of(detail));
    }

    private void countAttempt(String id, String token) {
        OffsetDateTime now = now();
        jdbc.sql("""
                UPDATE bridge_outbound_trigger SET attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, :now),
                       claimed_until = :until
                 WHERE id = :id AND claim_token = :token""")
                .param("now", now).param("until", now.plus(outbound.dialLease())).param("id", id).param("token", token).update();
        flush.awaitDurable(); // counted before it is made, also across a crash
    }

    private OffsetDateTime now() {
        return at(clock.instant());
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
