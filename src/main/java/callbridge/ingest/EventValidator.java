package callbridge.ingest;

import callbridge.calls.CallEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * The first step of {@code bridge-ingest-event}: what the store could not hold, or what could forge a log line,
 * is refused with a 400 naming the field before anything is stored or answered 2xx. Sizes are the columns'
 * ({@code bridge_call_event}: provider 64, call_id 255, event_type 255); a call id or event type may hold no control
 * character (tab, CR, LF...) and no Unicode line or paragraph separator.
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
    }
}
