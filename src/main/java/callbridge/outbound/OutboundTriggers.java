package callbridge.outbound;

import callbridge.BridgeConfiguration;
import callbridge.store.BridgeStore;
import org.springframework.beans.factory.annotation.Qualifier;

import callbridge.claims.NodeIdentity;
import callbridge.store.StoreFlush;
import callbridge.admin.CallAdminView;
import callbridge.admin.NotFoundException;
import callbridge.ingest.InvalidEventException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Cekura's Trigger URL: checks a trigger, stores it already claimed for dialing by this node, hands it to the dial
 * route, and answers 201 once the first dial was accepted (with the platform's call id) or
 * {@code OUTBOUND_ANSWER_WAIT} passed; the dial goes on after the answer, inside the window. A repeated
 * {@code Idempotency-Key} with the same body gets the first trigger's answer (with the call id when it is known
 * by now); with another body, 422.
 */
@Component("bridgeOutboundTriggers")
public class OutboundTriggers {
    /** Set by {@link #accept}: the trigger to hand to the dial route (absent for a repeated Idempotency-Key). */
    public static final String HAND_OFF = "bridgeTriggerHandOff";
    static final String ANSWER = "bridgeTriggerAnswer";
    static final String WAITS = "bridgeTriggerWaits";
    /** E.164: "+" then 8 to 15 digits. */
    private static final Pattern E164 = Pattern.compile("\\+\\d{8,15}");
    /** The column {@code bridge_outbound_trigger.idempotency_key}. */
    static final int MAX_IDEMPOTENCY_KEY = 200;

    private final JdbcClient jdbc;
    private final StoreFlush flush;
    /** The bridge's own: a variable Cekura sent as null is kept, whatever the application's Jackson settings. */
    private final ObjectMapper json = JsonMapper.builder().build();
    private final Clock clock;
    private final OutboundProperties outbound;
    private final NodeIdentity node;
    private final FirstDialWait firstDial;
    private final Set<String> contactNumbers;
    private final MeterRegistry metrics;

    public OutboundTriggers(BridgeStore bridgeStore, StoreFlush flush, @Qualifier(BridgeConfiguration.CLOCK) Clock clock, OutboundProperties outbound,
            NodeIdentity node, FirstDialWait firstDial, @Value("${cekura.contact-numbers:}") String contactNumbers, MeterRegistry metrics) {
        this.jdbc = bridgeStore.jdbc();
        this.flush = flush;
        this.metrics = metrics;
        this.clock = clock;
        this.outbound = outbound;
        this.node = node;
        this.firstDial = firstDial;
        this.contactNumbers = contactNumbers(contactNumbers);
    }

