package callbridge.delivery;

import callbridge.BridgeConfiguration;
import callbridge.LogSafe;
import callbridge.claims.BridgeLiveness;
import callbridge.claims.PollerErrors;
import callbridge.claims.StepError;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sending completed calls to Cekura with camel-http, one call per POST. Calls arrive claimed: from completion,
 * or from the {@code bridge-deliveries-due} poller for replays, retries and deliveries resumed after a crash. Redelivery and
 * the dead-letter channel are declared on the sending route; the store keeps count of every attempt.
 */
@Component
public class DeliveryRoutes extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryRoutes.class);
    private final CekuraProperties cekura;
    private final DeliveryPolicy policy;
    private final DeliveryLedger ledger;
    private final SendSlots sendSlots;
    private final int claimBatch;

    public DeliveryRoutes(CekuraProperties cekura, DeliveryPolicy policy, DeliveryLedger ledger, SendSlots sendSlots,
            @Value("${bridge.calls.claim-batch:200}") int claimBatch) {
        this.claimBatch = claimBatch;
        this.cekura = cekura;
        this.policy = policy;
        this.ledger = ledger;
        this.sendSlots = sendSlots;
    }

    @Override
    public void configure() {
        from("scheduler:bridge-deliveries-due?delay={{bridge.delivery.poll-interval:250}}&initialDelay=1000&" + BridgeLiveness.POLL_STRATEGY)
            .routeId("bridge-deliveries-due").routeConfigurationId(PollerErrors.ID)
            .description("Claims calls whose delivery is due: replays, and deliveries whose sender's lease ran out")
            .process(StepError.surviving(e -> e.getMessage().setBody(ledger.claimDue(claimBatch)))).id("claim-due-deliveries")
            .split(body())
                .to(ExchangePattern.InOnly, "seda:bridge-delivery-send")
            .end();

        if (cekura.dryRun()) {
            from("seda:bridge-delivery-send").routeId("bridge-delivery-send")
                .description("Dry run: no CEKURA_WEBHOOK_URL, nothing is sent")
                .process(e -> LOG.info("dry run: {} not sent", LogSafe.of(e.getMessage().getBody())));
            return;
        }

        from("seda:bridge-delivery-send?size=10000&blockWhenFull=true&concurrentConsumers=" + cekura.senders())
            .routeId("bridge-delivery-send")
            .description("Hands one claimed call to Cekura, with redelivery inside its window")
            .errorHandler(deadLetterChannel("direct:bridge-delivery-dead-letter")
                .redeliveryPolicyRef("bridgeCekuraRedelivery")
                .onExceptionOccurred(policy::failureOccurred)
                .retryWhile(method(policy, "retryAllowed"))
                .onRedelivery(policy::redelivering))
            // an Error in the bridge's own steps fails the attempt like a passing fault (the lease resumes the call),
            // instead of ending a sender thread for good
            .process(StepError.surviving(ledger::begin)).id("begin-delivery")   // payload as body; STILL_CLAIMED false if taken over
            .filter(exchangeProperty(DeliveryLedger.STILL_CLAIMED))
                .process(sendSlots::take).id("take-send-slot")   // CEKURA_SENDERS attempts between POST and record
                .process(this::cekuraRequest).id("cekura-request")
                .to(cekuraEndpoint())                       // non-2xx throws: the error handler decides
                .process(StepError.surviving(ledger::delivered)).id("record-delivered")
                .process(sendSlots::give).id("give-send-slot")
            .end();

        from("direct:bridge-delivery-dead-letter").routeId("bridge-delivery-dead-letter")
            .description("A call given up on becomes a dead letter row, listed at /admin/dead-letters")
            .bean(policy, "deadLettered");
    }

    /** The request Cekura expects, whatever headers the exchange carried in: its API key, JSON, POST. */
    private void cekuraRequest(Exchange exchange) {
        Message request = exchange.getMessage();
        request.getHeaders().clear();
        request.setHeader("X-CEKURA-API-KEY", cekura.apiKey() == null ? "" : cekura.apiKey());
        request.setHeader(Exchange.CONTENT_TYPE, "application/json");
        request.setHeader(Exchange.HTTP_METHOD, "POST");
    }

    private String cekuraEndpoint() {
        String url = cekura.webhookUrl().toString();
        return url + (url.contains("?") ? "&" : "?")
                + "connectTimeout=" + cekura.connectTimeout().toMillis()
                + "&responseTimeout=" + cekura.responseTimeout().toMillis()
                + "&" + BridgeConfiguration.HTTP_NO_RETRIES;
    }
}
