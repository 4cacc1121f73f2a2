package callbridge.delivery;

import callbridge.LogSafe;
import callbridge.claims.BridgeLiveness;
import callbridge.claims.PollerErrors;
import callbridge.claims.StepError;
import org.apache.camel.ExchangePattern;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sending completed calls to Cekura, one call per POST, many POSTs in flight. Calls arrive claimed: from completion, or
 * from the {@code bridge-deliveries-due} poller for replays, retries and deliveries resumed after a crash; they wait in
 * the store, and the queue between holds at most {@code CEKURA_MAX_IN_FLIGHT} claims (no payloads). Each attempt takes a
 * send slot ({@link SendSlots}: the adaptive in-flight bound, paused by a Retry-After) before its payload is read and
 * gives it back once its outcome is recorded; the POST itself is asynchronous ({@link CekuraPost}), so
 * {@code CEKURA_SENDERS} threads keep many POSTs in flight. Redelivery and the dead-letter channel are declared on the
 * sending route; the store keeps count of every attempt.
 */
@Component
public class DeliveryRoutes extends RouteBuilder {
    /**
     * The queue from completion and the poller to the senders, the same URI everywhere: at most
     * {@code CEKURA_MAX_IN_FLIGHT} claims, and whoever hands over a call waits while it is full.
     */
    public static final String QUEUE = "seda:bridge-delivery-send?size={{cekura.max-in-flight:64}}&blockWhenFull=true";
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryRoutes.class);
    private final CekuraProperties cekura;
    private final DeliveryPolicy policy;
    private final DeliveryLedger ledger;
    private final SendSlots sendSlots;
    private final CekuraPost cekuraPost;
    private final int claimBatch;

    public DeliveryRoutes(CekuraProperties cekura, DeliveryPolicy policy, DeliveryLedger ledger, SendSlots sendSlots,
            CekuraPost cekuraPost, @Value("${bridge.calls.claim-batch:200}") int claimBatch) {
        this.claimBatch = claimBatch;
        this.cekura = cekura;
        this.policy = policy;
        this.ledger = ledger;
        this.sendSlots = sendSlots;
        this.cekuraPost = cekuraPost;
    }

    @Override
    public void configure() {
        from("scheduler:bridge-deliveries-due?delay={{bridge.delivery.poll-interval:250}}&initialDelay=1000&" + BridgeLiveness.POLL_STRATEGY)
            .routeId("bridge-deliveries-due").routeConfigurationId(PollerErrors.ID)
            .description("Claims calls whose delivery is due (window first): replays, retries resumed, deliveries whose sender's lease ran out; only as many as the node can start soon")
            .process(StepError.surviving(e -> e.getMessage().setBody(ledger.claimDue(Math.min(claimBatch, room()))))).id("claim-due-deliveries")
            .split(body())
                .to(ExchangePattern.InOnly, QUEUE)
            .end();

        if (cekura.dryRun()) {
            from(QUEUE).routeId("bridge-delivery-send")
                .description("Dry run: no CEKURA_WEBHOOK_URL, nothing is sent")
                .process(e -> LOG.info("dry run: {} not sent", LogSafe.of(e.getMessage().getBody())));
            return;
        }

        // completion waits here when the queue is full: the calls behind it stay in the store, not in memory
        from(QUEUE + "&concurrentConsumers=" + cekura.senders())
            .routeId("bridge-delivery-send")
            .description("Hands one claimed call to Cekura, with redelivery inside its window")
            .errorHandler(deadLetterChannel("direct:bridge-delivery-dead-letter")
                .redeliveryPolicyRef("bridgeCekuraRedelivery")
                .onExceptionOccurred(policy::failureOccurred)
                .retryWhile(method(policy, "retryAllowed"))
                .onRedelivery(policy::redelivering))
            .process(sendSlots::take).id("take-send-slot")   // adaptive in-flight bound; waits out a Retry-After
            // an Error in the bridge's own steps fails the attempt like a passing fault (the lease resumes the call),
            // instead of ending a sender thread for good
            .process(StepError.surviving(ledger::begin)).id("begin-delivery")   // payload as body; STILL_CLAIMED false if taken over
            .filter(exchangeProperty(DeliveryLedger.STILL_CLAIMED))
                .process(cekuraPost).id("cekura-post")       // asynchronous; non-2xx fails: the error handler decides
                .process(StepError.surviving(ledger::delivered)).id("record-delivered")
                .process(e -> sendSlots.give(e, SendSlots.Outcome.ANSWERED)).id("give-send-slot")
            .end();

        from("direct:bridge-delivery-dead-letter").routeId("bridge-delivery-dead-letter")
            .description("A call given up on becomes a dead letter row, listed at /admin/dead-letters")
            .bean(policy, "deadLettered");
    }

    /** Calls the node can start soon, less the claims already queued for them; the rest wait in the store. */
    private int room() {
        if (cekura.dryRun()) {
            return claimBatch;
        }
        SedaEndpoint queue = getContext().getEndpoint(QUEUE, SedaEndpoint.class);
        return Math.max(0, Math.min(sendSlots.startable() - queue.getCurrentQueueSize(), queue.getQueue().remainingCapacity()));
    }
}
