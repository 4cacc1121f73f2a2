package callbridge.ingest;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The shared building blocks provider routes call:
 * {@code direct:bridge-webhook-accept} (credential, raw body, JSON) and
 * {@code direct:bridge-ingest-event} (canonical event stored durably and deduplicated, then answered).
 * Both let failures through to the calling route's {@code bridge-webhook-errors} configuration.
 * The steps call the beans directly: this is every webhook's path, so no reflective bean binding.
 */
@Component
public class IngestRoutes extends RouteBuilder {
    private final WebhookGuard guard;
    private final StandardWebhooksGuard standardWebhooks;
    private final EventKeys keys;
    private final EventJournal journal;
    private final IngestMetrics metrics;
    private final CallBounds callBounds;

    public IngestRoutes(WebhookGuard guard, StandardWebhooksGuard standardWebhooks, EventKeys keys, EventJournal journal,
            IngestMetrics metrics, CallBounds callBounds) {
        this.guard = guard;
        this.standardWebhooks = standardWebhooks;
        this.keys = keys;
        this.journal = journal;
        this.metrics = metrics;
        this.callBounds = callBounds;
    }

    @Override
    public void configure() {
        from("direct:bridge-webhook-accept").routeId("bridge-webhook-accept")
            .description("Checks the provider's token, keeps the raw bytes, parses the JSON object")
            .errorHandler(noErrorHandler())
            .process(guard::authorize).id("authorize")
            .process(guard::parseJsonObject).id("parse-json");

        from("direct:bridge-signed-webhook-accept").routeId("bridge-signed-webhook-accept")
            .description("Verifies a Standard Webhooks signature over the raw bytes, then parses the JSON object")
            .errorHandler(noErrorHandler())
            .process(guard::keepRawBody).id("keep-raw-body")
            .process(standardWebhooks::verify).id("verify-signature")
            .process(guard::parseJsonObject).id("parse-signed-json");

        from("direct:bridge-ingest-event").routeId("bridge-ingest-event")
            .description("Stores a canonical event durably (once per dedupe key), then answers 200")
            .errorHandler(noErrorHandler())
            .process("bridgeEventValidator").id("validate-event")   // too long for the store, or a control character → 400
            .process(exchange -> exchange.setProperty(EventKeys.DEDUPE_KEY, keys.dedupeKey(exchange))).id("dedupe-key")
            .process(journal::append).id("store-event")           // committed and on disk before any answer
            .process(metrics::received).id("count-event")
            .filter(exchangeProperty(EventJournal.OUTCOME).isEqualTo(AppendOutcome.OVER_LIMIT))
                .process(callBounds::refuse).id("refuse-beyond-call-bounds")   // 422, the call goes out as it is
            .end()
            .filter(exchangeProperty(EventJournal.OUTCOME).isEqualTo(AppendOutcome.TOO_LARGE))
                .process(callBounds::refuseTooLarge).id("refuse-too-large")   // 422, nothing written
            .end()
            .removeHeaders("*")
            .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(200))
            .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
            .setHeader(Exchange.HTTP_CHUNKED, constant(false))   // Content-Length: one write, no closing chunk
            .process(exchange -> exchange.getMessage().setBody(metrics.answer(exchange))).id("answer");
    }
}
