package callbridge.claims;

import callbridge.LogSafe;
import callbridge.store.StoreWriteHealth;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The store pollers ({@code bridge-calls-due}, {@code bridge-deliveries-due}, ...) run every fraction of a second: when
 * the store is away, one WARN line per failed poll, no stack trace; the next poll simply tries again.
 * Nothing is lost: claims not taken stay in the store, claims taken expire with their lease. A poller that
 * keeps failing turns {@code /actuator/health} DOWN until it stops failing. An Error in a poller's step (turned into a
 * {@link StepError} by {@link StepError#surviving}) is logged at ERROR and does not count against the store: the next
 * poll runs as usual. That each poller keeps polling is {@link BridgeLiveness}'s to watch.
 */
@Component
public class PollerErrors extends RouteConfigurationBuilder {
    public static final String ID = "bridge-poller-errors";
    private static final Logger POLLER = LoggerFactory.getLogger("callbridge.poller");
    private final StoreWriteHealth health;

    public PollerErrors(StoreWriteHealth health) {
        this.health = health;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
            .onException(Exception.class).handled(true)
                .process(e -> {
                    Exception failure = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                    if (failure instanceof StepError) {
                        POLLER.error("{} poll failed with an Error, next poll runs: {}", e.getFromRouteId(), LogSafe.of(failure.getMessage()));
                        return;
                    }
                    POLLER.warn("{} poll failed, next poll retries: {}", e.getFromRouteId(), LogSafe.of(failure.getMessage()));
                    health.pollFailed(e.getFromRouteId());
                })
            .end();
    }
}
