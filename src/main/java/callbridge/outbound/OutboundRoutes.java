package callbridge.outbound;

import callbridge.BridgeConfiguration;
import callbridge.calls.PollerErrors;
import callbridge.ingest.WebhookErrors;
import callbridge.ingest.WebhookGuard;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

/**
 * Cekura's auto-outbound Trigger URL: {@code POST /cekura/outbound-trigger} stores the trigger and
 * answers 201 at once; {@code bridge-outbound-triggers-due} claims stored triggers and {@code bridge-outbound-dial}
 * places the call through the provider's API, with redelivery inside the dial window.
 */
@Component
public class OutboundRoutes extends RouteBuilder {
    private final OutboundProperties outbound;
    private final TriggerDialing dialing;

    public OutboundRoutes(OutboundProperties outbound, TriggerDialing dialing) {
        this.outbound = outbound;
        this.dialing = dialing;
    }

    @Override
    public void configure() {
        from("platform-http:/cekura/outbound-trigger?httpMethodRestrict=POST&useStreaming=true")
            .routeId("bridge-outbound-trigger").routeConfigurationId(WebhookErrors.ID)
            .description("Accepts a trigger (CEKURA_TRIGGER_TOKEN), stores it, answers 201; the dial comes after")
            .setProperty(WebhookGuard.PROVIDER, constant("cekura-trigger"))
            .setProperty(WebhookGuard.TOKEN_PROPERTY, constant("cekura.trigger-token"))
            .to("direct:bridge-webhook-accept")
            .setBody(method("bridgeOutboundTriggers", "accept"))
            .removeHeaders("*")
            .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(201))
            .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

        from("scheduler:bridge-outbound-triggers-due?delay={{bridge.outbound.poll-interval:100}}&initialDelay={{bridge.outbound.poll-initial-delay:1000}}")
            .routeId("bridge-outbound-triggers-due").routeConfigurationId(PollerErrors.ID)
            .description("Claims stored triggers due for dialing")
            .setBody(method("bridgeTriggerDialing", "claimDue(50)"))
            .split(body())
                .to(ExchangePattern.InOnly, "seda:bridge-outbound-dial")
            .end();

        if (!outbound.configured()) {
            from("seda:bridge-outbound-dial").routeId("bridge-outbound-dial")
                .description("No OUTBOUND_DIAL_URL: triggers are marked failed")
                .bean("bridgeTriggerDialing", "notConfigured");
        } else {
            String key = outbound.dialApiKey() == null ? "" : outbound.dialApiKey();
            from("seda:bridge-outbound-dial?concurrentConsumers=4").routeId("bridge-outbound-dial")
                .description("Places one trigger's call through the provider API, inside the dial window")
                .errorHandler(deadLetterChannel("direct:bridge-outbound-dial-given-up")
                    .redeliveryPolicyRef("bridgeOutboundRedelivery")
                    .onExceptionOccurred(dialing::failureOccurred)
                    .retryWhile(method(dialing, "retryAllowed"))
                    .onRedelivery(dialing::redelivering))
                .bean("bridgeTriggerDialing", "begin")
                .filter(exchangeProperty(TriggerDialing.STILL_CLAIMED))
                    .removeHeaders("*")
                    .setHeader("Authorization", constant("Bearer " + key))
                    .setHeader("Idempotency-Key", exchangeProperty(TriggerDialing.TRIGGER))
                    .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                    .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                    .to(dialEndpoint())
                    .convertBodyTo(String.class)
                    .bean("bridgeTriggerDialing", "dialed")
                .end();
        }

        from("direct:bridge-outbound-dial-given-up").routeId("bridge-outbound-dial-given-up")
            .description("A trigger given up on: failed (provider refused) or expired (window closed)")
            .bean(dialing, "givenUp");
        // GET /admin/outbound-triggers/{id} is served with the other admin endpoints (admin.AdminRoutes)
    }

    private String dialEndpoint() {
        String url = outbound.dialUrl().toString();
        return url + (url.contains("?") ? "&" : "?") + "connectTimeout=" + outbound.connectTimeout().toMillis()
                + "&responseTimeout=" + outbound.responseTimeout().toMillis() + "&" + BridgeConfiguration.HTTP_NO_RETRIES;
    }

    @Configuration(proxyBeanMethods = false)
    static class OutboundRedelivery {
        /** Dial retries: exponential ×2 from OUTBOUND_RETRY_INITIAL_DELAY, ±15 % jitter, asynchronous waits. */
        @Bean("bridgeOutboundRedelivery")
        RedeliveryPolicy outboundRedelivery(OutboundProperties outbound) {
            RedeliveryPolicy policy = new RedeliveryPolicy()
                    .redeliveryDelay(outbound.retryInitialDelay().toMillis())
                    .useExponentialBackOff().backOffMultiplier(2).useCollisionAvoidance()
                    .maximumRedeliveryDelay(outbound.dialWindow().toMillis())
                    .asyncDelayedRedelivery()
                    .retriesExhaustedLogLevel(LoggingLevel.DEBUG)
                    .retryAttemptedLogLevel(LoggingLevel.DEBUG);
            policy.setLogStackTrace(false);
            policy.setLogExhausted(false);
            return policy;
        }
    }
}
