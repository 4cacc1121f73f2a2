package callbridge.calls;

import callbridge.BridgeConfiguration;
import callbridge.claims.Claims;
import callbridge.claims.PollerErrors;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Closing calls, driven from the store: every poll claims the calls whose grace or idle time is
 * over and completes each; each to be sent goes on to delivery alone, claimed, by its row: a kill between
 * Cekura's 2xx and its record re-sends at most the calls in flight, never a batch.
 * Each call's steps call the completion bean directly: no reflective bean binding per call.
 */
@Component
public class CallRoutes extends RouteBuilder {
    private final CallCompletion completion;

    public CallRoutes(CallCompletion completion) {
        this.completion = completion;
    }

    @Override
    public void configure() {
        from("scheduler:bridge-calls-due?delay={{bridge.calls.poll-interval:100}}&initialDelay=1000")
            .routeId("bridge-calls-due").routeConfigurationId(PollerErrors.ID)
            .description("Claims calls whose gathering time is over")
            .setBody(method("bridgeCallStore", "claimDueCalls({{bridge.calls.claim-batch:200}})"))
            .split(body()).parallelProcessing().executorService(BridgeConfiguration.CALL_WORKERS)
                .to("direct:bridge-calls-complete")
            .end();

        from("scheduler:bridge-retention-purge?delay={{bridge.retention-poll-interval:60000}}&initialDelay={{bridge.retention-initial-delay:30000}}")
            .routeId("bridge-retention-purge").routeConfigurationId(PollerErrors.ID)
            .description("Purges calls finished longer ago than BRIDGE_RETENTION, with their raw events")
            .bean("bridgeRetentionPurge", "purge");

        from("direct:bridge-calls-complete").routeId("bridge-calls-complete")
            .description("Assembles one claimed call into its Cekura payload")
            .errorHandler(noErrorHandler())
            .doTry()
                .process(completion::load).id("load-call")
                .filter(exchangeProperty(CallCompletion.STILL_GATHERING).isNull())   // idle, or events since?
                    // a provider may add to the call before it is assembled (e.g. Verbex fetches its API):
                    // its started direct:bridge-complete-<provider> route, looked up, never a URI built from the name.
                    // The claim is held for the hook's worst case; a hook that starts with `threads` runs on workers of
                    // its own, and the rest of this route goes on there: its waits never take the shared workers.
                    .process(completion::holdForHook).id("hold-for-hook")
                    .enrich().exchange(CompletionHooks::of)
                        .aggregationStrategy("bridgeCallEnrichment")
                    .process(completion::complete).id("assemble-call")
                    .filter(exchangeProperty(CallCompletion.SEND_NOW))
                        .to(ExchangePattern.InOnly, "seda:bridge-delivery-send")   // the claim, still held
                    .end()
                .end()
            .endDoTry()
            .doCatch(Exception.class)
                // tried again later, then a dead letter: never re-claimed forever
                .process(completion::failed).id("completion-failed")
            .end();
    }
}
