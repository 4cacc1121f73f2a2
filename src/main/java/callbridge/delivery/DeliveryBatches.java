package callbridge.delivery;

import callbridge.LogSafe;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Several calls in one POST: Cekura's format takes a {@code calls} list, and one request, one answer
 * and one ledger commit for a poll's worth of completed calls cost far less than one each. A batch is
 * attempt 1 of each of its calls; if it fails, every call goes on alone (attempt 2 onwards: redelivery,
 * window, dead letters), so one call Cekura refuses never takes the others with it.
 */
@Component("deliveryBatches")
public class DeliveryBatches {
    /** Exchange property: the {@link ReadyDelivery} list a batch request carries. */
    public static final String BATCH = "bridgeDeliveryBatch";
    /** Exchange property: Cekura answered the batch with a 2xx. */
    public static final String SENT = "bridgeBatchSent";
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryBatches.class);

    private final CekuraProperties cekura;
    private final ObjectMapper json;
    private final DeliveryLedger ledger;
    private final DeliveryPolicy policy;
    private final MeterRegistry metrics;
    private final Clock clock;

    public DeliveryBatches(CekuraProperties cekura, ObjectMapper json, DeliveryLedger ledger, DeliveryPolicy policy,
            MeterRegistry metrics, Clock clock) {
        this.cekura = cekura;
        this.json = json;
        this.ledger = ledger;
        this.policy = policy;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The ready calls in batches of at most {@code CEKURA_BATCH_MAX}. */
    public List<List<ReadyDelivery>> chunks(List<?> ready) {
        List<List<ReadyDelivery>> chunks = new ArrayList<>();
        List<ReadyDelivery> chunk = new ArrayList<>();
        for (Object item : ready) {
            if (item instanceof ReadyDelivery delivery) { // a poll that claimed nothing leaves its empty claim list
                chunk.add(delivery);
                if (chunk.size() == cekura.batchMax()) {
                    chunks.add(chunk);
                    chunk = new ArrayList<>();
                }
            }
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        return chunks;
    }

    /** The request body: one envelope with every call of the batch, each exactly as recorded for it alone. */
    public void envelope(Exchange exchange) throws Exception {
        @SuppressWarnings("unchecked")
        List<ReadyDelivery> batch = exchange.getMessage().getMandatoryBody(List.class);
        exchange.setProperty(BATCH, batch);
        exchange.getMessage().setBody(json.writeValueAsString(
                new CekuraCall.Envelope(cekura.agentId(), batch.stream().map(ReadyDelivery::call).toList())));
    }

    /**
     * The batch failed: attempt 1 of each of its calls, recorded; each is then sent alone by the
     * {@code deliveries-due} poller after the first retry delay (or Cekura's Retry-After), at once when
     * Cekura refused the batch (a 4xx: which call it objects to shows when each goes alone). If Cekura
     * had answered 2xx and recording that failed, nothing is changed: the calls' leases run out and
     * they are resumed, as after a crash.
     */
    public void failed(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<ReadyDelivery> batch = exchange.getProperty(BATCH, List.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (batch == null || exchange.getProperty(SENT, false, Boolean.class)) {
            LOG.error("recording a batch Cekura took failed; its calls resume when their lease runs out: {}", LogSafe.of(cause));
            return;
        }
        HttpFailure failure = HttpFailure.of(cause);
        Duration wait = policy.firstRetryDelay(cause);
        ledger.batchFailed(batch, failure.status(), failure.detail(), clock.instant().plus(wait));
        metrics.counter("bridge.delivery.batches", "outcome", "split").increment();
        LOG.warn("call batch failed, each call goes alone calls={} detail={} retryInMs={}", batch.size(), LogSafe.of(failure.detail()), wait.toMillis());
    }
}
