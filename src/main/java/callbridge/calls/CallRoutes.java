package callbridge.calls;

import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Closing calls, driven from the store: every poll claims the calls whose grace or idle time is
 * over and completes each; those to be sent go straight on to delivery.
 */
@Component
public class CallRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("scheduler:calls-due?delay={{bridge.calls.poll-interval:100}}&initialDelay=1000")
            .routeId("calls-due").routeConfigurationId(PollerErrors.ID)
            .description("Claims calls whose gathering time is over")
            .setBody(method("callStore", "claimDueCalls({{bridge.calls.claim-batch:200}})"))
            .split(body()).parallelProcessing().executorService("callWorkers")
                .to("direct:calls-complete")
            .end();

        from("scheduler:retention-purge?delay={{bridge.retention-poll-interval:60000}}&initialDelay={{bridge.retention-initial-delay:30000}}")
            .routeId("retention-purge").routeConfigurationId(PollerErrors.ID)
            .description("Purges calls finished longer ago than BRIDGE_RETENTION, with their raw events")
            .bean("retentionPurge", "purge");

        from("direct:calls-complete").routeId("calls-complete")
            .description("Assembles one claimed call into its Cekura payload")
            .errorHandler(noErrorHandler())
            .doTry()
                .bean("callCompletion", "load")
                .filter(exchangeProperty(CallCompletion.STILL_GATHERING).isNull())   // idle, or events since?
                    // a provider may add to the call before it is assembled (e.g. Verbex fetches its API)
                    .enrich().simple("direct:complete-${exchangeProperty.bridgeProvider}?block=false&failIfNoConsumers=false")
                        .aggregationStrategy("callEnrichment")
                    .bean("callCompletion", "complete")
                .end()
            .endDoTry()
            .doCatch(Exception.class)
                // tried again later, then a dead letter: never re-claimed forever
                .bean("callCompletion", "failed")
                .setProperty(CallCompletion.DELIVER_NOW, constant(false))
            .end()
            .filter(exchangeProperty(CallCompletion.DELIVER_NOW))
                .to(ExchangePattern.InOnly, "seda:delivery-send")   // the sender owns it from here
            .end();
    }
}
