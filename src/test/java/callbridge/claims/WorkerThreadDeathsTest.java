package callbridge.claims;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;

/** A bridge worker thread ended by an Error turns liveness DOWN; another thread's end does not. */
class WorkerThreadDeathsTest {
    private final BridgeLiveness liveness = new BridgeLiveness(Clock.systemUTC(), Duration.ofSeconds(30));
    private final WorkerThreadDeaths deaths = new WorkerThreadDeaths(liveness);

    @AfterEach
    void restore() {
        deaths.restore();
    }

    @Test
    void aSenderThreadEndedByAnErrorTurnsLivenessDown() throws Exception {
        // Camel's default name for a seda consumer's thread
        end("Camel (cekura-call-bridge) thread #7 - seda://bridge-delivery-send", new StackOverflowError("injected"));

        var health = liveness.health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).isEqualTo(Map.of("deadThreads", List.of("bridge worker threads")));
        assertThat(deaths.died()).containsOnlyKeys("Camel (cekura-call-bridge) thread #7 - seda://bridge-delivery-send");
    }

    @Test
    void otherThreadsAndExceptionsLeaveItUp() throws Exception {
        end("Camel (host) thread #3 - seda://orders", new StackOverflowError("injected"));
        end("Camel (cekura-call-bridge) thread #8 - seda://bridge-delivery-send", new IllegalStateException("not an Error"));

        assertThat(liveness.health().getStatus()).isEqualTo(Status.UP);
        assertThat(deaths.died()).isEmpty();
    }

    private static void end(String name, RuntimeException failure) throws InterruptedException {
        run(name, () -> {
            throw failure;
        });
    }

    private static void end(String name, Error failure) throws InterruptedException {
        run(name, () -> {
            throw failure;
        });
    }

    private static void run(String name, Runnable body) throws InterruptedException {
        Thread thread = new Thread(body, name);
        thread.start();
        thread.join();
    }
}
