import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Delivery at Cekura's pace (issue 32), one program: a stub Cekura that answers each POST after a base latency plus a
 * cost per call in it, with a share of 503s and of 429s ({@code Retry-After}), and a load that ends N salpre calls
 * spread over a few seconds. It prints delivered, duplicates, call end → Cekura p50/p99/max, calls outside the window,
 * the most POSTs in flight at the stub, and, sampled from the bridge's JVM every second, its delivery threads and heap.
 * Run by bench/pace.sh: {@code java bench/PaceBench.java} with the settings as environment variables:
 * BRIDGE_URL, BRIDGE_PID, STUB_PORT, CALLS (1000), SPREAD_MS (10000), BASE_MS (1000), PER_CALL_MS (20), P503 (0),
 * P429 (0), RETRY_AFTER (2), RUN (call ids), WINDOW_S (300), TIMEOUT_S (900).
 */
public class PaceBench {
    static final Map<String, Long> FIRST_ACK = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> ACKS = new ConcurrentHashMap<>();
    static final AtomicLong POSTS = new AtomicLong();
    static final AtomicLong REFUSED = new AtomicLong();
    static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    static final AtomicInteger IN_FLIGHT_PEAK = new AtomicInteger();
    static final AtomicLong CALLS_POSTED = new AtomicLong();
    static final AtomicInteger CALLS_PER_POST_MAX = new AtomicInteger();
    static final Pattern CALL_ID = Pattern.compile("\"id\"\\s*:\\s*\"(salpre-[0-9]+)\"");

    static long env(String name, long fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Long.parseLong(value.trim());
    }

    static double envDouble(String name, double fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Double.parseDouble(value.trim());
    }

    public static void main(String[] args) throws Exception {
        String bridge = System.getenv().getOrDefault("BRIDGE_URL", "http://127.0.0.1:18080");
        long pid = env("BRIDGE_PID", 0);
        int calls = (int) env("CALLS", 1000);
        long spreadMs = env("SPREAD_MS", 10_000);
        long run = env("RUN", 7);
        long windowS = env("WINDOW_S", 300);
        long timeoutS = env("TIMEOUT_S", 900);
        startStub((int) env("STUB_PORT", 18099), env("BASE_MS", 1000), env("PER_CALL_MS", 20),
                envDouble("P503", 0), envDouble("P429", 0), env("RETRY_AFTER", 2));

        Map<String, Long> ended = new ConcurrentHashMap<>();
        HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
        var sampler = Executors.newSingleThreadScheduledExecutor();
        int[] threadsPeak = {0};
        long[] heapPeak = {0};
        sampler.scheduleAtFixedRate(() -> {
            threadsPeak[0] = Math.max(threadsPeak[0], deliveryThreads(pid));
            heapPeak[0] = Math.max(heapPeak[0], heapUsed(bridge, client));
        }, 0, 1, TimeUnit.SECONDS);

        long start = System.currentTimeMillis();
        List<java.util.concurrent.CompletableFuture<?>> posted = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            long due = start + spreadMs * i / calls;
            long wait = due - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            long callId = run * 100_000_000L + i;
            long at = 1760084500;
            String answered = "{\"event_type\":\"call_answered\",\"timestamp_utc\":" + at + ",\"payload\":{" + party(callId) + "},\"is_test\":false}";
            String end = "{\"event_type\":\"call_ended\",\"timestamp_utc\":" + (at + 20) + ",\"payload\":{" + party(callId)
                    + ",\"transcript\":[{\"type\":\"ai\",\"message\":\"Hello\"},{\"type\":\"customer\",\"message\":\"Hi\"}]},\"is_test\":false}";
            posted.add(post(client, bridge, answered)
                    .thenCompose(first -> post(client, bridge, end))
                    .thenAccept(status -> {
                        if (status == 200) {
                            ended.put("salpre-" + callId, System.currentTimeMillis());
                        }
                    }));
        }
        for (var future : posted) {
            future.join();
        }
        long lastEnd = System.currentTimeMillis();
        System.out.printf("posted %d calls (answered + ended) in %.1f s, %d ends answered 200%n", calls, (lastEnd - start) / 1000.0, ended.size());

        long deadline = System.currentTimeMillis() + timeoutS * 1000;
        while (System.currentTimeMillis() < deadline && !FIRST_ACK.keySet().containsAll(ended.keySet())) {
            Thread.sleep(200);
        }
        Thread.sleep(3000);   // a duplicate would come now
        sampler.shutdown();
        sampler.awaitTermination(5, TimeUnit.SECONDS);

