package callbridge.claims;

import callbridge.BridgeConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.apache.camel.spi.RouteIdAware;
import org.apache.camel.support.ScheduledPollConsumer;
import org.apache.camel.support.service.ServiceHelper;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health}'s {@code bridgeLiveness} component, also in the {@code liveness} group: can this process
 * still do its work? DOWN when a background thread the bridge needs is dead (the event journal's writer), or when a
 * store poller ({@code bridge-calls-due}, {@code bridge-deliveries-due}, {@code bridge-retention-purge},
 * {@code bridge-outbound-triggers-due}) has not polled for max(10 × its interval, {@code bridge.liveness.poller-stall-min}),
 * on the bridge's clock. A process that cannot deliver must be restarted; DOWN here tells the orchestrator so.
 *
 * <p>It never asks the store: a poll that fails because the store is away has still run (readiness and
 * {@code bridgeStoreWrites} say the store is away). The pollers report through Camel's own hook, each scheduler
 * endpoint's {@code pollStrategy=#bridgeLiveness}: every poll begins, then commits or rolls back here. A poll that threw
 * an Error is followed by the next poll's begin (Camel's {@code ScheduledPollConsumer.run} catches Errors); a poller
 * whose scheduled task was dropped, or whose thread hangs, stops reporting and turns this DOWN. A poller whose route is
 * stopped or suspended (by ops, or at shutdown) is not watched.
 */
@Component("bridgeLiveness")
public class BridgeLiveness implements HealthIndicator, PollingConsumerPollStrategy {
    /** The route id of a scheduler endpoint that reports here: {@code pollStrategy=#bridgeLiveness}. */
    public static final String POLL_STRATEGY = "pollStrategy=#bridgeLiveness";

    private record Poll(Consumer consumer, Instant at, Duration stallAfter) {
    }

    private final Clock clock;
    private final Duration stallMin;
    private final Map<String, Poll> polls = new ConcurrentHashMap<>();
    private final Map<String, BooleanSupplier> threads = new ConcurrentHashMap<>();

    public BridgeLiveness(@Qualifier(BridgeConfiguration.CLOCK) Clock clock,
            @Value("${bridge.liveness.poller-stall-min:30s}") Duration stallMin) {
        this.clock = clock;
        this.stallMin = stallMin;
    }

    /** A background thread to watch: DOWN while {@code alive} says false. */
    public void watchThread(String name, BooleanSupplier alive) {
        threads.put(name, alive);
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        polled(consumer, endpoint);
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        polled(consumer, endpoint);
    }

    /** A poll that failed has run all the same; the next poll tries again (never a retry within this poll). */
    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        polled(consumer, endpoint);
        return false;
    }

    private void polled(Consumer consumer, Endpoint endpoint) {
        String name = consumer instanceof RouteIdAware route && route.getRouteId() != null ? route.getRouteId() : endpoint.getEndpointKey();
        Duration interval = consumer instanceof ScheduledPollConsumer scheduled
                ? Duration.ofMillis(TimeUnit.MILLISECONDS.convert(scheduled.getDelay(), scheduled.getTimeUnit())) : Duration.ZERO;
        Duration stallAfter = interval.multipliedBy(10).compareTo(stallMin) > 0 ? interval.multipliedBy(10) : stallMin;
        polls.put(name, new Poll(consumer, clock.instant(), stallAfter));
    }

    @Override
    public Health health() {
        Instant now = clock.instant();
        Map<String, String> stalled = new TreeMap<>();
        polls.forEach((name, poll) -> {
            boolean watched = ServiceHelper.isStarted(poll.consumer()) && !ServiceHelper.isSuspended(poll.consumer());
            if (watched && poll.at().plus(poll.stallAfter()).isBefore(now)) {
                stalled.put(name, "no poll since " + poll.at());
            }
        });
        var dead = threads.entrySet().stream().filter(thread -> !thread.getValue().getAsBoolean())
                .map(Map.Entry::getKey).sorted().toList();
        if (stalled.isEmpty() && dead.isEmpty()) {
            return Health.up().build();
        }
        Health.Builder down = Health.down();
        if (!stalled.isEmpty()) {
            down.withDetail("stalledPollers", stalled);
        }
        if (!dead.isEmpty()) {
            down.withDetail("deadThreads", dead);
        }
        return down.build();
    }
}
