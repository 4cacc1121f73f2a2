package callbridge.ingest;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import java.util.List;
import org.apache.camel.CamelContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
class IngestWebConfiguration {

    /**
     * The body limits, read deadline, method check and early credential check ({@link RequestBodyFilter}) on every
     * path of the bridge's own routes ({@code BRIDGE_INGEST_GUARDED_PATHS}), never on a host application's other paths
     * unless it says so; standalone, on every path. REQUEST and ASYNC dispatches: a body read without blocking goes on
     * in an async dispatch. In a host, a request on a covered path that no route of the bridge serves (the host's own
     * {@code /webhooks/...} controller, a switched-off feature's path) passes untouched ({@code BRIDGE_INGEST_REFUSE_OTHER_BODIES}).
     */
    @Bean
    FilterRegistrationBean<RequestBodyFilter> bridgeRequestBodyFilter(IngestProperties properties, CamelContext camel,
            List<EarlyCredentialCheck> earlyChecks, RefusedWebhooks refused, MeterRegistry registry, Environment environment) {
        var filter = new RequestBodyFilter(properties.maxBodySize().toBytes(), properties.bodyReadTimeout(), camel::isStarted,
                new RouteEndpoints(camel), earlyChecks, refused,
                properties.maxBufferedBodies().toBytes(), properties.refuseOtherBodies());
        Gauge.builder("bridge.ingest.bodies.arriving", filter, RequestBodyFilter::bufferedBytes)
                .description("Bytes of request bodies still arriving, held in memory (bounded by BRIDGE_INGEST_MAX_BUFFERED_BODIES)")
                .baseUnit("bytes").register(registry);
        var registration = new FilterRegistrationBean<>(filter);
        registration.setUrlPatterns(properties.guardedPaths() != null && !properties.guardedPaths().isEmpty()
                ? properties.guardedPaths() : bridgePaths(environment));
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
        registration.setAsyncSupported(true);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /** The URL patterns of the bridge's own paths, from its base paths (a switched-off feature's path is let through). */
    static List<String> bridgePaths(Environment environment) {
        String webhooks = trimmed(environment.getProperty("bridge.webhooks.base-path", "/webhooks"));
        String admin = trimmed(environment.getProperty("bridge.admin.base-path", "/admin"));
        return List.of(webhooks + "/*", environment.getProperty("bridge.trigger.path", "/cekura/outbound-trigger"), admin, admin + "/*");
    }

    private static String trimmed(String basePath) {
        return basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
    }
}