        List<Long> latencies = new ArrayList<>();
        int outside = 0;
        for (var end : ended.entrySet()) {
            Long ack = FIRST_ACK.get(end.getKey());
            if (ack != null) {
                long ms = ack - end.getValue();
                latencies.add(ms);
                if (ms > windowS * 1000) {
                    outside++;
                }
            }
        }
        Collections.sort(latencies);
        long duplicates = ACKS.values().stream().filter(n -> n.get() > 1).count();
        System.out.printf("delivered %d of %d, duplicates %d, outside the %d s window %d, POSTs %d (refused %d)%n",
                latencies.size(), ended.size(), duplicates, windowS, outside, POSTS.get(), REFUSED.get());
        System.out.printf("call end -> Cekura 2xx: p50 %.1f s, p99 %.1f s, max %.1f s%n",
                pct(latencies, 0.50) / 1000.0, pct(latencies, 0.99) / 1000.0, pct(latencies, 1.0) / 1000.0);
        System.out.printf("calls per POST: mean %.1f, max %d%n", CALLS_POSTED.get() / (double) Math.max(1, POSTS.get()),
                CALLS_PER_POST_MAX.get());
        System.out.printf("POSTs in flight at Cekura peak %d; bridge delivery threads peak %d; bridge heap used peak %d MB%n",
                IN_FLIGHT_PEAK.get(), threadsPeak[0], heapPeak[0] / 1_048_576);
        System.exit(0);
    }

    static java.util.concurrent.CompletableFuture<Integer> post(HttpClient client, String bridge, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(bridge + "/webhooks/salpre"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
    }

    static String party(long callId) {
        return "\"call_id\":" + callId + ",\"from\":\"+905555555555\",\"to\":\"+905555555554\",\"direction\":\"outbound\",\"source\":\"salprebox:BENCH\"";
    }

    static long pct(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** Threads of the bridge that send to Cekura or run what follows an answer (old and new builds' names). */
    static int deliveryThreads(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            Process jcmd = new ProcessBuilder("jcmd", String.valueOf(pid), "Thread.print").redirectErrorStream(true).start();
            String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor();
            int count = 0;
            for (String line : dump.split("\n")) {
                if (line.startsWith("\"") && (line.contains("bridge-delivery-send") || line.contains("bridge-cekura-answers")
                        || line.contains("SelectorManager") || line.contains("ErrorHandlerRedeliveryTask"))) {
                    count++;
                }
            }
            return count;
        } catch (IOException | InterruptedException unavailable) {
            return 0;
        }
    }

    static long heapUsed(String bridge, HttpClient client) {
        try {
            String metrics = client.send(HttpRequest.newBuilder(URI.create(bridge + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            long sum = 0;
            for (String line : metrics.split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        } catch (Exception unavailable) {
            return 0;
        }
    }

    static void startStub(int port, long baseMs, long perCallMs, double p503, double p429, long retryAfter) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> answer(exchange, baseMs, perCallMs, p503, p429, retryAfter));
        server.start();
    }

    static void answer(HttpExchange exchange, long baseMs, long perCallMs, double p503, double p429, long retryAfter) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            int now = IN_FLIGHT.incrementAndGet();
            IN_FLIGHT_PEAK.accumulateAndGet(now, Math::max);
            try {
                POSTS.incrementAndGet();
                List<String> ids = new ArrayList<>();
                Matcher matcher = CALL_ID.matcher(body);
                while (matcher.find()) {
                    ids.add(matcher.group(1));
                }
                CALLS_POSTED.addAndGet(ids.size());
                CALLS_PER_POST_MAX.accumulateAndGet(ids.size(), Math::max);
                Thread.sleep(baseMs + perCallMs * ids.size());
                double draw = ThreadLocalRandom.current().nextDouble();
                int status = 202;
                if (draw < p503) {
                    status = 503;
                } else if (draw < p503 + p429) {
                    status = 429;
                    exchange.getResponseHeaders().set("Retry-After", String.valueOf(retryAfter));
                }
                byte[] answer = (status == 202 ? "{}" : "{\"error\":\"busy\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                if (status == 202) {
                    long at = System.currentTimeMillis();
                    for (String id : ids) {
                        FIRST_ACK.putIfAbsent(id, at);
                        ACKS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                    }
                } else {
                    REFUSED.incrementAndGet();
                }
                exchange.sendResponseHeaders(status, answer.length);
                exchange.getResponseBody().write(answer);
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            } finally {
                IN_FLIGHT.decrementAndGet();
            }
        }
    }
}
