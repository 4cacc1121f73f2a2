package callbridge.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A scripted HTTP server on loopback standing in for Cekura (or a provider API): answers from a
 * script, then a default; records every request it gets.
 */
public final class StubHttpServer implements AutoCloseable {

    /** {@code path} is decoded; {@code rawPath} is as it came on the request line (percent escapes kept). */
    public record Request(String method, String path, Map<String, String> headers, String body, java.time.Instant at,
            int answeredStatus, String rawPath) {
        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    public record Answer(int status, String body, Map<String, String> headers, long delayMs) {
        public Answer(int status, String body, Map<String, String> headers) {
            this(status, body, headers, 0);
        }

        public static Answer of(int status) {
            return new Answer(status, "{}", Map.of());
        }

        public static Answer of(int status, String body) {
            return new Answer(status, body, Map.of());
        }

        /** Answers only after {@code delayMs}: longer than the caller's timeout, it is a timeout. */
        public static Answer slow(int status, long delayMs) {
            return new Answer(status, "{}", Map.of(), delayMs);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private volatile Answer fallback = Answer.of(200, "{\"status\":\"ok\"}");
    private final Map<String, ConcurrentLinkedQueue<Answer>> scriptsByContent = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Answer> fallbacksByContent = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Hold> holds = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Requests whose body contains a fragment are recorded as they arrive and answered only once the test releases
     * them: a test then knows for certain what the caller did before it had an answer, on a machine of any speed.
     */
    public static final class Hold {
        private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);

        /** From now on, held requests and later ones are answered. */
        public void release() {
            released.countDown();
        }

        private void awaitRelease() {
            try {
                if (!released.await(2, java.util.concurrent.TimeUnit.MINUTES)) {
                    throw new IllegalStateException("a held request was never released");
                }
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private StubHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            java.time.Instant at = java.time.Instant.now();
            Answer answer = null;
            String path = exchange.getRequestURI().getPath();
            // a POST carrying several scripted calls (a batch) takes the next answer of each call's script and gets the
            // first failure among them: Cekura rejects a whole POST for one call
            for (var entry : scriptsByContent.entrySet()) {
                if (body.contains(entry.getKey()) || path.equals(entry.getKey())) {
                    Answer next = entry.getValue().poll();
                    if (next == null) {
                        next = fallbacksByContent.get(entry.getKey());
                    }
                    if (answer == null || (answer.status() / 100 == 2 && next.status() / 100 != 2)) {
                        answer = next;
                    }
                }
            }
            if (answer == null) {
                answer = script.poll();
            }
            if (answer == null) {
                answer = fallback;
            }
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body, at,
                    answer.status(), exchange.getRequestURI().getRawPath()));
            for (var hold : holds.entrySet()) {
                if (body.contains(hold.getKey())) {
                    hold.getValue().awaitRelease();
                }
            }
            if (answer.delayMs() > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(answer.delayMs() * 1_000_000L);
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    public static StubHttpServer start() {
        try {
            return new StubHttpServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next answers, in order; after them the fallback. */
    public StubHttpServer answerNext(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    /** Answers for requests naming this Cekura call id: these first, then {@code thereafter}. */
    public StubHttpServer scriptCall(String cekuraId, Answer thereafter, Answer... first) {
        String marker = "\"id\":\"" + cekuraId + "\"";
        scriptsByContent.put(marker, new ConcurrentLinkedQueue<>(List.of(first)));
        fallbacksByContent.put(marker, thereafter);
        return this;
    }

    /** Answers for requests whose body contains {@code fragment}: these first, then {@code thereafter}. */
    public StubHttpServer scriptContaining(String fragment, Answer thereafter, Answer... first) {
        scriptsByContent.put(fragment, new ConcurrentLinkedQueue<>(List.of(first)));
        fallbacksByContent.put(fragment, thereafter);
        return this;
    }

    /** Holds every request whose body contains {@code fragment}, unanswered, until {@link Hold#release}. */
    public Hold holdContaining(String fragment) {
        Hold hold = new Hold();
        holds.put(fragment, hold);
        return hold;
    }

    /** Answers for requests to this exact path: these first, then {@code thereafter}. */
    public StubHttpServer scriptPath(String path, Answer thereafter, Answer... first) {
        scriptsByContent.put(path, new ConcurrentLinkedQueue<>(List.of(first)));
        fallbacksByContent.put(path, thereafter);
        return this;
    }

    public List<Request> requestsTo(String path) {
        return requests(r -> r.path().equals(path));
    }

    public StubHttpServer answerByDefault(Answer answer) {
        fallback = answer;
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(Predicate<Request> filter) {
        return new ArrayList<>(requests.stream().filter(filter).toList());
    }

    /** Requests whose body names this Cekura call id. */
    public List<Request> callsWithId(String cekuraId) {
        return requests(r -> r.body().contains("\"id\":\"" + cekuraId + "\""));
    }

    /**
     * How long a second copy is watched for: past the latest first redelivery of the default policy
     * ({@code CEKURA_RETRY_INITIAL_DELAY} 1 s, plus its 15 % jitter at most, after the first copy's answer), so a call
     * sent again because its answer was taken for a failure is seen. (A wait shorter than the earliest retry, 850 ms,
     * could never see one.) Tests with a longer retry delay say so: {@link #awaitOnlyCall(String, java.time.Duration)}.
     */
    static final java.time.Duration DEFAULT_RETRY_INITIAL_DELAY = java.time.Duration.ofSeconds(1);

    /**
     * Waits until a request naming this Cekura call id arrives, then checks that no second copy follows until
     * after the latest moment a redelivery of it would have come; returns that one request.
     */
    public Request awaitOnlyCall(String cekuraId) {
        return awaitOnlyCall(cekuraId, DEFAULT_RETRY_INITIAL_DELAY);
    }

    /** How long to watch for a second copy with the default {@code CEKURA_RETRY_INITIAL_DELAY}. */
    public static java.time.Duration pastTheFirstRetry() {
        return pastTheFirstRetry(DEFAULT_RETRY_INITIAL_DELAY);
    }

    /** The latest first retry (the delay plus 15 %), and the answer and its record before it. */
    public static java.time.Duration pastTheFirstRetry(java.time.Duration retryInitialDelay) {
        return retryInitialDelay.multipliedBy(115).dividedBy(100).plusMillis(350);
    }

    /** {@link #awaitOnlyCall(String)}, for a bridge whose {@code CEKURA_RETRY_INITIAL_DELAY} is {@code retryInitialDelay}. */
    public Request awaitOnlyCall(String cekuraId, java.time.Duration retryInitialDelay) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> !callsWithId(cekuraId).isEmpty());
        java.time.Duration watch = pastTheFirstRetry(retryInitialDelay);
        org.awaitility.Awaitility.await().during(watch).atMost(watch.plusSeconds(3))
                .until(() -> callsWithId(cekuraId).size() == 1);
        return callsWithId(cekuraId).get(0);
    }

    public void reset() {
        requests.clear();
        script.clear();
        fallback = Answer.of(200, "{\"status\":\"ok\"}");
    }

    @Override
    public void close() {
        holds.values().forEach(Hold::release);
        server.stop(0);
    }
}
