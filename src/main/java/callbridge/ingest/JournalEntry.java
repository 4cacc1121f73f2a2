package callbridge.ingest;

import callbridge.calls.CallEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;

/**
 * One answered webhook event as the journal keeps it.
 *
 * @param canonical  the event as JSON, made once on the request thread
 * @param receivedAt when the bridge received it: the call's times (last event, end, due) are counted from it,
 *                   also when the event reaches the database later (write-ahead log, restart)
 * @param parsedBytes what the event costs the heap when its call is assembled ({@link ParsedSize})
 */
public record JournalEntry(CallEvent event, String canonical, byte[] raw, String dedupeKey, Instant receivedAt, long parsedBytes) {

    /** An event just received: its canonical JSON and its parsed size are made here, on the request's thread. */
    public static JournalEntry received(ObjectMapper json, CallEvent event, byte[] raw, String dedupeKey, Instant at) {
        try {
            String canonical = json.writeValueAsString(event);
            return new JournalEntry(event, canonical, raw, dedupeKey, at, ParsedSize.of(json.getFactory(), canonical));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("canonical event not serialisable", impossible);
        }
    }

    /** The call id the event is stored under; events that name no call share {@link JournalRows#NO_CALL}. */
    public String storedCallId() {
        return event.belongsToCall() ? event.callId() : JournalRows.NO_CALL;
    }
}
