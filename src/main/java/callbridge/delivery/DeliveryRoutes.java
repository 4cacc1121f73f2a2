package callbridge.delivery;

import callbridge.calls.PollerErrors;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Sending completed calls to Cekura with camel-http. A call arrives here claimed; every attempt is
 * counted in the store first. Retries are due times in the store, picked up by {@code deliveries-due}.
 */
@Component
public class DeliveryRoutes extends RouteBuilder {
    private final CekuraProperties cekura;

    public DeliveryRoutes(CekuraProperties cekura) {
        this.cekura = cekura;
    }

    @Override
    public void configure() {
        from("scheduler:deliveries-due?delay={{bridge.delivery.poll-interval:250}}&initialDelay=1000")
            .routeId("deliveries-due").routeConfigurationId(PollerErrors.ID)
            .description("Claims calls whose next delivery attempt is due")
            .setBody(method("deliveryLedger", "claimDue({{bridge.calls.claim-batch:200}})"))
            .split(body()).parallelProcessing().executorService("callWorkers")
                .to("direct:delivery-send")
            .end();

        if (cekura.dryRun()) {
            from("direct:delivery-send").routeId("delivery-send")
                .description("Dry run: no CEKURA_WEBHOOK_URL, nothing is sent")
                .log("dry run: ${body} not sent");
            return;
        }

        from("direct:delivery-send").routeId("delivery-send")
            .description("One attempt to hand a call to Cekura")
            .errorHandler(noErrorHandler())
            .bean("deliveryLedger", "beginAttempt")
            .removeHeaders("*")
            .setHeader("X-CEKURA-API-KEY", constant(cekura.apiKey() == null ? "" : cekura.apiKey()))
            .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
            .setHeader(Exchange.HTTP_METHOD, constant("POST"))
            .doTry()
                .to(cekuraEndpoint())
                .bean("deliveryLedger", "answered")
            .doCatch(IOException.class)
                .bean("deliveryLedger", "unreachable")
            .end();
    }

    private String cekuraEndpoint() {
        String url = cekura.webhookUrl().toString();
        return url + (url.contains("?") ? "&" : "?")
                + "throwExceptionOnFailure=false"
                + "&connectTimeout=" + cekura.connectTimeout().toMillis()
                + "&responseTimeout=" + cekura.responseTimeout().toMillis();
    }
}
