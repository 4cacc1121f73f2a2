package callbridge.calls;

import callbridge.claims.CallKey;
import java.time.Instant;
import java.util.List;

/** A call row with its canonical events in the order they were received. */
public record StoredCall(
        CallKey key,
        CallState state,
        boolean test,
        Instant firstEventAt,
        Instant lastEventAt,
        Instant endedReceivedAt,
        List<CallEvent> events) {
}
