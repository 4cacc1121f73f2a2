package callbridge.claims;

import jakarta.annotation.PreDestroy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Notices a bridge worker thread ended by an Error nobody caught, and turns {@code bridgeLiveness} DOWN for good: the
 * Camel threads that send to Cekura ({@code seda://bridge-delivery-send}) and complete calls run loops that catch
 * Exceptions only, so an Error thrown inside Camel's own steps (the HTTP producer) ends the thread, and nothing starts
 * it again. The bridge's own steps turn Errors into exceptions ({@link StepError}); an {@code OutOfMemoryError}
 * ends the whole process with the documented {@code -XX:+ExitOnOutOfMemoryError}. For any other Error, this is the
 * signal: a process with fewer senders than it was started with is restarted by its orchestrator.
 *
 * <p>It sees a thread's end through the JVM's default uncaught-exception handler, which it chains (the one in place
 * before it still runs; Camel sets none of its own on its threads). A thread is the bridge's when its name carries one
 * of the bridge's endpoint names ({@code bridge-}), as Camel's default thread names do; under a custom
 * {@code camel.main.thread-name-pattern} without the name, nothing is noticed (never a false DOWN).
 */
@Component
public class WorkerThreadDeaths {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerThreadDeaths.class);
    private static final String BRIDGE_THREAD = "bridge-";

    private final Map<String, String> died = new ConcurrentHashMap<>();
    private final Thread.UncaughtExceptionHandler previous;
    private final Thread.UncaughtExceptionHandler handler = this::uncaught;

    public WorkerThreadDeaths(BridgeLiveness liveness) {
        this.previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler(handler);
        liveness.watchThread("bridge worker threads", died::isEmpty);
    }

    private void uncaught(Thread thread, Throwable failure) {
        if (failure instanceof Error && thread.getName().contains(BRIDGE_THREAD)) {
            died.put(thread.getName(), failure.toString());
            LOG.error("Bridge worker thread '{}' ended by {}: liveness is DOWN until the process is restarted", thread.getName(), failure.toString());
        }
        if (previous != null) {
            previous.uncaughtException(thread, failure);
        } else if (!(failure instanceof ThreadDeath)) {
            LOG.error("Uncaught in thread '{}'", thread.getName(), failure);
        }
    }

    /** The threads ended so far, by name, with their Error. */
    public Map<String, String> died() {
        return Map.copyOf(died);
    }

    /** Stopped (a test's context closing, a host's refresh): the handler before goes back in place. */
    @PreDestroy
    void restore() {
        if (Thread.getDefaultUncaughtExceptionHandler() == handler) {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }
}
