package callbridge.calls;

import callbridge.BridgeConfiguration;
import callbridge.BridgeJson;
import callbridge.claims.CallKey;
import callbridge.claims.Claim;
import callbridge.claims.Claims;
import callbridge.store.BridgeStore;
import callbridge.store.StoreFaults;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Call rows: which calls are due to close, claiming them under a lease so that one node (and one
 * thread) completes each, and reading a call with its events. A claim is a conditional UPDATE, so
 * two claimers of one row cannot both win, on one node or several.
 */
@Component("bridgeCallStore")
public class CallStore {
    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final CallsProperties properties;
    private final Claims claims;

    public CallStore(BridgeStore bridgeStore, BridgeJson json, @Qualifier(BridgeConfiguration.CLOCK) Clock clock, CallsProperties properties, Claims claims) {
        this.jdbc = bridgeStore.jdbc();
        this.json = json.mapper();
        this.clock = clock;
        this.properties = properties;
        this.claims = claims;
    }

    /**
     * Claims up to {@code max} calls whose gathering time is over (or whose completer's lease ran out)
     * in one statement; the claim token then names exactly the rows this poll won.
     */
    public List<Claim> claimDueCalls(int max) {
        return claims.claim("OPEN", "COMPLETING", "state = 'COMPLETING'", properties.claimLease(), max);
    }

    /** What the call's events take parsed, as counted at ingest ({@code BRIDGE_CALL_MAX_PARSED_BYTES}); 0 when it is gone. */
    public long parsedBytes(CallKey key) {
        return jdbc.sql("SELECT event_parsed_bytes FROM bridge_call WHERE provider = :provider AND call_id = :callId")
                .param("provider", key.provider()).param("callId", key.callId())
                .query(Long.class).optional().orElse(0L);
    }

    /**
     * The call with its events. It is a test call when every event is a test event; its last event is
     * the last one received (the ingest path does not write the call row for events in the middle of a call).
     */
    public Optional<StoredCall> find(CallKey key) {
        return jdbc.sql("""
                SELECT state, is_test, first_event_at, last_event_at, ended_received_at
                  FROM bridge_call WHERE provider = :provider AND call_id = :callId""")
                .param("provider", key.provider()).param("callId", key.callId())
                .query((rs, i) -> {
                    List<ReceivedEvent> received = received(key);
                    List<CallEvent> events = received.stream().map(ReceivedEvent::event).toList();
                    Instant lastEventAt = received.stream().map(ReceivedEvent::receivedAt)
                            .max(Instant::compareTo).orElse(instant(rs, 4));
                    boolean test = rs.getBoolean(2) && events.stream().allMatch(CallEvent::test);
                    return new StoredCall(key, CallState.valueOf(rs.getString(1)), test, instant(rs, 3), lastEventAt,
                            instant(rs, 5), events);
                })
                .optional();
    }

    private record ReceivedEvent(CallEvent event, Instant receivedAt) {
    }

    /** The call's canonical events in the order the bridge received them, with their receipt times. */
    private List<ReceivedEvent> received(CallKey key) {
        return jdbc.sql("""
                SELECT canonical, received_at FROM bridge_call_event
                 WHERE provider = :provider AND call_id = :callId ORDER BY id""")
                .param("provider", key.provider()).param("callId", key.callId())
                .query((rs, i) -> new ReceivedEvent(read(rs.getString(1)), instant(rs, 2)))
                .list();
    }

    /**
     * A call claimed for its idle timeout that had events since its due time was set: back to
     * gathering until {@code dueAt} (its last event + the idle timeout).
     */
    public void keepGathering(Claim claim, Instant dueAt) {
        jdbc.sql("""
                UPDATE bridge_call SET state = 'OPEN', due_at = :due, claimed_by = NULL, claimed_until = NULL, claim_token = NULL
                 WHERE provider = :provider AND call_id = :callId AND state = 'COMPLETING' AND claim_token = :token""")
                .param("due", OffsetDateTime.ofInstant(dueAt, ZoneOffset.UTC))
                .param("provider", claim.provider()).param("callId", claim.callId()).param("token", claim.token())
                .update();
    }

    /**
     * Holds the claim of a call being completed until {@code until} (its provider's hook may take long), if this node
     * still holds it; false when another claimer took it over meanwhile.
     */
    public boolean holdUntil(Claim claim, Instant until) {
        return jdbc.sql("""
                UPDATE bridge_call SET claimed_until = :until
                 WHERE provider = :provider AND call_id = :callId AND state = 'COMPLETING' AND claim_token = :token""")
                .param("until", OffsetDateTime.ofInstant(until, ZoneOffset.UTC))
                .param("provider", claim.provider()).param("callId", claim.callId()).param("token", claim.token())
                .update() == 1;
    }

