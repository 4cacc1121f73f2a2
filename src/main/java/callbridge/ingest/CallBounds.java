package callbridge.ingest;

import callbridge.calls.CallsProperties;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The answer to an event beyond its call's bounds: 422 naming the limits. The event is not kept (it is
 * counted in {@code bridge_events_received_total{outcome="over_limit"}}) and the call is delivered with what
 * it has, so no sender can grow one call without end. An event that alone, parsed, is beyond what a whole call may
 * hold is refused too ({@code outcome="too_large"}), before anything is written: its call goes on as it is.
 */
@Component
public class CallBounds {
    private final String refusal;
    private final String tooLarge;

    public CallBounds(CallsProperties calls) {
        this.refusal = "call is full: at most " + calls.callMaxEvents() + " events, " + calls.callMaxBytes().toBytes()
                + " bytes and " + calls.callMaxParsedBytes().toBytes() + " parsed bytes per call (BRIDGE_CALL_MAX_EVENTS, "
                + "BRIDGE_CALL_MAX_BYTES, BRIDGE_CALL_MAX_PARSED_BYTES); event not kept, the call is delivered as it is";
        this.tooLarge = "event too large: parsed, it alone would take more than the " + calls.callMaxParsedBytes().toBytes()
                + " bytes one call may hold (BRIDGE_CALL_MAX_PARSED_BYTES); event not kept";
    }

    public void refuse(Exchange exchange) {
        throw new RefusedException(refusal);
    }

    public void refuseTooLarge(Exchange exchange) {
        throw new RefusedException(tooLarge);
    }
}
