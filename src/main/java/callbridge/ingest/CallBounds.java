package callbridge.ingest;

import callbridge.calls.CallsProperties;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The answer to an event beyond its call's bounds: 422 naming the limits. The event is not kept (it is
 * counted in {@code bridge_events_received_total{outcome="over_limit"}}) and the call is delivered with what
 * it has, so no sender can grow one call without end.
 */
@Component
public class CallBounds {
    private final String refusal;

    public CallBounds(CallsProperties calls) {
        this.refusal = "call is full: at most " + calls.callMaxEvents() + " events and " + calls.callMaxBytes().toBytes()
                + " bytes per call (BRIDGE_CALL_MAX_EVENTS, BRIDGE_CALL_MAX_BYTES); event not kept, the call is delivered as it is";
    }

    public void refuse(Exchange exchange) {
        throw new RefusedException(refusal);
    }
}
