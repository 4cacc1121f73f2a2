package callbridge.delivery;

import org.apache.camel.LoggingLevel;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DeliveryConfiguration {

    /**
     * Redelivery to Cekura: exponential backoff (×2) from {@code CEKURA_RETRY_INITIAL_DELAY}, ±15 %
     * jitter (collision avoidance), at most {@code CEKURA_RETRY_MAX_ATTEMPTS} attempts, never a wait
     * longer than the window; waits are asynchronous, so no thread sleeps through them.
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
}
