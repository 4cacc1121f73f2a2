package callbridge.providers.salpre;

import callbridge.calls.CallEvent;
import callbridge.calls.CallEventKind;
import callbridge.calls.TranscriptLine;
import callbridge.ingest.EventValidator;
import callbridge.ingest.InvalidEventException;
import callbridge.providers.ProviderTimes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Maps one salpre webhook (seed 001) onto the canonical {@link CallEvent}. The route has already
 * chosen the kind from {@code event_type}; this bean only reads fields.
 */
@Component("bridgeSalpreEventMapper")
public class SalpreEventMapper implements Processor {

    static final String PROVIDER = "salpre";
    /** Payload fields this mapper turns into canonical fields; every other one goes to metadata. */
    private static final Set<String> MAPPED = Set.of(
            "call_id", "call", "from", "to", "direction", "transcript", "type", "timestamp_utc", "error_message");

    /** Body: the parsed webhook (a JSON object); property {@code bridgeEventKind}: what the route's choice decided. */
    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        Map<String, Object> body = exchange.getMessage().getBody(Map.class);
        CallEventKind kind = CallEventKind.valueOf(exchange.getProperty("bridgeEventKind", String.class));
        exchange.getMessage().setBody(toCallEvent(body, kind));
        // the door check names salpre's own fields
        boolean nested = body.get("payload") instanceof Map<?, ?> payload && !payload.containsKey("call_id");
        exchange.setProperty(EventValidator.CALL_ID_FIELD, nested ? "payload.call.id" : "payload.call_id");
        exchange.setProperty(EventValidator.EVENT_TYPE_FIELD, "event_type");
    }

    CallEvent toCallEvent(Map<String, Object> body, CallEventKind kind) {
        String eventType = String.valueOf(body.get("event_type"));
        Map<String, Object> payload = objectAt(body, "payload");
        Map<String, Object> call = objectAt(payload, "call");
        String callId = callId(payload, call);
        if (callId == null && kind != CallEventKind.OTHER) {
            throw InvalidEventException.missingField(payload.containsKey("call") ? "payload.call.id" : "payload.call_id");
        }
        Map<String, Object> party = call.isEmpty() ? payload : call;

        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("provider", PROVIDER);
        putIfText(metadata, "direction", party.get("direction"));
        putIfText(metadata, "source", party.get("source"));
        payload.forEach((key, value) -> {
            if (!MAPPED.contains(key) && !"source".equals(key)) {
                metadata.put(key, value);
            }
        });
        call.forEach((key, value) -> {
            if (!Set.of("id", "from", "to", "direction", "source").contains(key)) {
                metadata.put(key, value);
            }
        });

        Instant occurredAt = ProviderTimes.instant(body.get("timestamp_utc"), "timestamp_utc");
        return new CallEvent(
                PROVIDER,
                callId,
                kind,
                eventType,
                occurredAt,
                text(party.get("from")),
                text(party.get("to")),
                text(party.get("direction")),
                null,
                kind == CallEventKind.ERROR ? text(payload.get("error_message")) : null,
                transcript(kind, payload, occurredAt == null ? null : occurredAt.toEpochMilli()),
                metadata,
                Boolean.TRUE.equals(body.get("is_test")));
    }

    private static List<TranscriptLine> transcript(CallEventKind kind, Map<String, Object> payload, Long eventMillis) {
        if (kind == CallEventKind.TRANSCRIPT) {
            Object content = payload.get("transcript");
            if (content == null) {
                throw InvalidEventException.missingField("payload.transcript");
            }
            Long at = ProviderTimes.epochMillis(payload.get("timestamp_utc"), "payload.timestamp_utc");
            return List.of(TranscriptLine.of(role(payload.get("type")), String.valueOf(content), at != null ? at : eventMillis));
        }
        if (kind == CallEventKind.ENDED && payload.get("transcript") instanceof List<?> lines) {
            List<TranscriptLine> out = new ArrayList<>(lines.size());
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i) instanceof Map<?, ?> line && line.get("message") != null) {
                    out.add(TranscriptLine.of(role(line.get("type")), String.valueOf(line.get("message")),
                            ProviderTimes.epochMillis(line.get("utc_timestamp"), "payload.transcript[" + i + "].utc_timestamp")));
                }
            }
            return out;
        }
        return List.of();
    }

    /** Salpre speaks of {@code ai} and {@code customer}; anything else is a system line. */
    static String role(Object type) {
        if ("ai".equals(type)) {
            return "bot";
        }
        if ("customer".equals(type)) {
            return "user";
        }
        return "system";
    }

    private static String callId(Map<String, Object> payload, Map<String, Object> call) {
        Object id = payload.containsKey("call_id") ? payload.get("call_id") : call.get("id");
        if (id instanceof Map || id instanceof List) {
            throw new InvalidEventException("call id must be a string or a number");
        }
        String text = text(id);
        return text == null || text.isBlank() ? null : text;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> objectAt(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new InvalidEventException("field " + key + " must be a JSON object");
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static void putIfText(Map<String, Object> target, String key, Object value) {
        if (value != null) {
            target.put(key, String.valueOf(value));
        }
    }
}
