package callbridge.ingest;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The shared building blocks provider routes call:
 * {@code direct:webhook-accept} (credential, raw body, JSON) and
 * {@code direct:ingest-event} (canonical event stored durably and deduplicated, then answered).
 * Both let failures through to the calling route's {@code webhook-errors} configuration.
 */
@Component
public class IngestRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:webhook-accept").routeId("webhook-accept")
            .description("Checks the provider's token, keeps the raw bytes, parses the JSON object")
            .errorHandler(noErrorHandler())
            .bean("webhookGuard", "authorize")
            .bean("webhookGuard", "parseJsonObject");

        from("direct:signed-webhook-accept").routeId("signed-webhook-accept")
            .description("Verifies a Standard Webhooks signature over the raw bytes, then parses the JSON object")
            .errorHandler(noErrorHandler())
            .bean("webhookGuard", "keepRawBody")
            .bean("standardWebhooks", "verify")
            .bean("webhookGuard", "parseJsonObject");

        from("direct:ingest-event").routeId("ingest-event")
            .description("Stores a canonical event durably (once per dedupe key), then answers 200")
            .errorHandler(noErrorHandler())
            .setProperty(EventKeys.DEDUPE_KEY, method("eventKeys", "dedupeKey"))
            .idempotentConsumer(exchangeProperty(EventKeys.DEDUPE_KEY))
                .idempotentRepository("eventJournal")
                .skipDuplicate(false)
                .removeOnFailure(false)
                .bean("ingestMetrics", "received")
            .end()
            .removeHeaders("*")
            .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(200))
            .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
            .setBody(method("ingestMetrics", "answer"));
    }
}
