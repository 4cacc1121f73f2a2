package callbridge.delivery;

import callbridge.calls.Claim;
import java.time.Instant;

/**
 * A call completion just made ready to send, still claimed by this node: its claim, the call object
 * as recorded in its payload, and the end of its delivery window. Completions of one poll travel to
 * Cekura together (see {@link DeliveryBatches}).
 */
public record ReadyDelivery(Claim claim, CekuraCall call, Instant windowEndsAt) {
    /** Exchange property set by the completion of a call to be sent now. */
    public static final String PROPERTY = "bridgeReadyDelivery";
}
