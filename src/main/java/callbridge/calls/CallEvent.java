package callbridge.calls;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The canonical call event every provider route produces. It is stored next to the raw body,
 * and a call is assembled from its canonical events alone, so providers differ only in mapping.
 *
 * @param callId     the provider's call id, as text; null only for events that belong to no call
 * @param eventType  the provider's own name for the event, kept for metrics and the admin view
 * @param occurredAt when the provider says it happened (null when it does not say)
 * @param transcript the lines this event carries: one for a live line, all for a final transcript
 * @param metadata   provider facts about the call that Cekura gets in {@code metadata}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CallEvent(
        String provider,
        String callId,
        CallEventKind kind,
        String eventType,
        Instant occurredAt,
        String from,
        String to,
        String direction,
        String endedReason,
        String error,
        List<TranscriptLine> transcript,
        Map<String, Object> metadata,
        boolean test) {

    public CallEvent {
        transcript = transcript == null ? List.of() : List.copyOf(transcript);
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    public boolean belongsToCall() {
        return callId != null;
    }
}
