package callbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * The adaptive in-flight bound as {@link SendSlots} applies it with the bridge's own limit bean: it shrinks when Cekura
 * is overloaded (429, 5xx, no answer), grows back one slot per quick answer while the slots are in use, and never
 * passes {@code CEKURA_MAX_IN_FLIGHT}; a Retry-After pause leaves no slot to take before its instant.
 */
class InFlightBoundTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private final DefaultCamelContext camel = new DefaultCamelContext();

    private static CekuraProperties cekura(int maxInFlight) {
        return new CekuraProperties(URI.create("http://127.0.0.1:1/cekura"), null, 42, Duration.ofMinutes(5),
                Duration.ofSeconds(1), 8, Duration.ofSeconds(5), Duration.ofSeconds(20), 2, maxInFlight, 10, "epoch-ms");
    }

    private static SendSlots slots(int maxInFlight, Clock clock) {
        CekuraProperties cekura = cekura(maxInFlight);
        return new SendSlots(new DeliveryConfiguration().cekuraLimit(cekura), cekura, clock, new SimpleMeterRegistry());
    }

    /** Takes every slot there is, then ends each attempt with the given outcome. */
    private void roundOf(SendSlots slots, SendSlots.Outcome outcome) throws InterruptedException {
        List<Exchange> attempts = new ArrayList<>();
        for (int i = slots.bound(); i > 0; i--) {
            Exchange attempt = new DefaultExchange(camel);
            slots.take(attempt);
            attempts.add(attempt);
        }
        attempts.forEach(attempt -> slots.give(attempt, outcome));
    }

    @Test
    void theBoundShrinksOnOverloadAndGrowsBackWithQuickAnswers() throws Exception {
        SendSlots slots = slots(64, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(slots.bound()).isEqualTo(8);

        for (int round = 0; round < 10; round++) {
            roundOf(slots, SendSlots.Outcome.ANSWERED);
        }
        int grown = slots.bound();
        assertThat(grown).isGreaterThan(8);

        roundOf(slots, SendSlots.Outcome.OVERLOADED);
        int shrunk = slots.bound();
        assertThat(shrunk).isLessThan(grown / 2);
        assertThat(shrunk).isGreaterThanOrEqualTo(1);

        for (int round = 0; round < 20; round++) {
            roundOf(slots, SendSlots.Outcome.ANSWERED);
        }
        assertThat(slots.bound()).isEqualTo(64);   // grown back, up to the ceiling and no further
        assertThat(slots.peak()).isEqualTo(64);
        assertThat(slots.inFlight()).isZero();
    }

    @Test
    void answersThatTeachNothingLeaveTheBoundAsItIs() throws Exception {
        SendSlots slots = slots(64, Clock.fixed(NOW, ZoneOffset.UTC));
        for (int round = 0; round < 5; round++) {
            roundOf(slots, SendSlots.Outcome.UNKNOWN);
        }
        assertThat(slots.bound()).isEqualTo(8);
    }

    @Test
    void aCeilingBelowTheStartIsTheBound() throws Exception {
        SendSlots slots = slots(1, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(slots.bound()).isEqualTo(1);
        roundOf(slots, SendSlots.Outcome.ANSWERED);
        roundOf(slots, SendSlots.Outcome.ANSWERED);
        assertThat(slots.bound()).isEqualTo(1);
    }

    @Test
    void noSlotIsTakenWhileTheNodeIsPaused() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(NOW);
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        SendSlots slots = slots(64, clock);
        slots.pauseUntil(NOW.plusSeconds(2));
        assertThat(slots.startable()).isZero();

        Exchange waiting = new DefaultExchange(camel);
        CompletableFuture<Instant> tookAt = CompletableFuture.supplyAsync(() -> {
            try {
                slots.take(waiting);
                return now.get();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // the waiter waits out the pause, and takes its slot only once the bridge's clock has reached its end
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !tookAt.isDone());
        assertThat(slots.inFlight()).isZero();
        now.set(NOW.plusSeconds(2));
        Instant took = tookAt.get();
        assertThat(took).isAfterOrEqualTo(NOW.plusSeconds(2));
        assertThat(slots.inFlight()).isEqualTo(1);
        assertThat(slots.startable()).isPositive();
    }
}
