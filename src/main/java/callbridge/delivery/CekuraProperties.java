package callbridge.delivery;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where and how calls go to Cekura: {@code CEKURA_WEBHOOK_URL}, {@code CEKURA_API_KEY},
 * {@code CEKURA_AGENT_ID}, {@code CEKURA_DELIVERY_WINDOW}, {@code CEKURA_RETRY_INITIAL_DELAY},
 * {@code CEKURA_RETRY_MAX_ATTEMPTS}, {@code CEKURA_CONNECT_TIMEOUT}, {@code CEKURA_RESPONSE_TIMEOUT},
 * {@code CEKURA_SENDERS}, {@code CEKURA_MAX_IN_FLIGHT}, {@code CEKURA_BATCH_MAX}, {@code CEKURA_MESSAGE_TIMES}.
 *
 * @param webhookUrl        unset: dry run, payloads recorded in the store and not sent
 * @param agentId           the POST's {@code agent_id}; unset, it is left out, which Cekura takes only for calls that
 *                          carry a {@code run_id} (see {@link CekuraCall.Envelope#of})
 * @param deliveryWindow    Cekura listens this long after the bridge received a call's end
 * @param connectTimeout    connecting to Cekura
 * @param responseTimeout   waiting for Cekura's answer
 * @param senders           threads that take claimed calls from the queue and start their POST ({@code CEKURA_SENDERS});
 *                          they wait for no answer (the POST is asynchronous), so two are plenty. Until issue 32 it
 *                          was the in-flight bound: that is now {@code maxInFlight}
 * @param maxInFlight       the ceiling of the adaptive in-flight bound ({@code CEKURA_MAX_IN_FLIGHT}): POSTs between
 *                          their sending and the record of their outcome on disk
 * @param batchMax          the most calls in one POST ({@code CEKURA_BATCH_MAX}); batches form only while calls wait
 *                          (a backlog, retries): a call that finds a free sender goes alone at once. A kill -9 may send
 *                          twice at most {@code maxInFlight × batchMax} calls (Cekura's 2xx came, its record had not
 *                          reached the disk)
 * @param messageTimes      {@code epoch-ms} or {@code seconds-from-start} ({@link CekuraMessageTimes}); another value
 *                          stops the start
 */
@ConfigurationProperties("cekura")
public record CekuraProperties(
        URI webhookUrl,
        String apiKey,
        Integer agentId,
        @DefaultValue("5m") Duration deliveryWindow,
        @DefaultValue("1s") Duration retryInitialDelay,
        @DefaultValue("8") int retryMaxAttempts,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("20s") Duration responseTimeout,
        @DefaultValue("2") int senders,
        @DefaultValue("64") int maxInFlight,
        @DefaultValue("10") int batchMax,
        @DefaultValue("epoch-ms") String messageTimes) {

    public CekuraProperties {
        if (senders < 1) {
            throw new CekuraSettingsException("CEKURA_SENDERS is " + senders + ": it must be 1 or more");
        }
        if (maxInFlight < 1) {
            throw new CekuraSettingsException("CEKURA_MAX_IN_FLIGHT is " + maxInFlight + ": it must be 1 or more");
        }
        if (batchMax < 1) {
            throw new CekuraSettingsException("CEKURA_BATCH_MAX is " + batchMax + ": it must be 1 or more");
        }
        CekuraMessageTimes.of(messageTimes);
    }

    public CekuraMessageTimes messageTimeUnit() {
        return CekuraMessageTimes.of(messageTimes);
    }

    /** How long a node owns a call it is sending: one attempt's worst case, and a margin. */
    public Duration sendLease() {
        return connectTimeout.plus(responseTimeout).plusSeconds(5);
    }

    public boolean dryRun() {
        return webhookUrl == null || webhookUrl.toString().isBlank();
    }
}
