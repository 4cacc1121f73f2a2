package callbridge.ingest;

import callbridge.calls.CallEvent;
import callbridge.calls.TranscriptLine;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * The first step of {@code bridge-ingest-event}: what the store could not hold, or what could forge a log line,
 * is refused with a 400 naming the field before anything is stored or answered 2xx. Sizes are the columns'
 * ({@code bridge_call_event}: provider 64, call_id 255, event_type 255); a call id or event type may hold no control
 * character (tab, CR, LF...) and no Unicode line or paragraph separator. No text field (ids, numbers, reasons,
 * transcript, metadata) may hold a lone UTF-16 surrogate (U+D800 to U+DFFF without its pair, e.g. from a JSON escape): no
 * UTF-8 store can keep one, PostgreSQL's driver writes {@code ?} for it, and two call ids would become one.
 *
 * <p>A mapper may name the provider's own fields in the exchange properties {@link #CALL_ID_FIELD}
 * (e.g. {@code payload.call_id}) and {@link #EVENT_TYPE_FIELD} (e.g. {@code event_type}).
 * The dedupe key needs no check: {@link EventKeys} hashes any key over 200 characters (column 220).
 */
@Component("bridgeEventValidator")
public class EventValidator implements Processor {
    public static final String CALL_ID_FIELD = "bridgeCallIdField";
    public static final String EVENT_TYPE_FIELD = "bridgeEventTypeField";
    static final int MAX_PROVIDER = 64;
    static final int MAX_CALL_ID = 255;
    static final int MAX_EVENT_TYPE = 255;

    @Override
    public void process(Exchange exchange) {
        CallEvent event = exchange.getMessage().getBody(CallEvent.class);
        if (event == null) {
            return;
        }
        if (event.provider() != null && event.provider().length() > MAX_PROVIDER) {
            throw new InvalidEventException("provider name is longer than " + MAX_PROVIDER + " characters");
        }
        check(event.callId(), exchange.getProperty(CALL_ID_FIELD, "call id", String.class), MAX_CALL_ID);
        check(event.eventType(), exchange.getProperty(EVENT_TYPE_FIELD, "event type", String.class), MAX_EVENT_TYPE);
        wellFormed(event.provider(), "provider");
        wellFormed(event.from(), "from");
        wellFormed(event.to(), "to");
        wellFormed(event.direction(), "direction");
        wellFormed(event.endedReason(), "ended reason");
        wellFormed(event.error(), "error");
        wellFormed(event.runId(), "run id");
        wellFormed(event.traceId(), "trace id");
        wellFormed(event.headerTraceId(), "trace id");
        for (int i = 0; i < event.transcript().size(); i++) {
            TranscriptLine line = event.transcript().get(i);
            wellFormed(line.role(), "transcript[" + i + "].role");
            wellFormed(line.content(), "transcript[" + i + "].content");
            wellFormedTree(line.data(), "transcript[" + i + "].data");
        }
        wellFormedTree(event.metadata(), "metadata");
    }

    /** Strings anywhere in a parsed JSON value (keys too). */
    private static void wellFormedTree(Object value, String path) {
        if (value instanceof String text) {
            wellFormed(text, path);
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                wellFormed(key, path + " (a key)");
                wellFormedTree(entry.getValue(), path + "." + (hasLoneSurrogate(key) ? "?" : key));
            }
        } else if (value instanceof Iterable<?> items) {
            int i = 0;
            for (Object item : items) {
                wellFormedTree(item, path + "[" + i++ + "]");
            }
        }
    }

    private static void wellFormed(String value, String field) {
        if (value != null && hasLoneSurrogate(value)) {
            throw new InvalidEventException("field " + field + " must not contain a lone surrogate (U+D800 to U+DFFF without its pair)");
        }
    }

    static boolean hasLoneSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static void check(String value, String field, int max) {
        if (value == null) {
            return;
        }
        if (value.length() > max) {
            throw new InvalidEventException("field " + field + " is longer than " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            int type = Character.getType(value.charAt(i));
            if (type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                throw new InvalidEventException("field " + field + " must not contain control characters or line breaks");
            }
        }
        wellFormed(value, field);
    }
}
