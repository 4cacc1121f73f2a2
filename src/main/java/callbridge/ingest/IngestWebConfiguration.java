package callbridge.ingest;

import org.apache.camel.CamelContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
class IngestWebConfiguration {

    /** Applies the body limit (and 503 until the routes are up) to every endpoint that takes a body from outside. */
    @Bean
    FilterRegistrationBean<WebhookBodyFilter> bridgeWebhookBodyFilter(IngestProperties properties, CamelContext camel) {
        var registration = new FilterRegistrationBean<>(new WebhookBodyFilter(properties.maxBodySize().toBytes(), camel::isStarted));
        registration.addUrlPatterns("/webhooks/*", "/cekura/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
