package callbridge;

import java.time.Clock;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class BridgeConfiguration {
    /** The bridge's time ({@code @Qualifier(BridgeConfiguration.CLOCK)}): never offered to, nor taken from, the application. */
    public static final String CLOCK = "bridgeClock";
    /** The thread pool profile that completes and delivers calls. */
    public static final String CALL_WORKERS = "bridgeCallWorkers";
    /** Endpoint option of every HTTP endpoint the bridge calls (Cekura, a dial API, a provider's API). */
    public static final String HTTP_NO_RETRIES = "httpClientConfigurer=#bridgeHttpNoRetries";

    /**
     * Not a default candidate: a host's own {@code Clock} bean stays the only one its code gets by type. A host gives
     * the bridge another time with a bean of its own named {@value #CLOCK} (not a default candidate either).
     */
    @Bean(defaultCandidate = false)
    @ConditionalOnMissingBean(name = CLOCK)
    @Qualifier(CLOCK)
    Clock bridgeClock() {
        return Clock.systemUTC();
    }

    /**
     * Every attempt to Cekura, a dial API or a provider's API is one the bridge counts and schedules itself:
     * HttpClient's own silent retries of 503/429 and IO errors are off, on the bridge's endpoints only
     * ({@link #HTTP_NO_RETRIES}); the application's http component keeps its settings.
     */
    @Bean
    HttpClientConfigurer bridgeHttpNoRetries() {
        return builder -> builder.disableAutomaticRetries();
    }

    /**
     * The {@code bridgeCallWorkers} thread pool profile: completes and delivers calls in parallel, so one
     * slow Cekura answer does not hold the others back. A Camel profile, not a Spring Executor bean,
     * which would replace the task executor platform-http runs on.
     */
    @Bean
    CamelContextConfiguration bridgeCallWorkersPool() {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                camel.getExecutorServiceManager().registerThreadPoolProfile(
                        new ThreadPoolProfileBuilder(CALL_WORKERS).poolSize(4).maxPoolSize(8).maxQueueSize(1000).build());
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
            }
        };
    }
}
