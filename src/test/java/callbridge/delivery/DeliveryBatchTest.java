package callbridge.delivery;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static callbridge.support.SalpreEvents.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Calls completed by one poll go to Cekura in one POST (at most {@code cekura.batch-max} each);
 * a failed batch is attempt 1 of each of its calls, which then go alone, each with its own retries and dead letter.
 * The completion poller is held while the calls end, so they are due together: one poll takes them all.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cekura.batch-max=3", "cekura.retry-initial-delay=200ms", "bridge.admin-token=ops-token"})
class DeliveryBatchTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer ops-token");

    @Autowired
    CamelContext camel;

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "delivery-batch", cekura);
    }

    @AfterEach
    void reset() {
        cekura.reset();
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void callsDueTogetherGoInOnePostEachExactlyAsRecordedForItAlone() throws Exception {
        List<Long> ids = List.of(950001L, 950002L, 950003L, 950004L);
        endTogether(ids);

        await().atMost(Duration.ofSeconds(10)).until(() -> ids.stream().allMatch(id -> delivered(id)));
        List<StubHttpServer.Request> posts = cekura.requests();
        // four calls, at most three per POST: one batch of three and one call alone
        assertThat(posts).hasSize(2);
        assertThat(posts).extracting(post -> calls(post).size()).containsExactlyInAnyOrder(3, 1);
        for (StubHttpServer.Request post : posts) {
            JsonNode body = BridgeTestSupport.JSON.readTree(post.body());
            assertThat(body.path("agent_id").asInt()).isEqualTo(42);
            assertThat(post.header("X-CEKURA-API-KEY")).isEqualTo(BridgeTestSupport.API_KEY);
            for (JsonNode call : body.path("calls")) {
                String callId = call.path("id").asText().substring("salpre-".length());
                JsonNode view = adminView(callId);
                // the call in the batch is the call object of the payload recorded for it
                JSONAssert.assertEquals(view.path("payload").path("calls").get(0).toString(), call.toString(), JSONCompareMode.STRICT);
                assertThat(view.path("attempts").asInt()).isEqualTo(1);
                assertThat(view.path("deliveryAttempts")).extracting(a -> a.path("outcome").asText()).containsExactly("delivered");
            }
        }
        JsonNode first = BridgeTestSupport.JSON.readTree(posts.get(0).body()).path("calls").get(0);
        assertThat(first.path("messages")).hasSize(2);
    }

    @Test
    void aFailedBatchIsAttemptOneOfEachCallThenEachGoesAlone() throws Exception {
        List<Long> ids = List.of(950011L, 950012L, 950013L);
        // the batch (it names 950012) meets a 503; then Cekura refuses 950012 alone and takes the others
        cekura.scriptCall("salpre-950012", Answer.of(422, "{\"error\":\"bad call\"}"), Answer.of(503, "{\"error\":\"busy\"}"));
        endTogether(ids);

        await().atMost(Duration.ofSeconds(10)).until(() -> delivered(950011) && delivered(950013)
                && "dead-lettered".equals(adminView("950012").path("state").asText()));
        List<StubHttpServer.Request> posts = cekura.requests();
        assertThat(calls(posts.get(0))).hasSize(3);
        assertThat(posts.get(0).answeredStatus()).isEqualTo(503);
        // then one POST per call, after the first retry delay (200 ms, ±15 %)
        assertThat(posts.subList(1, posts.size())).hasSize(3).allMatch(post -> calls(post).size() == 1)
                .allMatch(post -> Duration.between(posts.get(0).at(), post.at()).toMillis() >= 170);
        for (long id : List.of(950011L, 950013L)) {
            assertThat(cekura.callsWithId("salpre-" + id)).extracting(StubHttpServer.Request::answeredStatus).containsExactly(503, 200);
            JsonNode view = adminView(String.valueOf(id));
            assertThat(view.path("attempts").asInt()).isEqualTo(2);
            assertThat(view.path("deliveryAttempts")).extracting(a -> a.path("outcome").asText())
                    .containsExactly("retry-scheduled", "delivered");
        }
        assertThat(cekura.callsWithId("salpre-950012")).extracting(StubHttpServer.Request::answeredStatus).containsExactly(503, 422);
        assertThat(adminView("950012").path("attempts").asInt()).isEqualTo(2);
    }

    /** Every call ends while the completion poller is held; all are past their grace when it resumes. */
    private void endTogether(List<Long> ids) throws Exception {
        camel.getRouteController().stopRoute("calls-due");
        try {
            for (long id : ids) {
                assertThat(bridge.post("/webhooks/salpre", lifecycle("call_initiated", id, 1760084505)).statusCode()).isEqualTo(200);
                assertThat(bridge.post("/webhooks/salpre", ended(id, 1760084597,
                        List.of(line("ai", "Hello", null), line("customer", "Hi", "1760084580")))).statusCode()).isEqualTo(200);
            }
            // each call is due once its grace (300 ms) has run out: wait for the last of them, not a fixed time
            await().atMost(Duration.ofSeconds(5)).until(() -> ids.stream().allMatch(this::pastDue));
        } finally {
            camel.getRouteController().startRoute("calls-due");
        }
    }

    private boolean pastDue(long id) {
        JsonNode view = adminView(String.valueOf(id));
        return "open".equals(view.path("state").asText()) && !view.path("endedReceivedAt").isNull()
                && Instant.parse(view.path("dueAt").asText()).isBefore(Instant.now());
    }

    private boolean delivered(long id) {
        return "delivered".equals(adminView(String.valueOf(id)).path("state").asText());
    }

    private static List<JsonNode> calls(StubHttpServer.Request post) {
        try {
            List<JsonNode> calls = new ArrayList<>();
            BridgeTestSupport.JSON.readTree(post.body()).path("calls").forEach(calls::add);
            return calls;
        } catch (Exception unreadable) {
            throw new AssertionError(unreadable);
        }
    }

    private JsonNode adminView(String callId) {
        try {
            return BridgeTestSupport.JSON.readTree(bridge.get("/admin/calls/salpre/" + callId, ADMIN).body());
        } catch (Exception unreadable) {
            throw new AssertionError(unreadable);
        }
    }
}
