package callbridge.delivery;

import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.SedaEndpoint;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The senders' queue in memory ({@code seda:bridge-delivery-send}), kept to one call per sender. A call in it is
 * claimed, and its claim's lease (one attempt's worst case and a margin) runs while it waits: were the queue long
 * (Cekura slower than calls end), leases would run out there and the call be claimed again, an attempt counted that
 * was never made. So completion hands a call over only while there is room, the poller and each sender that finishes
 * claim no more than the room, and every other call waits in the store, unclaimed and due, for a free sender. The
 * sender renews the lease when it takes the call ({@link DeliveryLedger#begin}).
 */
@Component("bridgeDeliveryQueue")
public class DeliveryQueue {
    public static final String URI = "seda:bridge-delivery-send";
    /** A call waits in the queue at most one attempt of the sender ahead of it: less than its lease. */
    static final int CALLS_PER_SENDER = 1;

    private final ObjectProvider<CamelContext> camel;   // looked up when first needed: the context's routes need this bean
    private final int capacity;
    private volatile SedaEndpoint endpoint;

    public DeliveryQueue(ObjectProvider<CamelContext> camel, CekuraProperties cekura) {
        this.camel = camel;
        this.capacity = cekura.senders() * CALLS_PER_SENDER;
    }

    public int capacity() {
        return capacity;
    }

    /** How many more calls the senders should be handed now (0 or more). */
    public int room() {
        SedaEndpoint queue = endpoint;
        if (queue == null) {
            queue = camel.getObject().getEndpoint(URI, SedaEndpoint.class);
            endpoint = queue;
        }
        return Math.max(0, capacity - queue.getCurrentQueueSize());
    }
}
