package callbridge.delivery;

import callbridge.LogSafe;
import callbridge.claims.BridgeLiveness;
import callbridge.claims.PollerErrors;
import callbridge.claims.StepError;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sending completed calls to Cekura, many POSTs in flight, several calls a POST while a backlog stands. Calls arrive
 * claimed: one at a time from completion, or in batches from the {@code bridge-deliveries-due} poller (retries,
 * replays, calls that waited for room, deliveries whose sender's lease ran out). The queue between holds claims, no
 * payloads, and is handed only what the node can start soon: whatever finds no room waits in the store, so nobody ever
 * waits for the queue. Each POST takes a send slot ({@link SendSlots}: the adaptive in-flight bound, paused by a
 * Retry-After) before its payloads are read and gives it back once its outcome is recorded; the POST itself is
 * asynchronous ({@link CekuraPost}), so {@code CEKURA_SENDERS} threads keep many POSTs in flight. A failed POST goes to
 * the dead-letter channel, where {@link DeliveryPolicy} schedules each call's retry in the store or dead-letters it.
 */
@Component
public class DeliveryRoutes extends RouteBuilder {
    /** Where completion and the poller hand claimed calls over: to the senders if they can start them soon, else the store. */
    public static final String HAND_OVER = "direct:bridge-delivery-hand-over";
    /** The senders' queue; full, it refuses at once (nobody waits): the hand-over leaves the calls in the store. */
    static final String QUEUE = "seda:bridge-delivery-send?size={{cekura.max-in-flight:64}}";
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryRoutes.class);
    private final CekuraProperties cekura;
    private final DeliveryPolicy policy;
    private final DeliveryLedger ledger;
    private final SendSlots sendSlots;
    private final CekuraPost cekuraPost;
    private final int claimBatch;
    /**
     * Calls wait in the store for room (as far as this node knows): a completed call then waits behind them, so that
     * under a backlog the calls whose window closes first go first, not the ones that happen to end when a slot frees.
     */
    private final AtomicBoolean backlog = new AtomicBoolean();

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
            .description("Claims calls whose delivery is due (window first), in batches of up to CEKURA_BATCH_MAX: retries, replays, calls that waited for room, deliveries whose sender's lease ran out; only as many POSTs as the node can start soon")
            .process(StepError.surviving(e -> e.getMessage().setBody(claimDue()))).id("claim-due-deliveries")
            .split(body())
                .to("direct:bridge-delivery-enqueue")
            .end();

        from(HAND_OVER).routeId("bridge-delivery-hand-over")
            .description("Queues a completed call for the senders when the node can start it soon and no call waits before it; otherwise it waits in the store, due, for bridge-deliveries-due (window first)")
            .errorHandler(noErrorHandler())   // a store fault is the caller's, whose claims' leases then run out
            .choice()
                .when(e -> !backlog.get() && room() > 0)
                    .to("direct:bridge-delivery-enqueue")
                .otherwise()
                    .process(this::leaveDue).id("leave-due-no-room")
            .end();

        from("direct:bridge-delivery-enqueue").routeId("bridge-delivery-enqueue")
            .description("Puts claimed calls on the senders' queue, or back in the store if it filled meanwhile")
            .errorHandler(noErrorHandler())
            .doTry()
                .to(ExchangePattern.InOnly, QUEUE)
            .doCatch(IllegalStateException.class)   // the seda queue is full (never waited for)
                .process(this::leaveDue).id("leave-due-queue-full")
            .end();

        if (cekura.dryRun()) {
            from(QUEUE).routeId("bridge-delivery-send")
                .description("Dry run: no CEKURA_WEBHOOK_URL, nothing is sent")
                .process(e -> LOG.info("dry run: {} not sent", LogSafe.of(e.getMessage().getBody())));
            return;
        }

        from(QUEUE + "&concurrentConsumers=" + cekura.senders())
            .routeId("bridge-delivery-send")
            .description("Hands claimed calls to Cekura in one POST; a failure goes to the dead-letter channel, which schedules each call's retry in the store or dead-letters it")
            .errorHandler(deadLetterChannel("direct:bridge-delivery-failed")
                .logExhausted(false).logStackTrace(false))
            .process(sendSlots::take).id("take-send-slot")   // adaptive in-flight bound; waits out a Retry-After
            // an Error in the bridge's own steps fails the attempt like a passing fault (the lease resumes the calls),
            // instead of ending a sender thread for good
            .process(StepError.surviving(ledger::begin)).id("begin-delivery")   // the POST's body; STILL_CLAIMED false if none is left
            .filter(exchangeProperty(DeliveryLedger.STILL_CLAIMED))
                .process(cekuraPost).id("cekura-post")       // asynchronous; non-2xx fails: the dead-letter channel decides
                .process(StepError.surviving(ledger::delivered)).id("record-delivered")
                .process(e -> sendSlots.give(e, SendSlots.Outcome.ANSWERED)).id("give-send-slot")
            .end();

        from("direct:bridge-delivery-failed").routeId("bridge-delivery-failed")
            .description("A failed POST: each of its calls waits in the store for its retry (back-off or Retry-After, inside its window), is sent alone if Cekura refused the batch, or becomes a dead letter listed at /admin/dead-letters")
            .process(policy::failed).id("decide-after-failure");
    }

    /**
     * Claims due calls for the POSTs the node can start soon. Fewer than those POSTs could carry means no due call is
     * left in the store: the backlog is gone, and completed calls may go straight to the senders again.
     */
    private List<DeliveryBatch> claimDue() {
        int posts = Math.min(claimBatch, room());
        List<DeliveryBatch> batches = ledger.claimDue(posts);
        if (posts > 0 && batches.stream().mapToInt(batch -> batch.claims().size()).sum() < posts * cekura.batchMax()) {
            backlog.set(false);
        }
        return batches;
    }

    /** Calls wait in the store now: until the poller has claimed them all, completed calls queue up behind them there. */
    private void leaveDue(Exchange exchange) {
        backlog.set(true);
        ledger.leaveDue(exchange);
    }

    /** POSTs the node can start soon, less those already queued for them; the rest wait in the store. */
    private int room() {
        if (cekura.dryRun()) {
            return claimBatch;
        }
        SedaEndpoint queue = getContext().getEndpoint(QUEUE, SedaEndpoint.class);
        return Math.max(0, Math.min(sendSlots.startable() - queue.getCurrentQueueSize(), queue.getQueue().remainingCapacity()));
    }
}
