package callbridge.ingest;

import static callbridge.support.SalpreEvents.lifecycle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicBoolean;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Senders that hold connections open with slow bodies, or send bodies far over any limit, with no credential: none
 * of them holds a worker thread, none is read beyond what it may send. The server has 8 workers here, so a handful
 * of slow senders would stall everything if any of them held one. The read deadline is far longer than any test here
 * runs, so a slow body still unanswered is one the server is still waiting for, however loaded the machine
 * ({@link BodyReadDeadlineTest} checks the deadline itself).
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.tomcat.threads.max=8", "server.tomcat.threads.min-spare=2",
        "salpre.webhook-token=s3cret-token", "vapi.webhook-secret=vapi-s3cret", "retell.api-key=retell-key",
        "bridge.admin-token=admin-s3cret", "bridge.ingest.body-read-timeout=10m", "cekura.trigger-secret=trigger-s3cret",
        "bridge.ingest.max-buffered-bodies=96KB"})
class HostileBodiesTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final Map<String, String> TOKEN = Map.of("X-Webhook-Token", "s3cret-token");
    static final long HUGE = 150L * 1024 * 1024;

    private final List<SlowSender> slowSenders = new ArrayList<>();
    private final ScheduledExecutorService dripping = Executors.newScheduledThreadPool(2);

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "hostile-bodies", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @AfterEach
    void closeSenders() {
        slowSenders.forEach(SlowSender::close);
        dripping.shutdownNow();
    }

    @Test
    void slowBodiesHoldNoWorker() throws Exception {
        // 24 senders on an open endpoint (bland has no secret here): their bodies are read as they come, one byte a
        // second; 24 more without salpre's token: refused before their bodies are read
        for (int i = 0; i < 24; i++) {
            slowSenders.add(SlowSender.open(port, "POST /webhooks/bland", 1000, Map.of()));
            slowSenders.add(SlowSender.open(port, "POST /webhooks/salpre", 1000, Map.of()));
        }
        slowSenders.forEach(sender -> sender.drip(dripping));

        var accepted = bridge.post("/webhooks/salpre", lifecycle("call_initiated", 870001, 1760084505), TOKEN);
        var health = bridge.get("/actuator/health");

        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.body()).isEqualTo("{\"status\":\"accepted\"}");
        assertThat(health.statusCode()).isEqualTo(200);
        // the slow bodies were still on their way: the answers above did not wait for them
        assertThat(slowSenders.stream().filter(s -> s.path.endsWith("bland")).filter(SlowSender::answered)).isEmpty();
        // the senders without a credential were answered 401 before they sent their bodies, and cut off
        await().atMost(Duration.ofSeconds(60)).until(() -> slowSenders.stream()
                .filter(s -> s.path.endsWith("salpre")).allMatch(SlowSender::answered));
        for (SlowSender refused : slowSenders.stream().filter(s -> s.path.endsWith("salpre")).toList()) {
            assertThat(refused.answer()).startsWith("HTTP/1.1 401 ").contains("Connection: close")
                    .endsWith("{\"error\":\"missing or invalid credential\"}");
        }
    }

    @Test
    void aHugeBodyOnAMethodNoRouteTakesIs405Unread() throws Exception {
        for (String method : List.of("PATCH", "PUT", "DELETE")) {
            String answer = SlowSender.answerToHeadersOnly(port, method + " /webhooks/salpre", HUGE, Map.of());
            assertThat(answer).startsWith("HTTP/1.1 405 ").contains("Allow: POST")
                    .endsWith("{\"error\":\"method not allowed\"}");
        }
        String admin = SlowSender.answerToHeadersOnly(port, "PUT /admin/summary", HUGE, Map.of());
        assertThat(admin).startsWith("HTTP/1.1 405 ").contains("Allow: GET");
    }

    @Test
    void aHugeBodyWhereNoneIsTakenIs413Unread() throws Exception {
        String admin = SlowSender.answerToHeadersOnly(port, "GET /admin/summary", HUGE,
                Map.of("Authorization", "Bearer admin-s3cret"));
        assertThat(admin).startsWith("HTTP/1.1 413 ").endsWith("{\"error\":\"this endpoint takes no request body\"}");
        String page = SlowSender.answerToHeadersOnly(port, "GET /admin/", HUGE, Map.of());
        assertThat(page).startsWith("HTTP/1.1 413 ");
    }

    @Test
    void aHugeDeclaredBodyIs413Unread() throws Exception {
        String answer = SlowSender.answerToHeadersOnly(port, "POST /webhooks/salpre", HUGE, TOKEN);
        assertThat(answer).startsWith("HTTP/1.1 413 ").endsWith("{\"error\":\"request body larger than 1048576 bytes\"}");
        String trigger = SlowSender.answerToHeadersOnly(port, "POST /cekura/outbound-trigger", HUGE, Map.of());
        assertThat(trigger).startsWith("HTTP/1.1 413 ");
    }

    @Test
    void aBodyOnAnUnknownBridgePathIs404Unread() throws Exception {
        String answer = SlowSender.answerToHeadersOnly(port, "POST /webhooks/nobody", HUGE, Map.of());
        assertThat(answer).startsWith("HTTP/1.1 404 ").endsWith("{\"error\":\"no such endpoint\"}");
    }

    @Test
    void standaloneEveryPathRefusesABodyItDoesNotTakeUnread() throws Exception {
        // the actuator's and unknown paths: Tomcat would otherwise read the body to its end on a worker
        assertThat(SlowSender.answerToHeadersOnly(port, "GET /actuator/health", HUGE, Map.of()))
                .startsWith("HTTP/1.1 413 ").endsWith("{\"error\":\"this endpoint takes no request body\"}");
        assertThat(SlowSender.answerToHeadersOnly(port, "POST /anything", HUGE, Map.of()))
                .startsWith("HTTP/1.1 413 ");
        assertThat(bridge.get("/actuator/health").statusCode()).isEqualTo(200);
    }

    @Test
    void aMissingOrWrongHeaderCredentialIs401BeforeTheBodyIsRead() throws Exception {
        assertThat(SlowSender.answerToHeadersOnly(port, "POST /webhooks/salpre", 1000, Map.of()))
                .startsWith("HTTP/1.1 401 ");
        assertThat(SlowSender.answerToHeadersOnly(port, "POST /webhooks/salpre", 1000, Map.of("X-Webhook-Token", "wrong")))
                .startsWith("HTTP/1.1 401 ");
        assertThat(SlowSender.answerToHeadersOnly(port, "POST /webhooks/vapi", 1000, Map.of("X-Vapi-Secret", "wrong")))
                .startsWith("HTTP/1.1 401 ");
        assertThat(SlowSender.answerToHeadersOnly(port, "POST /cekura/outbound-trigger", 1000, Map.of("X-CEKURA-SECRET", "wrong")))
                .startsWith("HTTP/1.1 401 ");
        // a body-signed provider: no signature header at all is refused before the body
        assertThat(SlowSender.answerToHeadersOnly(port, "POST /webhooks/retell", 1000, Map.of()))
                .startsWith("HTTP/1.1 401 ").endsWith("{\"error\":\"missing or invalid credential\"}");
    }

    @Autowired
    MeterRegistry registry;

    @Test
    void bodiesStillArrivingShareABoundedRoomAndOneBeyondItIs503Unread() throws Exception {
        // two senders each send 60 KB of a 500 KB body and stop: the first is held (its body still arriving), the
        // second would take the node past its 96 KB for bodies in flight
        SlowSender first = SlowSender.open(port, "POST /webhooks/bland", 500_000, Map.of());
        slowSenders.add(first);
        first.send(60_000);
        await().atMost(Duration.ofSeconds(20)).until(() -> first.answered() || waitingBodies() > 0);
        SlowSender second = SlowSender.open(port, "POST /webhooks/bland", 500_000, Map.of());
        slowSenders.add(second);
        second.send(60_000);

        await().atMost(Duration.ofSeconds(20)).until(second::answered);
        assertThat(second.answer()).startsWith("HTTP/1.1 503 ").contains("Retry-After: 5").contains("Connection: close")
                .endsWith("{\"error\":\"too many request bodies arriving at once, send again shortly\"}");
        assertThat(first.answered()).isFalse();
        // the room is given back: once the first is cut off, a body of the same size is taken in again
        first.close();
        await().atMost(Duration.ofSeconds(20)).until(() -> waitingBodies() == 0);
    }

    /** What the bridge holds of bodies still arriving, as the first sender's progress shows it (bytes read so far). */
    private double waitingBodies() {
        var gauge = registry.find("bridge.ingest.bodies.arriving").gauge();
        return gauge == null ? 0 : gauge.value();
    }

    @Test
    void everyRefusedWebhookIsCountedByProviderAndReason() throws Exception {
        var before = refusals();
        assertThat(bridge.post("/webhooks/salpre", lifecycle("call_initiated", 870003, 1760084505),
                Map.of("X-Webhook-Token", "rotated")).statusCode()).isEqualTo(401);
        assertThat(bridge.post("/webhooks/salpre", "{not json", TOKEN).statusCode()).isEqualTo(400);
        assertThat(SlowSender.answerToHeadersOnly(port, "PATCH /webhooks/salpre", 10, Map.of())).startsWith("HTTP/1.1 405 ");
        assertThat(SlowSender.answerToHeadersOnly(port, "POST /webhooks/salpre", HUGE, TOKEN)).startsWith("HTTP/1.1 413 ");
        String retellSigned = "v=" + System.currentTimeMillis() + ",d=" + "0".repeat(64);
        assertThat(bridge.post("/webhooks/retell", "{\"event\":\"call_ended\"}", Map.of("x-retell-signature", retellSigned))
                .statusCode()).isEqualTo(401);
        // the trigger and the admin are not a provider's webhooks: not counted
        assertThat(SlowSender.answerToHeadersOnly(port, "PUT /admin/summary", 10, Map.of())).startsWith("HTTP/1.1 405 ");

        var after = refusals();
        after.replaceAll((series, count) -> count - before.getOrDefault(series, 0.0));
        after.values().removeIf(delta -> delta == 0);
        assertThat(after).isEqualTo(Map.of("salpre unauthorized", 1.0, "salpre malformed", 1.0, "salpre method", 1.0,
                "salpre too-large", 1.0, "retell bad-signature", 1.0));
    }

    private Map<String, Double> refusals() {
        Map<String, Double> counts = new java.util.TreeMap<>();
        for (var counter : registry.find("bridge.webhooks.refused").counters()) {
            counts.put(counter.getId().getTag("provider") + " " + counter.getId().getTag("reason"), counter.count());
        }
        return counts;
    }

    @Test
    void theRightTokenStillReadsTheBodyAsItComes() throws Exception {
        // a genuine sender whose body comes in pieces (not all buffered with its headers) is read without a thread
        String body = lifecycle("call_initiated", 870002, 1760084505);
        await().atMost(Duration.ofSeconds(20)).until(() -> waitingBodies() == 0);   // no other test's body is still held
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(("POST /webhooks/salpre?token=s3cret-token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, 0, 10);
            out.flush();
            // a pause mid-body, as a slow network has (the point of the test): the rest is sent only once the bridge
            // holds the first part and waits for more
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingBodies() > 0);
            out.write(bytes, 10, bytes.length - 10);
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("{\"status\":\"accepted\"}");
        }
    }

    /** A raw connection that declares a body and sends it a byte at a time. */
    static final class SlowSender {
        final String path;
        private final Socket socket;
        private final long length;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final CompletableFuture<String> answer = new CompletableFuture<>();

        private SlowSender(String path, Socket socket, long length) {
            this.path = path;
            this.socket = socket;
            this.length = length;
        }

        static SlowSender open(int port, String requestLine, long length, Map<String, String> headers) throws IOException {
            Socket socket = new Socket("127.0.0.1", port);
            socket.getOutputStream().write(head(requestLine, length, headers));
            socket.getOutputStream().flush();
            SlowSender sender = new SlowSender(requestLine, socket, length);
            Thread reader = new Thread(sender::readAnswer, "slow-sender-reader");
            reader.setDaemon(true);
            reader.start();
            return sender;
        }

        /** Sends the headers and nothing of the body; returns the whole answer (the server closes the connection). */
        static String answerToHeadersOnly(int port, String requestLine, long length, Map<String, String> headers) throws IOException {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(30_000);
                socket.getOutputStream().write(head(requestLine, length, headers));
                socket.getOutputStream().write("{".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                return readAll(socket.getInputStream());
            }
        }

        private static byte[] head(String requestLine, long length, Map<String, String> headers) {
            StringBuilder head = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                    .append("Content-Type: application/json\r\nContent-Length: ").append(length).append("\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            return head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        }

        /** {@code bytes} of the body at once (then nothing more unless asked). */
        void send(int bytes) throws IOException {
            socket.getOutputStream().write(new byte[bytes]);
            socket.getOutputStream().flush();
        }

        /** One byte a second until the body is sent, answered or closed; no thread waits between the bytes. */
        void drip(ScheduledExecutorService pace) {
            AtomicLong sent = new AtomicLong();
            pace.scheduleAtFixedRate(() -> {
                if (sent.get() >= length || closed.get() || answer.isDone()) {
                    throw new CancellationException("done");   // ends this sender's schedule
                }
                try {
                    socket.getOutputStream().write(' ');
                    socket.getOutputStream().flush();
                    sent.incrementAndGet();
                } catch (IOException cutOff) {
                    throw new CancellationException("cut off by the server");
                }
            }, 0, 1, TimeUnit.SECONDS);
        }

        private void readAnswer() {
            try {
                answer.complete(readAll(socket.getInputStream()));
            } catch (IOException cutOff) {
                answer.complete("");
            }
        }

        boolean answered() {
            return answer.isDone();
        }

        String answer() {
            return answer.join();
        }

        void close() {
            closed.set(true);
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }

        private static String readAll(InputStream in) throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    all.write(buffer, 0, read);
                }
            } catch (java.net.SocketException reset) {
                // the server closed after its answer while we were still sending: the answer is what counts
            }
            return all.toString(StandardCharsets.UTF_8);
        }
    }
}
