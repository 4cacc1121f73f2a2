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
 * @param callStartedAt / callEndedAt the call's own times when the provider states them (a summary, an API)
 * @param closeWait  for an end: how long to wait for late events instead of {@code BRIDGE_CALL_GRACE}
 * @param completesCall this event is the one the call waits for after its end (e.g. Verbex PCA): once the
 *                   call has ended too, it is closed at once
 * @param runId      Cekura's run id as the provider sent it (a route maps it: {@code bridgeRunId}); the call's
 *                   {@code run_id} when it is digits, else kept in {@code metadata.run_id_raw}
 * @param traceId    a W3C trace id (32 lowercase hex) the route mapped ({@code bridgeTraceId}); null when none or malformed
 * @param headerTraceId the trace id of the webhook's W3C {@code traceparent} header; null when none or malformed
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
        boolean test,
        Instant callStartedAt,
        Instant callEndedAt,
        java.time.Duration closeWait,
        boolean completesCall,
        String runId,
        String traceId,
        String headerTraceId) {
    /** Exchange property: the provider whose webhook, or whose call, the exchange carries. */
    public static final String PROVIDER_PROPERTY = "bridgeProvider";

    public CallEvent {
        transcript = transcript == null ? List.of() : List.copyOf(transcript);
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    /** The usual event: no stated call times, the default close rules. */
    public CallEvent(String provider, String callId, CallEventKind kind, String eventType, Instant occurredAt,
            String from, String to, String direction, String endedReason, String error,
            List<TranscriptLine> transcript, Map<String, Object> metadata, boolean test) {
        this(provider, callId, kind, eventType, occurredAt, from, to, direction, endedReason, error, transcript,
                metadata, test, null, null, null, false);
    }

    /** Without Cekura's optional fields (run id, trace id). */
    public CallEvent(String provider, String callId, CallEventKind kind, String eventType, Instant occurredAt,
            String from, String to, String direction, String endedReason, String error,
            List<TranscriptLine> transcript, Map<String, Object> metadata, boolean test,
            Instant callStartedAt, Instant callEndedAt, java.time.Duration closeWait, boolean completesCall) {
        this(provider, callId, kind, eventType, occurredAt, from, to, direction, endedReason, error, transcript,
                metadata, test, callStartedAt, callEndedAt, closeWait, completesCall, null, null, null);
    }

    public boolean belongsToCall() {
        return callId != null;
    }
}
