package callbridge.delivery;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import java.util.concurrent.TimeUnit;
import org.apache.camel.LoggingLevel;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DeliveryConfiguration {
    /** Where the adaptive in-flight bound starts: a few POSTs at once, more as soon as Cekura answers them quickly. */
    static final int INITIAL_IN_FLIGHT = 8;

    /**
     * The back-off of retries to Cekura, declared once and computed by Camel: exponential (×2) from
     * {@code CEKURA_RETRY_INITIAL_DELAY}, ±15 % jitter (collision avoidance), at most {@code CEKURA_RETRY_MAX_ATTEMPTS}
     * attempts, never a wait longer than the window. {@link DeliveryPolicy} draws each call's next delay from it; the
     * wait itself is in the store (the call is due again then), so no thread and no exchange waits through it.
     */
    @Bean("bridgeCekuraRedelivery")
    RedeliveryPolicy cekuraRedelivery(CekuraProperties cekura) {
        RedeliveryPolicy policy = new RedeliveryPolicy()
                .maximumRedeliveries(Math.max(0, cekura.retryMaxAttempts() - 1))
                .redeliveryDelay(cekura.retryInitialDelay().toMillis())
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .useCollisionAvoidance()
                .maximumRedeliveryDelay(cekura.deliveryWindow().toMillis())
                .asyncDelayedRedelivery()
                .retriesExhaustedLogLevel(LoggingLevel.DEBUG)
                .retryAttemptedLogLevel(LoggingLevel.DEBUG);
        policy.setLogStackTrace(false);
        policy.setLogExhausted(false);     // the ledger logs one line per outcome instead
        return policy;
    }

    /**
     * How many attempts may be in flight to Cekura (Netflix concurrency-limits' AIMD): +1 for each 2xx while at least
     * half the bound is in use, ×0.9 for each 429, 5xx, 408, timeout, refused connection, or an answer slower than half
     * the response timeout; from {@value #INITIAL_IN_FLIGHT} (or the ceiling, when lower) between 1 and
     * {@code CEKURA_MAX_IN_FLIGHT}.
     */
    @Bean("bridgeCekuraLimit")
    Limit cekuraLimit(CekuraProperties cekura) {
        return AIMDLimit.newBuilder()
                .initialLimit(Math.min(INITIAL_IN_FLIGHT, cekura.maxInFlight()))
                .minLimit(1)
                .maxLimit(cekura.maxInFlight())
                .backoffRatio(0.9)
                .timeout(Math.max(1, cekura.responseTimeout().toMillis() / 2), TimeUnit.MILLISECONDS)
                .build();
    }
}
