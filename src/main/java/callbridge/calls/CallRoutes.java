package callbridge.calls;

import callbridge.BridgeConfiguration;
import callbridge.claims.BridgeLiveness;
import callbridge.claims.PollerErrors;
import callbridge.claims.StepError;
import callbridge.delivery.DeliveryRoutes;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.beans.factory.annotation.Value;
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
    private final CallStore store;
    private final RetentionPurge retention;
    private final int claimBatch;

    public CallRoutes(CallCompletion completion, CallStore store, RetentionPurge retention,
            @Value("${bridge.calls.claim-batch:200}") int claimBatch) {
        this.completion = completion;
        this.store = store;
        this.retention = retention;
        this.claimBatch = claimBatch;
    }

    @Override
    public void configure() {
        // an Error in a step is the route's failure like any other (StepError); each poll reports to bridgeLiveness
        from("scheduler:bridge-calls-due?delay={{bridge.calls.poll-interval:100}}&initialDelay=1000&" + BridgeLiveness.POLL_STRATEGY)
            .routeId("bridge-calls-due").routeConfigurationId(PollerErrors.ID)
            .description("Claims calls whose gathering time is over")
            .process(StepError.surviving(e -> e.getMessage().setBody(store.claimDueCalls(claimBatch)))).id("claim-due-calls")
            .split(body()).parallelProcessing().executorService(BridgeConfiguration.CALL_WORKERS)
                .to("direct:bridge-calls-complete")
            .end();

        from("scheduler:bridge-retention-purge?delay={{bridge.retention-poll-interval:60000}}&initialDelay={{bridge.retention-initial-delay:30000}}&"
                + BridgeLiveness.POLL_STRATEGY)
            .routeId("bridge-retention-purge").routeConfigurationId(PollerErrors.ID)
            .description("Purges calls finished longer ago than BRIDGE_RETENTION, with their raw events")
            .process(StepError.surviving(e -> e.getMessage().setBody(retention.purge()))).id("purge");

        from("direct:bridge-calls-complete").routeId("bridge-calls-complete")
            .description("Assembles one claimed call into its Cekura payload")
            .errorHandler(noErrorHandler())
            .doTry()
                // the call's parsed size is taken from the node's assembly budget first: a call that does not fit waits
                // in the store (put back, claimed again a moment later), never in memory
                .process(StepError.surviving(completion::load)).id("load-call")
                .filter(completion::assembleNow)   // idle, or events since? waiting for memory?
                    // a provider may add to the call before it is assembled (e.g. Verbex fetches its API):
                    // its started direct:bridge-complete-<provider> route, looked up, never a URI built from the name.
                    // The claim is held for the hook's worst case; a hook that starts with `threads` runs on workers of
                    // its own, and the rest of this route goes on there: its waits never take the shared workers.
                    .process(StepError.surviving(completion::holdForHook)).id("hold-for-hook")
                    .enrich().exchange(CompletionHooks::of)
                        .aggregationStrategy("bridgeCallEnrichment")
                    .process(StepError.surviving(completion::complete)).id("assemble-call")
                    .filter(exchangeProperty(CallCompletion.SEND_NOW))
                        .to(DeliveryRoutes.HAND_OVER)   // the claim, still held: to a sender now, or left due in the store
                    .end()
                .end()
            .endDoTry()
            .doCatch(Exception.class)
                // tried again later, then a dead letter: never re-claimed forever (an Error of the JVM: put back, not counted)
                .process(completion::failed).id("completion-failed")
            .doFinally()
                .process(completion::releaseMemory).id("release-assembly-memory")
            .end();
    }
}
