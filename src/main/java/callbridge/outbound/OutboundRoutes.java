package callbridge.outbound;

import callbridge.claims.BridgeLiveness;
import callbridge.claims.PollerErrors;
import callbridge.claims.StepError;
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
 * Cekura's auto-outbound Trigger URL: {@code POST /cekura/outbound-trigger} checks the credential, takes a token of
 * the rate limit, stores the trigger, hands it to {@code outbound-dial} and answers 201 once the first dial was
 * accepted or {@code OUTBOUND_ANSWER_WAIT} passed. {@code outbound-dial} calls the platform's dial route
 * {@code direct:bridge-dial-<OUTBOUND_PROVIDER>} (a route file), with redelivery inside the dial window;
 * {@code outbound-triggers-due} claims what was stored and not dialed (after a restart, or a lost hand-off).
 */
@Component
public class OutboundRoutes extends RouteBuilder {
    /** The dial queue: the trigger route and the poller hand claimed triggers to it; when full they wait for the poller. */
    static final String DIAL_QUEUE = "seda:bridge-outbound-dial?size=10000";

    private final OutboundProperties outbound;
    private final TriggerDialing dialing;
    private final TriggerGuard guard;
    private final TriggerRateLimit rateLimit;
    private final WebhookGuard webhookGuard;
    private final OutboundTriggers triggers;

    public OutboundRoutes(OutboundProperties outbound, TriggerDialing dialing, TriggerGuard guard, TriggerRateLimit rateLimit,
            WebhookGuard webhookGuard, OutboundTriggers triggers) {
        this.outbound = outbound;
        this.dialing = dialing;
        this.guard = guard;
        this.rateLimit = rateLimit;
        this.webhookGuard = webhookGuard;
        this.triggers = triggers;
    }

    @Override
    public void configure() {
        from("platform-http:{{bridge.trigger.path:/cekura/outbound-trigger}}?httpMethodRestrict=POST&useStreaming=true")
            .routeId(TriggerGuard.ROUTE_ID).routeConfigurationId(WebhookErrors.ID)
            .description("Accepts a trigger (CEKURA_TRIGGER_SECRET), stores it, dials it, answers 201 with the platform's call id")
            .process(guard::authorize).id("authorize-trigger")        // 401, before the rate limit: a wrong secret takes no token
            .process(rateLimit::take).id("rate-limit-trigger")         // 429 + Retry-After, nothing stored
            .process(webhookGuard::parseJsonObject).id("parse-trigger")
            .process(triggers::accept).id("store-trigger")             // durable before any dial
            .filter(exchangeProperty(OutboundTriggers.HAND_OFF))
                .removeHeaders("*")
                .to(ExchangePattern.InOnly, DIAL_QUEUE + "&discardWhenFull=true").id("hand-off-trigger")
            .end()
            .process(exchange -> exchange.getMessage().setBody(triggers.answer(exchange))).id("await-first-dial")
            .removeHeaders("*")
            .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(201))
            .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

        from("scheduler:bridge-outbound-triggers-due?delay={{bridge.outbound.poll-interval:100}}&initialDelay={{bridge.outbound.poll-initial-delay:1000}}&"
                + BridgeLiveness.POLL_STRATEGY)
            .routeId("bridge-outbound-triggers-due").routeConfigurationId(PollerErrors.ID)
            .description("Claims stored triggers due for dialing")
            .process(StepError.surviving(e -> e.getMessage().setBody(dialing.claimDue(50)))).id("claim-due-triggers")
            .split(body())
                .to(ExchangePattern.InOnly, DIAL_QUEUE + "&discardWhenFull=true")
            .end();

        String provider = outbound.effectiveProvider();
        if (provider == null) {
            from(DIAL_QUEUE).routeId("bridge-outbound-dial")
                .description("No OUTBOUND_PROVIDER (or OUTBOUND_DIAL_URL): triggers are marked failed")
                .bean("bridgeTriggerDialing", "notConfigured");
        } else {
            from(DIAL_QUEUE + "&concurrentConsumers={{bridge.outbound.dialers:16}}").routeId("bridge-outbound-dial")
                .autoStartup("{{bridge.outbound.dial-autostart:true}}")
                .description("Places one trigger's call through direct:bridge-dial-" + provider + ", inside the dial window")
                .errorHandler(deadLetterChannel("direct:bridge-outbound-dial-given-up")
                    .redeliveryPolicyRef("bridgeOutboundRedelivery")
                    .onExceptionOccurred(dialing::failureOccurred)
                    .retryWhile(method(dialing, "retryAllowed"))
                    .onRedelivery(dialing::redelivering))
                .process(dialing::begin).id("begin-dial")             // the trigger's facts as properties; STILL_CLAIMED false if taken over
                .filter(exchangeProperty(TriggerDialing.STILL_CLAIMED))
                    .removeHeaders("*")
                    .to("direct:bridge-dial-" + provider).id("dial")          // the platform's route file; OUTBOUND_PROVIDER, fixed at start
                    .process(dialing::dialed).id("record-dialed")
                .end();
        }

        from("direct:bridge-outbound-dial-given-up").routeId("bridge-outbound-dial-given-up")
            .description("A trigger given up on: failed (platform refused) or expired (window closed)")
            .bean(dialing, "givenUp");
        // GET /admin/outbound-triggers/{id} is served with the other admin endpoints (admin.AdminRoutes)
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
