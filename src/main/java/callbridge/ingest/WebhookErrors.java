package callbridge.ingest;

import callbridge.LogSafe;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * How every webhook route answers a failure, declared once. Provider routes opt in with
 * {@code routeConfigurationId: bridge-webhook-errors}; the shared steps they call let failures through.
 */
@Component
public class WebhookErrors extends RouteConfigurationBuilder {
    public static final String ID = "bridge-webhook-errors";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookErrors.class);
    private final RefusedWebhooks refused;

    public WebhookErrors(RefusedWebhooks refused) {
        this.refused = refused;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
            .onException(InvalidEventException.class).handled(true)
                .process(e -> {
                    count(e, "malformed");
                    answer(e, 400, e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage());
                })
            .end()
            .onException(RefusedException.class).handled(true)
                .process(e -> {
                    count(e, "over-call-bounds");
                    answer(e, 422, e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage());
                })
            .end()
            .onException(UnauthorizedException.class).handled(true)
                .process(e -> {
                    count(e, e.getProperty(Exchange.EXCEPTION_CAUGHT, UnauthorizedException.class).reason());
                    answer(e, 401, "missing or invalid credential");
                })
            .end()
            .onException(TooManyRequestsException.class).handled(true)
                .process(e -> {
                    TooManyRequestsException over = e.getProperty(Exchange.EXCEPTION_CAUGHT, TooManyRequestsException.class);
                    count(e, "rate-limited");
                    answer(e, 429, over.getMessage());
                    e.getMessage().setHeader("Retry-After", String.valueOf(over.retryAfterSeconds()));
                })
            .end()
            .onException(StoreUnavailableException.class).handled(true)
                .process(e -> {
                    LOG.error("Event not stored ({}): answered 503", LogSafe.of(e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)));
                    count(e, "store-unavailable");
                    answer(e, 503, "event store unavailable, send again later");
                    e.getMessage().setHeader("Retry-After", "5");
                })
            .end()
            .onException(Exception.class).handled(true)
                .process(e -> {
                    // the message may quote what the sender sent: escaped here; the stack trace (raw) at DEBUG
                    Exception failure = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                    LOG.error("Webhook failed on route {}: {}", e.getFromRouteId(), LogSafe.of(failure));
                    LOG.debug("Webhook failure on route {}", e.getFromRouteId(), failure);
                    answer(e, 500, "internal error");
                })
            .end();
    }

    /** A provider's webhook refused (the trigger's route names no provider: not counted here). */
    private void count(Exchange exchange, String reason) {
        String provider = exchange.getProperty(WebhookGuard.PROVIDER, String.class);
        if (provider != null) {
            refused.refused(provider, reason);
        }
    }

    private static void answer(Exchange exchange, int status, String message) {
        var out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setHeader(Exchange.HTTP_CHUNKED, false);
        out.setBody(ErrorAnswer.json(message));
    }
}
