package callbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Cekura failing in every way it can, scripted per call: retries with backoff, Retry-After,
 * rejections, a window that runs out, dead letters and their replay.
 */
@CamelSpringBootTest
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cekura.retry-initial-delay=200ms", "cekura.retry-max-attempts=10", "cekura.delivery-window=3s",
        "cekura.response-timeout=1s", "bridge.admin-token=ops-token"})
class DeliveryFaultsTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer ops-token");

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "delivery-faults", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }


    @Test
    void twoServerErrorsThenSuccessIsThreeAttemptsAndOneDelivery() throws Exception {
        cekura.scriptCall("salpre-940001", Answer.of(200), Answer.of(503), Answer.of(503));
        endSalpreCall(940001);

        await().atMost(Duration.ofSeconds(10)).until(() -> cekura.callsWithId("salpre-940001").size() == 3);
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> cekura.callsWithId("salpre-940001").size() == 3);
        List<StubHttpServer.Request> sent = cekura.callsWithId("salpre-940001");
        assertThat(sent.get(0).body()).isEqualTo(sent.get(2).body());
        JsonNode view = call("940001");
        assertThat(view.path("state").asText()).isEqualTo("delivered");
        assertThat(view.path("attempts").asInt()).isEqualTo(3);
        assertThat(view.path("deliveryAttempts")).extracting(a -> a.path("outcome").asText())
                .containsExactly("retry-scheduled", "retry-scheduled", "delivered");
        assertThat(view.path("deliveryAttempts")).extracting(a -> a.path("status").asInt()).containsExactly(503, 503, 200);
        // exponential: 200 ms ±15 %, then 400 ms ±15 %. A loaded machine only stretches a wait, never shortens it, so
        // the lower bounds hold under any load, and a second wait of 340 ms or more is one a flat 200 ms policy never gives
        long firstWait = Duration.between(sent.get(0).at(), sent.get(1).at()).toMillis();
        long secondWait = Duration.between(sent.get(1).at(), sent.get(2).at()).toMillis();
        assertThat(firstWait).isGreaterThanOrEqualTo(170);
        assertThat(secondWait).isGreaterThanOrEqualTo(340);
    }

    @Test
    void tooManyRequestsIsRetriedAfterItsRetryAfter() throws Exception {
        cekura.scriptCall("salpre-940002", Answer.of(200), new Answer(429, "{\"error\":\"slow down\"}", Map.of("Retry-After", "1")));
        endSalpreCall(940002);

        await().atMost(Duration.ofSeconds(10)).until(() -> cekura.callsWithId("salpre-940002").size() == 2);
        List<StubHttpServer.Request> sent = cekura.callsWithId("salpre-940002");
        assertThat(Duration.between(sent.get(0).at(), sent.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        await().atMost(Duration.ofSeconds(5)).until(() -> "delivered".equals(call("940002").path("state").asText()));
    }

    @Test
    void badRequestIsOneAttemptAndADeadLetterWithCekurasAnswer() throws Exception {
        cekura.scriptCall("salpre-940003", Answer.of(400, "{\"detail\":\"agent_id must be an integer\"}"));
        endSalpreCall(940003);

        JsonNode letter = awaitLetter("940003");
        assertThat(letter.path("reason").asText()).isEqualTo("HTTP 400: {\"detail\":\"agent_id must be an integer\"}");
        assertThat(letter.path("attempts").asInt()).isEqualTo(1);
        assertThat(letter.path("lastStatus").asInt()).isEqualTo(400);
        assertThat(letter.path("provider").asText()).isEqualTo("salpre");
        assertThat(letter.path("status").asText()).isEqualTo("waiting");
        assertThat(letter.path("deadAt").asText()).isNotEmpty();
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> cekura.callsWithId("salpre-940003").size() == 1);
        assertThat(call("940003").path("state").asText()).isEqualTo("dead-lettered");
    }

    @Test
    void cekuraDownForTheWholeWindowIsWindowExpiredThenReplayAllDeliversEachOnce() throws Exception {
        cekura.scriptCall("salpre-940004", Answer.of(503));
        cekura.scriptCall("salpre-940005", Answer.of(503));
        endSalpreCall(940004);
        endSalpreCall(940005);

        JsonNode first = awaitLetter("940004");
        JsonNode second = awaitLetter("940005");
        assertThat(first.path("reason").asText()).isEqualTo("window-expired");
        assertThat(second.path("reason").asText()).isEqualTo("window-expired");
        // 200, 400, 800, 1600 ms of backoff fit in 3 s; the next would not: 5 attempts at most. At least one retry
        // whatever the machine's load (a late scheduler leaves fewer attempts inside the window, never more)
        assertThat(first.path("attempts").asInt()).isBetween(2, 5);
        int attemptsBefore = cekura.callsWithId("salpre-940004").size();
        assertThat(attemptsBefore).isEqualTo(first.path("attempts").asInt());
        assertThat(metrics()).contains("bridge_dead_letters_waiting");

        cekura.scriptCall("salpre-940004", Answer.of(200));
        cekura.scriptCall("salpre-940005", Answer.of(200));
        var replay = bridge.post("/admin/dead-letters/replay", "", ADMIN);
        assertThat(replay.statusCode()).isEqualTo(202);
        assertThat(BridgeTestSupport.JSON.readTree(replay.body()).path("replaying").asInt()).isGreaterThanOrEqualTo(2);

        await().atMost(Duration.ofSeconds(10)).until(() -> "delivered".equals(call("940004").path("state").asText())
                && "delivered".equals(call("940005").path("state").asText()));
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() ->
                cekura.callsWithId("salpre-940004").size() == attemptsBefore + 1);
        assertThat(letters()).noneMatch(l -> l.path("callId").asText().equals("940004") || l.path("callId").asText().equals("940005"));
        assertThat(metrics()).contains("bridge_deliveries_total{application=\"cekura-call-bridge\",outcome=\"dead-lettered\",reason=\"window-expired\"}");
    }

    @Test
    void replayOfOneLetterThatFailsAgainComesBackWithTheSameId() throws Exception {
        cekura.scriptCall("salpre-940006", Answer.of(422, "{\"detail\":\"bad\"}"));
        endSalpreCall(940006);
        JsonNode letter = awaitLetter("940006");
        long id = letter.path("id").asLong();

        var replay = bridge.post("/admin/dead-letters/" + id + "/replay", "", ADMIN);
        assertThat(replay.statusCode()).isEqualTo(202);
        assertThat(replay.body()).isEqualTo("{\"id\":" + id + ",\"status\":\"replaying\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> cekura.callsWithId("salpre-940006").size() == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> "waiting".equals(awaitLetter("940006").path("status").asText()));
        assertThat(awaitLetter("940006").path("id").asLong()).isEqualTo(id);

        cekura.scriptCall("salpre-940006", Answer.of(200));
        assertThat(bridge.post("/admin/dead-letters/" + id + "/replay", "", ADMIN).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> "delivered".equals(call("940006").path("state").asText()));
        assertThat(letters()).noneMatch(l -> l.path("id").asLong() == id);
        assertThat(bridge.post("/admin/dead-letters/" + id + "/replay", "", ADMIN).statusCode()).isEqualTo(404);
    }

    @Test
    void anAnswerSlowerThanTheResponseTimeoutIsRetried() throws Exception {
        cekura.scriptCall("salpre-940007", Answer.of(200), Answer.slow(200, 2500));
        endSalpreCall(940007);

        await().atMost(Duration.ofSeconds(10)).until(() -> "delivered".equals(call("940007").path("state").asText()));
        JsonNode view = call("940007");
        assertThat(view.path("attempts").asInt()).isEqualTo(2);
        assertThat(view.path("deliveryAttempts").get(0).path("detail").asText()).startsWith("unreachable: ");
        assertThat(view.path("deliveryAttempts").get(0).path("detail").asText()).containsIgnoringCase("timeout");
    }

    @Test
    void adminEndpointsNeedTheToken() {
        assertThat(bridge.get("/admin/dead-letters").statusCode()).isEqualTo(401);
        assertThat(bridge.post("/admin/dead-letters/replay", "").statusCode()).isEqualTo(401);
        assertThat(bridge.post("/admin/dead-letters/1/replay", "", Map.of("Authorization", "Bearer nope")).statusCode()).isEqualTo(401);
        assertThat(bridge.get("/admin/dead-letters", ADMIN).statusCode()).isEqualTo(200);
    }

    private JsonNode call(String callId) throws Exception {
        return BridgeTestSupport.JSON.readTree(bridge.get("/admin/calls/salpre/" + callId, ADMIN).body());
    }

    private List<JsonNode> letters() throws Exception {
        var answer = bridge.get("/admin/dead-letters", ADMIN);
        assertThat(answer.statusCode()).isEqualTo(200);
        List<JsonNode> out = new java.util.ArrayList<>();
        BridgeTestSupport.JSON.readTree(answer.body()).forEach(out::add);
        return out;
    }

    private JsonNode awaitLetter(String callId) {
        return await().atMost(Duration.ofSeconds(15)).until(
                () -> letters().stream().filter(l -> l.path("callId").asText().equals(callId)).findFirst().orElse(null),
                java.util.Objects::nonNull);
    }

    private String metrics() {
        return bridge.get("/actuator/prometheus").body();
    }
}