    static Set<String> contactNumbers(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The parsed trigger body in. A new trigger is stored (durably, before any dial) already claimed by this node
     * and becomes the body, a {@link TriggerDialing.ClaimedTrigger} for the dial route, with {@link #HAND_OFF} set;
     * a repeated {@code Idempotency-Key} with the same numbers and variables gets the first trigger's answer and
     * dials nothing new; with others, 422.
     */
    public void accept(Exchange exchange) throws JsonProcessingException {
        String key = idempotencyKey(exchange);
        Map<?, ?> body = exchange.getMessage().getBody(Map.class);
        String from = e164(body, "from_number");
        String to = e164(body, "to_number");
        Object variables = body.get("dynamic_variables");
        if (variables != null && !(variables instanceof Map)) {
            throw new InvalidEventException("field dynamic_variables must be a JSON object");
        }
        if (key != null) {
            String earlier = answerFor(key, from, to, variables);
            if (earlier != null) {
                exchange.setProperty(ANSWER, earlier);
                return;
            }
        }
        if (!contactNumbers.isEmpty() && !contactNumbers.contains(from)) {
            throw new ContactNumberRefusedException("from_number " + from + " is not a configured contact_number (CEKURA_CONTACT_NUMBERS): "
                    + "Cekura silently drops an outbound test call whose caller ID is not the agent's contact_number");
        }

        String id = "trg_" + UUID.randomUUID().toString().replace("-", "");
        String token = UUID.randomUUID().toString();
        Instant now = clock.instant();
        Instant deadline = now.plus(outbound.dialWindow());
        String answerJson = answerJson(id, "received", deadline.toString(), null);
        try {
            // claimed by this node at once: it dials it right after the answer is registered, no poller in between
            jdbc.sql("""
                    INSERT INTO bridge_outbound_trigger (id, idempotency_key, from_number, to_number, dynamic_variables, status,
                                                  received_at, dial_deadline, due_at, answer, claimed_by, claimed_until, claim_token)
                    VALUES (:id, :key, :from, :to, :variables, 'dialing', :now, :deadline, :now, :answer, :node, :until, :token)""")
                    .param("id", id).param("key", key)
                    .param("from", from).param("to", to)
                    .param("variables", variables == null ? null : json.writeValueAsString(variables))
                    .param("now", at(now)).param("deadline", at(deadline)).param("answer", answerJson)
                    .param("node", node.id()).param("until", at(now.plus(outbound.dialLease()))).param("token", token)
                    .update();
        } catch (DuplicateKeyException sameKeyMeanwhile) {
            exchange.setProperty(ANSWER, answerFor(key, from, to, variables));
            return;
        }
        flush.awaitDurable(); // the 201 promises the trigger survives a crash; nothing is dialed before this
        metrics.counter("bridge.outbound.triggers", "outcome", "received").increment();
        exchange.setProperty(ANSWER, answerJson);
        boolean waits = firstDial.expect(id);
        if (waits) {
            // the slot is given back however the request ends, also when it fails before the wait
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    firstDial.forget(id);
                }
            });
        }
        exchange.setProperty(WAITS, waits);
        exchange.setProperty(HAND_OFF, true);
        exchange.getMessage().setBody(new TriggerDialing.ClaimedTrigger(id, token));
    }

    /**
     * The 201 body: a repeated key's answer as it is; a new trigger's once its first dial was accepted (status
     * {@code dialed} and the platform's {@code call_id}) or {@code OUTBOUND_ANSWER_WAIT} passed ({@code received}).
     */
    public String answer(Exchange exchange) throws Exception {
        String answer = exchange.getProperty(ANSWER, String.class);
        if (!exchange.getProperty(WAITS, false, Boolean.class)) {
            return answer;
        }
        String id = exchange.getMessage().getBody(TriggerDialing.ClaimedTrigger.class).id();
        FirstDialWait.Outcome first = firstDial.await(id, outbound.answerWait());
        return first.dialed() ? withDial(answer, first.callId()) : answer;
    }

    /** {@code {"success": true, "id", "status", "dial_deadline", "call_id"?}}: no nulls, whatever the ObjectMapper's settings. */
    private String answerJson(String id, String status, String deadline, String callId) throws JsonProcessingException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", true);
        answer.put("id", id);
        answer.put("status", status);
        answer.put("dial_deadline", deadline);
        if (callId != null) {
            answer.put("call_id", callId);
        }
        return json.writeValueAsString(answer);
    }

    /** A stored answer, now dialed (with the platform's call id when it gave one). */
    private String withDial(String stored, String callId) throws JsonProcessingException {
        Map<?, ?> first = json.readValue(stored, Map.class);
        return answerJson(String.valueOf(first.get("id")), "dialed", String.valueOf(first.get("dial_deadline")), callId);
    }

    /** What ops see of one trigger. */
    public Map<String, Object> view(@Header("id") String id) {
        return jdbc.sql("""
                SELECT id, status, from_number, to_number, dynamic_variables, received_at, dial_deadline, attempts,
                       first_attempt_at, dialed_at, provider_call_id, dial_provider, last_status, last_error
                  FROM bridge_outbound_trigger WHERE id = :id""")
                .param("id", id)
                .query((rs, i) -> {
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("id", rs.getString("id"));
                    view.put("status", rs.getString("status"));
                    view.put("fromNumber", rs.getString("from_number"));
                    view.put("toNumber", rs.getString("to_number"));
                    view.put("dynamicVariables", parse(rs.getString("dynamic_variables")));
                    for (String column : new String[] {"received_at", "dial_deadline", "first_attempt_at", "dialed_at"}) {
                        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
                        view.put(CallAdminView.camel(column), value == null ? null : value.toInstant().toString());
                    }
                    view.put("attempts", rs.getInt("attempts"));
                    view.put("providerCallId", rs.getString("provider_call_id"));
                    view.put("dialProvider", rs.getString("dial_provider"));
                    view.put("lastStatus", rs.getObject("last_status"));
                    view.put("lastError", rs.getString("last_error"));
                    return view;
                })
                .optional()
                .orElseThrow(() -> new NotFoundException("no outbound trigger " + id));
    }

    /** The trimmed {@code Idempotency-Key}, null when none; longer than its column is a 400. */
    private static String idempotencyKey(Exchange exchange) {
        String key = exchange.getMessage().getHeader("Idempotency-Key", String.class);
        if (key == null || key.isBlank()) {
            return null;
        }
        key = key.trim();
        if (key.length() > MAX_IDEMPOTENCY_KEY) {
            throw new InvalidEventException("header Idempotency-Key is longer than " + MAX_IDEMPOTENCY_KEY + " characters");
        }
        return key;
    }

    /**
     * The answer of the trigger stored under {@code key}, null when there is none. A trigger whose numbers
     * or variables (compared as parsed JSON) differ from this request's is a {@link IdempotencyKeyReusedException}.
     */
    private String answerFor(String key, String from, String to, Object variables) {
        record Earlier(String from, String to, String variables, String answer, String status, String callId) {
        }
        Earlier earlier = jdbc.sql("""
                        SELECT from_number, to_number, dynamic_variables, answer, status, provider_call_id
                          FROM bridge_outbound_trigger WHERE idempotency_key = :key""")
                .param("key", key)
                .query((rs, i) -> new Earlier(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)))
                .optional().orElse(null);
        if (earlier == null) {
            return null;
        }
        if (!earlier.from().equals(from) || !earlier.to().equals(to) || !sameJson(earlier.variables(), variables)) {
            throw new IdempotencyKeyReusedException("Idempotency-Key was already used for a trigger with another body "
                    + "(from_number, to_number or dynamic_variables differ): use a new key for a new trigger");
        }
        try {
            return "dialed".equals(earlier.status()) ? withDial(earlier.answer(), earlier.callId()) : earlier.answer();
        } catch (JsonProcessingException unreadable) {
            return earlier.answer();
        }
    }

    private boolean sameJson(String stored, Object requested) {
        if (stored == null || requested == null) {
            return stored == null && requested == null;
        }
        try {
            return json.readTree(stored).equals(json.valueToTree(requested));
        } catch (JsonProcessingException unreadable) {
            return false;
        }
    }

    private static String e164(Map<?, ?> body, String field) {
        Object value = body.get(field);
        if (value == null) {
            throw InvalidEventException.missingField(field);
        }
        String text = String.valueOf(value).trim();
        if (!E164.matcher(text).matches()) {
            throw new InvalidEventException("field " + field + " must be an E.164 number (+ and 8 to 15 digits)");
        }
        return text;
    }

    private Object parse(String text) {
        try {
            return text == null ? null : json.readValue(text, Object.class);
        } catch (JsonProcessingException unreadable) {
            return text;
        }
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
