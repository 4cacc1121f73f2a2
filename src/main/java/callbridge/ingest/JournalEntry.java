package callbridge.ingest;

import callbridge.calls.CallEvent;
import java.time.Instant;

/**
 * One answered webhook event as the journal keeps it.
 *
 * @param canonical  the event as JSON, made once on the request thread
 * @param receivedAt when the bridge received it: the call's times (last event, end, due) are counted from it,
 *                   also when the event reaches the database later (write-ahead log, restart)
 */
public record JournalEntry(CallEvent event, String canonical, byte[] raw, String dedupeKey, Instant receivedAt) {

    /** The call id the event is stored under; events that name no call share {@link JournalRows#NO_CALL}. */
    public String storedCallId() {
        return event.belongsToCall() ? event.callId() : JournalRows.NO_CALL;
    }
}
