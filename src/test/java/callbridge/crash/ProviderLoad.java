package callbridge.crash;

import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeClient;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A telephony provider under load: many calls open at once, their events posted by a few client threads,
 * interleaved across calls but in order within each call (a call's next event goes out once the last one was
 * answered 2xx). An event answered anything else, or lost with its connection (a kill), is posted again until
 * it is answered 2xx, as a provider re-sends: after a kill, that is after the restart.
 */
final class ProviderLoad {
    /** One call's webhook bodies, in the order the provider sends them. */
    record CallEvents(long id, List<String> bodies) {
    }

    private final String path;
    private final int port;
    private final Duration giveUpAfter;
    private final AtomicInteger answered = new AtomicInteger();
    private final Map<String, LongAdder> notAnswered = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Cursor> open = new ConcurrentLinkedQueue<>();
    private Iterator<CallEvents> backlog;

    ProviderLoad(String path, int port, Duration giveUpAfter) {
        this.path = path;
        this.port = port;
        this.giveUpAfter = giveUpAfter;
    }

    /** Events answered 2xx so far (each event counts once, however often it was posted). */
    int answered() {
        return answered.get();
    }

    /** Posts that were not answered 2xx, by answer ({@code 503}, {@code connection lost}, ...). */
    Map<String, Long> notAnswered() {
        Map<String, Long> counts = new TreeMap<>();
        notAnswered.forEach((answer, n) -> counts.put(answer, n.sum()));
        return counts;
    }

    /** Sends every call, {@code openAtOnce} calls in progress at a time, from {@code threads} clients; returns at once. */
    List<Future<?>> start(List<CallEvents> calls, int openAtOnce, int threads) {
        backlog = calls.iterator();
        for (int i = 0; i < openAtOnce; i++) {
            Cursor next = nextCall();
            if (next != null) {
                open.add(next);
            }
        }
        ExecutorService clients = Executors.newFixedThreadPool(threads);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            running.add(clients.submit(this::client));
        }
        clients.shutdown();
        return running;
    }

    private void client() {
        BridgeClient bridge = new BridgeClient(port);
        for (Cursor call = open.poll(); call != null; call = open.poll()) {
            postUntilAnswered(bridge, call.next());
            if (call.hasNext()) {
                open.add(call);             // behind the other open calls: their events interleave with its own
            } else {
                Cursor fresh = nextCall();
                if (fresh != null) {
                    open.add(fresh);
                }
            }
        }
    }

    private synchronized Cursor nextCall() {
        return backlog.hasNext() ? new Cursor(backlog.next()) : null;
    }

    private void postUntilAnswered(BridgeClient bridge, String body) {
        if (!postOnce(bridge, body)) {
            await().atMost(giveUpAfter).pollInSameThread().pollDelay(Duration.ofMillis(100)).pollInterval(Duration.ofMillis(200))
                    .until(() -> postOnce(bridge, body));
        }
        answered.incrementAndGet();
    }

    private boolean postOnce(BridgeClient bridge, String body) {
        try {
            int status = bridge.post(path, body).statusCode();
            if (status / 100 == 2) {
                return true;
            }
            notAnswered.computeIfAbsent(String.valueOf(status), s -> new LongAdder()).increment();
        } catch (UncheckedIOException lost) {
            notAnswered.computeIfAbsent("connection lost or refused", s -> new LongAdder()).increment();
        }
        return false;
    }

    /** Where one call is in its list of events; only the client holding it touches it. */
    private static final class Cursor {
        private final Iterator<String> events;

        Cursor(CallEvents call) {
            this.events = call.bodies().iterator();
        }

        boolean hasNext() {
            return events.hasNext();
        }

        String next() {
            return events.next();
        }
    }
}
