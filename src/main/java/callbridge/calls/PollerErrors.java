package callbridge.calls;

import callbridge.store.StoreWriteHealth;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * The store pollers ({@code calls-due}, {@code deliveries-due}, ...) run every fraction of a second: when
 * the store is away, one WARN line per failed poll, no stack trace; the next poll simply tries again.
 * Nothing is lost: claims not taken stay in the store, claims taken expire with their lease. A poller that
 * keeps failing turns {@code /actuator/health} DOWN until it stops failing.
 */
@Component
public class PollerErrors extends RouteConfigurationBuilder {
    public static final String ID = "poller-errors";
    private final StoreWriteHealth health;

    public PollerErrors(StoreWriteHealth health) {
        this.health = health;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
            .onException(Exception.class).handled(true)
                .log(LoggingLevel.WARN, "callbridge.poller", "${routeId} poll failed, next poll retries: ${exception.message}")
                .process(exchange -> health.pollFailed(exchange.getFromRouteId()))
            .end();
    }
}
