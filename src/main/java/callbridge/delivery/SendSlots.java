package callbridge.delivery;

import java.util.concurrent.Semaphore;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.stereotype.Component;

/**
 * At most {@code CEKURA_SENDERS} attempts are between their POST to Cekura and the record of its outcome on disk: the
 * calls a kill -9 may send twice. The senders alone do not bound it: a retry runs after its delay on the error
 * handler's own thread (asynchronous redelivery, so a waiting retry holds no sender) while the senders go on with
 * other calls. So every attempt takes a slot before its POST and gives it back once its outcome is recorded.
 */
@Component("bridgeSendSlots")
public class SendSlots {
    private static final String HELD = "bridgeSendSlotHeld";
    private final Semaphore slots;

    public SendSlots(CekuraProperties cekura) {
        this.slots = new Semaphore(cekura.senders(), true);
    }

    /**
     * Before a POST: waits for a free slot (this exchange holds at most one). Whatever way the exchange ends, its slot
     * is given back then at the latest.
     */
    public void take(Exchange exchange) throws InterruptedException {
        if (exchange.getProperty(HELD) == null) {
            slots.acquire();
            exchange.setProperty(HELD, Boolean.TRUE);
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    give(done);
                }
            });
        }
    }

    /** Once the attempt's outcome is recorded (or nothing was sent): the slot is free again. */
    public void give(Exchange exchange) {
        if (exchange.removeProperty(HELD) != null) {
            slots.release();
        }
    }
}