    /**
     * Records the assembled payload and the call's next state, if this node still holds the claim.
     * {@code DELIVERING} keeps the claim and counts the first attempt in the same write (the caller
     * sends at once); the delivery window starts at the end's receipt.
     */
    public boolean completed(Claim claim, String payload, CallState next, Instant windowEndsAt, Duration sendLease) {
        OffsetDateTime now = now();
        boolean sending = next == CallState.DELIVERING;
        return jdbc.sql("""
                UPDATE bridge_call SET state = :state, payload = :payload, completed_at = :now, due_at = :now,
                       window_ends_at = :window, claimed_until = :until, attempts = :attempts,
                       claimed_by = CASE WHEN :sending THEN claimed_by ELSE NULL END,
                       claim_token = CASE WHEN :sending THEN claim_token ELSE NULL END
                 WHERE provider = :provider AND call_id = :callId AND state = 'COMPLETING' AND claim_token = :token""")
                .param("state", next.name()).param("payload", payload).param("now", now)
                .param("window", windowEndsAt == null ? null : OffsetDateTime.ofInstant(windowEndsAt, ZoneOffset.UTC))
                .param("until", sending ? now.plus(sendLease) : null)
                .param("attempts", sending ? 1 : 0)
                .param("sending", sending)
                .param("provider", claim.provider()).param("callId", claim.callId())
                .param("token", claim.token())
                .update() == 1;
    }

    /**
     * An attempt to complete the call failed; returns how many have failed so far (0 when the claim is
     * no longer this node's).
     */
    public int completionFailures(Claim claim) {
        return jdbc.sql("""
                SELECT completion_failures + 1 FROM bridge_call
                 WHERE provider = :provider AND call_id = :callId AND state = 'COMPLETING' AND claim_token = :token""")
                .param("provider", claim.provider()).param("callId", claim.callId()).param("token", claim.token())
                .query(Integer.class).optional().orElse(0);
    }

    /** Records how many completions of the claimed call failed (the last one, before it becomes a dead letter). */
    public void countCompletionFailures(Claim claim, int failures) {
        jdbc.sql("""
                UPDATE bridge_call SET completion_failures = :failures
                 WHERE provider = :provider AND call_id = :callId AND state = 'COMPLETING' AND claim_token = :token""")
                .param("failures", failures)
                .param("provider", claim.provider()).param("callId", claim.callId()).param("token", claim.token())
                .update();
    }

    /** Puts a call whose completion failed back to gathering, to be tried again at {@code retryAt}. */
    public void retryCompletion(Claim claim, int failures, String failure, Instant retryAt) {
        String reason = StoreFaults.withoutStoreDetail(failure);   // shown by the admin: no SQL (the log has it all)
        jdbc.sql("""
                UPDATE bridge_call SET state = 'OPEN', completion_failures = :failures, last_error = :reason, due_at = :retryAt,
                       claimed_by = NULL, claimed_until = NULL, claim_token = NULL
                 WHERE provider = :provider AND call_id = :callId AND state = 'COMPLETING' AND claim_token = :token""")
                .param("failures", failures).param("reason", reason)
                .param("retryAt", OffsetDateTime.ofInstant(retryAt, ZoneOffset.UTC))
                .param("provider", claim.provider()).param("callId", claim.callId()).param("token", claim.token())
                .update();
    }

    /**
     * When this call was placed by an outbound trigger (the dial API answered with this call id):
     * {@code outbound_trigger_id} and the trigger's {@code dynamic_variables}, for the call's metadata. Only a trigger
     * dialed through this call's provider counts (the dial route {@code vapi} places the calls whose webhooks come to
     * {@code /webhooks/vapi}, and so on: one name for both); another provider's call with the same id gets nothing. A
     * trigger dialed through {@code http} (the user's own dial service, whose platform the bridge does not know) or
     * before the dial route was recorded matches any provider, after an exact match.
     */
    public Map<String, Object> outboundTriggerFacts(CallKey key) {
        return jdbc.sql("""
                SELECT id, dynamic_variables FROM bridge_outbound_trigger
                 WHERE provider_call_id = :callId AND (dial_provider = :provider OR dial_provider IS NULL OR dial_provider = 'http')
                 ORDER BY CASE WHEN dial_provider = :provider THEN 0 ELSE 1 END, received_at DESC""")
                .param("callId", key.callId()).param("provider", key.provider())
                .query((rs, i) -> {
                    Map<String, Object> facts = new java.util.LinkedHashMap<>();
                    facts.put("outbound_trigger_id", rs.getString(1));
                    if (rs.getString(2) != null) {
                        try {
                            facts.put("dynamic_variables", json.readValue(rs.getString(2), Map.class));
                        } catch (JsonProcessingException unreadable) {
                            facts.put("dynamic_variables", rs.getString(2));
                        }
                    }
                    return facts;
                })
                .list().stream().findFirst().orElse(Map.of());
    }

    private CallEvent read(String canonical) {
        try {
            return json.readValue(canonical, CallEvent.class);
        } catch (JsonProcessingException corrupt) {
            throw new IllegalStateException("stored canonical event is unreadable", corrupt);
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
