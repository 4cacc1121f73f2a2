package callbridge;

import callbridge.store.H2UrlSettings;
import java.time.Clock;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class BridgeConfiguration {

    /** Adds the settings the bridge's SQL needs to any H2 URL (static: it must see the DataSource's properties first). */
    @Bean
    static H2UrlSettings h2UrlSettings() {
        return new H2UrlSettings();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * The {@code callWorkers} thread pool profile: completes and delivers calls in parallel, so one
     * slow Cekura answer does not hold the others back. A Camel profile, not a Spring Executor bean,
     * which would replace the task executor platform-http runs on.
     */
    @Bean
    CamelContextConfiguration callWorkersPool() {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                camel.getExecutorServiceManager().registerThreadPoolProfile(
                        new ThreadPoolProfileBuilder("callWorkers").poolSize(4).maxPoolSize(8).maxQueueSize(1000).build());
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
            }
        };
    }
}
