package callbridge.crash;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static callbridge.support.SalpreEvents.transcript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeClient;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import callbridge.support.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged bridge killed with SIGKILL at the worst moments and started again on the same H2 file:
 * every call reaches the stub Cekura. Figures go to target/kill-nine-figures.txt.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KillNineIT {
    static final StubHttpServer cekura = StubHttpServer.start();
    static BridgeProcess bridge;
    static final StringBuilder figures = new StringBuilder();

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "kill-nine"));
        Map<String, String> env = new HashMap<>();
        env.put("SPRING_DATASOURCE_URL", TestStores.h2Url(dir.resolve("bridge-" + UUID.randomUUID())));
        env.put("CEKURA_WEBHOOK_URL", cekura.url("/cekura/hook"));
        env.put("CEKURA_API_KEY", "kill-key");
        env.put("CEKURA_AGENT_ID", "9");
        env.put("BRIDGE_CALL_GRACE", "500ms");
        env.put("BRIDGE_NODE_NAME", "kill-nine-node");
        env.put("CEKURA_RETRY_INITIAL_DELAY", "1s");
        env.put("CEKURA_DELIVERY_WINDOW", "2m");
        env.put("CEKURA_CONNECT_TIMEOUT", "1s");
        env.put("CEKURA_RESPONSE_TIMEOUT", "2s");
        bridge = new BridgeProcess(env, dir.resolve("bridge.log"));
        bridge.start();
    }

    @AfterAll
    static void stop() throws Exception {
        bridge.stop();
        cekura.close();
        Files.writeString(Path.of("target", "kill-nine-figures.txt"), figures.toString());
        System.out.print(figures);
    }

    BridgeClient client() {
        return new BridgeClient(bridge.port());
    }

    @Test
    @Order(1)
    void answeredEventsSurviveAKillRightAfterTheAnswerAndCallsCompleteAfterRestart() throws Exception {
        List<Long> calls = LongStream.rangeClosed(960_001, 960_050).boxed().toList();
        for (long id : calls) {
            assertThat(client().post("/webhooks/salpre", lifecycle("call_answered", id, 1760084576)).statusCode()).isEqualTo(200);
            assertThat(client().post("/webhooks/salpre", transcript(id, 1760084580, "customer", "said before the kill " + id, "1760084580")).statusCode()).isEqualTo(200);
        }
        bridge.kill(); // right after the last 200
        bridge.start();
        for (long id : calls) {
            assertThat(client().post("/webhooks/salpre", ended(id, 1760084597, List.of())).statusCode()).isEqualTo(200);
        }
        Map<String, Long> delivered = awaitDelivered(calls);
        for (long id : calls) {
            String body = cekura.callsWithId("salpre-" + id).stream().filter(r -> r.answeredStatus() == 200).findFirst().orElseThrow().body();
            assertThat(body).contains("said before the kill " + id);
        }
        record("mid-call kill", calls.size(), delivered);
        assertThat(delivered.values()).allMatch(n -> n == 1);
    }

    @Test
    @Order(2)
    void pendingRedeliveriesSurviveAKillAndAreMadeOnce() throws Exception {
        List<Long> calls = LongStream.rangeClosed(961_001, 961_030).boxed().toList();
        for (long id : calls) {
            cekura.scriptCall("salpre-" + id, Answer.of(200), Answer.of(503), Answer.of(503));
            client().post("/webhooks/salpre", lifecycle("call_answered", id, 1760084576));
            client().post("/webhooks/salpre", ended(id, 1760084597, List.of()));
        }
        // every call has failed at least once and waits for its redelivery
        await().atMost(Duration.ofSeconds(30)).until(() -> calls.stream().allMatch(id -> !cekura.callsWithId("salpre-" + id).isEmpty()));
        bridge.kill();
        bridge.start();
        Map<String, Long> delivered = awaitDelivered(calls);
        long attempts = calls.stream().mapToLong(id -> cekura.callsWithId("salpre-" + id).size()).sum();
        record("mid-redelivery kill (2 x 503 then 200 per call, " + attempts + " requests)", calls.size(), delivered);
        assertThat(delivered.values()).allMatch(n -> n == 1);
    }

    @Test
    @Order(3)
    void aKillDuringADeliveryBurstLosesNothing() throws Exception {
        List<Long> calls = LongStream.rangeClosed(962_001, 962_200).boxed().toList();
        for (long id : calls) {
            client().post("/webhooks/salpre", lifecycle("call_answered", id, 1760084576));
            client().post("/webhooks/salpre", ended(id, 1760084597, List.of()));
        }
        // kill while calls are being completed and delivered; count calls, not POSTs (a POST carries up to 25 calls)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                .until(() -> calls.stream().filter(id -> !cekura.callsWithId("salpre-" + id).isEmpty()).count() >= 40);
        bridge.kill();
        Instant killedAt = Instant.now();
        bridge.start();
        Map<String, Long> delivered = awaitDelivered(calls);
        record("kill during a delivery burst", calls.size(), delivered);
        // a kill between Cekura's 200 and the bridge's bookkeeping re-sends that call, and only that kind of call:
        // every duplicate's first copy reached Cekura before the kill
        List<String> duplicated = delivered.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        for (String id : duplicated) {
            Instant first = cekura.callsWithId(id).stream().filter(r -> r.answeredStatus() == 200)
                    .map(StubHttpServer.Request::at).min(Instant::compareTo).orElseThrow();
            assertThat(first).as("first copy of duplicated %s", id).isBefore(killedAt);
        }
        // at most what 8 senders can have in flight: 8 POSTs of up to 25 calls
        assertThat(duplicated).hasSizeLessThanOrEqualTo(8 * 25);
    }

    private static Map<String, Long> awaitDelivered(List<Long> calls) {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                calls.stream().allMatch(id -> cekura.callsWithId("salpre-" + id).stream().anyMatch(r -> r.answeredStatus() == 200)));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
        return calls.stream().collect(Collectors.toMap(id -> "salpre-" + id,
                id -> cekura.callsWithId("salpre-" + id).stream().filter(r -> r.answeredStatus() == 200).count()));
    }

    private static void record(String scenario, int sent, Map<String, Long> delivered) {
        long once = delivered.values().stream().filter(n -> n == 1).count();
        long twice = delivered.values().stream().filter(n -> n > 1).count();
        figures.append(String.format("%s: calls sent %d, delivered %d, delivered once %d, duplicated %d%n",
                scenario, sent, delivered.values().stream().filter(n -> n >= 1).count(), once, twice));
    }
}
