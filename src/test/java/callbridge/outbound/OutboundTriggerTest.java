package callbridge.outbound;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Cekura's Trigger URL (seed 003): accept, check, store, answer 201, dial through a stub provider API. */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cekura.trigger-secret=cekura-secret", "cekura.trigger-token=trigger-secret", "cekura.contact-numbers=+15551234567, +15557654321",
        "outbound.dial-api-key=dial-key", "outbound.retry-initial-delay=200ms", "outbound.dial-window=6s", "outbound.answer-wait=1s",
        "bridge.outbound.poll-interval=50"})
class OutboundTriggerTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final StubHttpServer dialApi = StubHttpServer.start().answerByDefault(Answer.of(200, "{\"call_id\":\"prov-call-1\"}"));
    /** As Cekura sends it: the trigger secret set in the agent's settings. */
    static final Map<String, String> TOKEN = Map.of("X-CEKURA-SECRET", "cekura-secret");

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "outbound", cekura);
        registry.add("outbound.dial-url", () -> dialApi.url("/dial"));
    }

    @AfterAll
    static void stop() {
        cekura.close();
        dialApi.close();
    }


    @Test
    void validTriggerIsAnswered201AndDialedOnceWithTheRightRequest() throws Exception {
        Instant before = Instant.now();
        HttpResponse<String> answer = trigger("+14155550101", "{\"name\":\"Ada\",\"plan\":{\"tier\":\"gold\"}}", TOKEN);
        assertThat(answer.statusCode()).isEqualTo(201);
        JsonNode body = BridgeTestSupport.JSON.readTree(answer.body());
        String id = body.path("id").asText();
        assertThat(id).startsWith("trg_");
        assertThat(body.fieldNames()).toIterable().containsExactly("success", "id", "status", "dial_deadline", "call_id");
        assertThat(body.path("success").asBoolean()).isTrue();
        assertThat(body.path("status").asText()).isEqualTo("dialed");          // the answer waited for the dial
        assertThat(body.path("call_id").asText()).isEqualTo("prov-call-1");
        Instant deadline = Instant.parse(body.path("dial_deadline").asText());
        assertThat(deadline).isBetween(before.plusSeconds(6), Instant.now().plusSeconds(6));   // OUTBOUND_DIAL_WINDOW=6s

        StubHttpServer.Request dial = awaitOnlyDial(id);
        JSONAssert.assertEquals("{\"from_number\":\"+15551234567\",\"to_number\":\"+14155550101\","
                + "\"dynamic_variables\":{\"name\":\"Ada\",\"plan\":{\"tier\":\"gold\"}},\"trigger_id\":\"" + id + "\"}",
                dial.body(), JSONCompareMode.STRICT);
        assertThat(dial.method()).isEqualTo("POST");
        assertThat(dial.header("Authorization")).isEqualTo("Bearer dial-key");
        assertThat(dial.header("Idempotency-Key")).isEqualTo(id);
        assertThat(dial.header("Content-Type")).startsWith("application/json");
        assertThat(dial.headers().keySet()).noneMatch(h -> h.equals("x-webhook-token") || h.equals("x-cekura-secret") || h.startsWith("bridge"));

        await().atMost(Duration.ofSeconds(5)).until(() -> "dialed".equals(view(id).path("status").asText()));
        JsonNode view = view(id);
        assertThat(view.path("attempts").asInt()).isEqualTo(1);
        assertThat(view.path("providerCallId").asText()).isEqualTo("prov-call-1");
    }

    @Test
    void everyBadInputHasItsStatus() {
        assertError(bridge.post("/cekura/outbound-trigger", "{\"from_number\": ", TOKEN), 400, "malformed JSON at line 1, column 17");
        assertError(bridge.post("/cekura/outbound-trigger", "{\"to_number\":\"+14155550101\"}", TOKEN), 400, "missing required field: from_number");
        assertError(trigger("12345", null, TOKEN), 400, "field to_number must be an E.164 number (+ and 8 to 15 digits)");
        assertError(bridge.post("/cekura/outbound-trigger", "{\"from_number\":\"+1555123\",\"to_number\":\"+14155550101\"}", TOKEN),
                400, "field from_number must be an E.164 number (+ and 8 to 15 digits)");
        assertError(bridge.post("/cekura/outbound-trigger",
                "{\"from_number\":\"+15551234567\",\"to_number\":\"+14155550101\",\"dynamic_variables\":\"x\"}", TOKEN),
                400, "field dynamic_variables must be a JSON object");
        HttpResponse<String> refused = bridge.post("/cekura/outbound-trigger",
                "{\"from_number\":\"+15550000000\",\"to_number\":\"+14155550101\"}", TOKEN);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("contact_number").contains("drops");
        assertError(trigger("+14155550101", null, Map.of()), 401, "missing or invalid credential");
        assertError(trigger("+14155550101", null, Map.of("X-CEKURA-SECRET", "cekura-secreT")), 401, "missing or invalid credential");
        assertError(trigger("+14155550101", null, Map.of("X-CEKURA-SECRET", "trigger-secreT")), 401, "missing or invalid credential");
        assertError(bridge.post("/cekura/outbound-trigger?token=trigger-secreT", "{}"), 401, "missing or invalid credential");
        assertThat(bridge.get("/cekura/outbound-trigger", TOKEN).statusCode()).isEqualTo(405);
    }

    @Test
    void theOlderTokenStaysAnAliasAsHeaderOrQuery() throws Exception {
        assertThat(idOf(trigger("+14155550111", null, Map.of("X-Webhook-Token", "trigger-secret")))).startsWith("trg_");
        assertThat(idOf(bridge.post("/cekura/outbound-trigger?token=trigger-secret",
                "{\"from_number\":\"+15551234567\",\"to_number\":\"+14155550112\"}"))).startsWith("trg_");
        await().atMost(Duration.ofSeconds(10)).until(() -> !dialApi.requests(r -> r.body().contains("+14155550112")).isEmpty());
        assertThat(dialApi.requests(r -> r.body().contains("+14155550112")).get(0).path()).isEqualTo("/dial");   // no ?token= passed on
    }

    @Test
    void dialApiErrorsAreRetriedUntilDialed() throws Exception {
        dialApi.scriptContaining("+14155550500", Answer.of(200, "{\"id\":\"prov-500\"}"), Answer.of(500), Answer.of(500));
        String id = idOf(trigger("+14155550500", null, TOKEN));

        await().atMost(Duration.ofSeconds(10)).until(() -> "dialed".equals(view(id).path("status").asText()));
        assertThat(view(id).path("attempts").asInt()).isEqualTo(3);
        assertThat(dialApi.requests(r -> r.body().contains(id))).hasSize(3);
        assertThat(view(id).path("providerCallId").asText()).isEqualTo("prov-500");
    }

    @Test
    void dialApiDownMeansNoAttemptAfterTheWindowAndExpired() throws Exception {
        dialApi.scriptContaining("+14155550503", Answer.of(503));
        // the platform gives no answer at all until Cekura has its own: nothing but OUTBOUND_ANSWER_WAIT can end the wait
        StubHttpServer.Hold platform = dialApi.holdContaining("+14155550503");
        Instant sent = Instant.now();
        HttpResponse<String> answer;
        try {
            answer = trigger("+14155550503", null, TOKEN);
        } finally {
            platform.release();
        }
        assertThat(Duration.between(sent, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(900));   // OUTBOUND_ANSWER_WAIT=1s
        String id = idOf(answer);
        assertThat(BridgeTestSupport.JSON.readTree(answer.body()).has("call_id")).isFalse();
        Instant deadline = Instant.parse(BridgeTestSupport.JSON.readTree(answer.body()).path("dial_deadline").asText());

        // answered before the dial was given up: the retries (the first attempt's answer included) come after it
        await().atMost(Duration.ofSeconds(20)).until(() -> "expired".equals(view(id).path("status").asText()));
        List<StubHttpServer.Request> attempts = dialApi.requests(r -> r.body().contains(id));
        assertThat(attempts.size()).isGreaterThanOrEqualTo(3);
        assertThat(attempts).allMatch(r -> r.at().isBefore(deadline));
        assertThat(view(id).path("attempts").asInt()).isEqualTo(attempts.size());
    }

    @Test
    void forbiddenIsFailedWithTheProvidersAnswer() throws Exception {
        dialApi.scriptContaining("+14155550403", Answer.of(403, "{\"error\":\"number not allowed\"}"));
        String id = idOf(trigger("+14155550403", null, TOKEN));

        await().atMost(Duration.ofSeconds(10)).until(() -> "failed".equals(view(id).path("status").asText()));
        JsonNode view = view(id);
        assertThat(view.path("lastStatus").asInt()).isEqualTo(403);
        assertThat(view.path("lastError").asText()).isEqualTo("HTTP 403: {\"error\":\"number not allowed\"}");
        assertThat(view.path("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void aRepeatedIdempotencyKeyGetsTheFirstAnswerAndDialsNothingNew() throws Exception {
        Map<String, String> headers = new HashMap<>(TOKEN);
        headers.put("Idempotency-Key", "cekura-run-42");
        HttpResponse<String> first = trigger("+14155550142", null, headers);
        HttpResponse<String> again = trigger("+14155550142", null, headers);
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body());
        awaitOnlyDial(idOf(first));
        assertThat(dialApi.requests(r -> r.body().contains("+14155550142"))).hasSize(1);
    }

    @Test
    void anIdempotencyKeyLongerThanItsColumnIs400AndNothingIsDialed() {
        Map<String, String> headers = new HashMap<>(TOKEN);
        headers.put("Idempotency-Key", "k".repeat(201));
        assertError(trigger("+14155550201", null, headers), 400, "header Idempotency-Key is longer than 200 characters");
        headers.put("Idempotency-Key", "k".repeat(200));
        assertThat(trigger("+14155550201", null, headers).statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(10)).until(() -> !dialApi.requests(r -> r.body().contains("+14155550201")).isEmpty());
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                .until(() -> dialApi.requests(r -> r.body().contains("+14155550201")).size() == 1);
    }

    @Test
    void aKeyReusedWithAnotherBodyIs422AndTheSameBodyGetsTheFirstAnswer() throws Exception {
        Map<String, String> headers = new HashMap<>(TOKEN);
        headers.put("Idempotency-Key", "cekura-run-43");
        HttpResponse<String> first = trigger("+14155550731", "{\"name\":\"Ada\",\"plan\":{\"tier\":\"gold\",\"seats\":3}}", headers);
        String id = idOf(first);

        String reused = "Idempotency-Key was already used for a trigger with another body "
                + "(from_number, to_number or dynamic_variables differ): use a new key for a new trigger";
        assertError(trigger("+14155550732", "{\"name\":\"Ada\",\"plan\":{\"tier\":\"gold\",\"seats\":3}}", headers), 422, reused);
        assertError(trigger("+14155550731", "{\"name\":\"Ada\",\"plan\":{\"tier\":\"gold\",\"seats\":4}}", headers), 422, reused);
        assertError(trigger("+14155550731", null, headers), 422, reused);
        assertError(bridge.post("/cekura/outbound-trigger", "{\"from_number\":\"+15557654321\",\"to_number\":\"+14155550731\","
                + "\"dynamic_variables\":{\"name\":\"Ada\",\"plan\":{\"tier\":\"gold\",\"seats\":3}}}", headers), 422, reused);

        // the same body (as JSON: fields in another order, other spacing) is the same trigger
        HttpResponse<String> again = bridge.post("/cekura/outbound-trigger", "{ \"dynamic_variables\": {\"plan\": {\"seats\": 3, \"tier\": \"gold\"},"
                + " \"name\": \"Ada\"}, \"to_number\": \"+14155550731\", \"from_number\": \"+15551234567\" }", headers);
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body());
        awaitOnlyDial(id);
        assertThat(dialApi.requests(r -> r.body().contains("+14155550731") || r.body().contains("+14155550732"))).hasSize(1);
    }

    @Test
    void theCallThatATriggerPlacedCarriesTheTriggerToCekura() throws Exception {
        dialApi.scriptContaining("+14155550880", Answer.of(200, "{\"id\":880001}"));
        String id = idOf(trigger("+14155550880", "{\"customer\":\"Grace\"}", TOKEN));
        await().atMost(Duration.ofSeconds(5)).until(() -> "dialed".equals(view(id).path("status").asText()));

        bridge.post("/webhooks/salpre", lifecycle("call_answered", 880001, 1760084576));
        bridge.post("/webhooks/salpre", ended(880001, 1760084597, List.of()));
        JsonNode metadata = BridgeTestSupport.JSON.readTree(cekura.awaitOnlyCall("salpre-880001").body())
                .path("calls").get(0).path("metadata");
        assertThat(metadata.path("outbound_trigger_id").asText()).isEqualTo(id);
        assertThat(metadata.path("dynamic_variables").path("customer").asText()).isEqualTo("Grace");
    }

    @Test
    void unknownTriggerIs404() {
        assertThat(bridge.get("/admin/outbound-triggers/trg_nope").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> trigger(String to, String dynamicVariables, Map<String, String> headers) {
        String body = "{\"from_number\":\"+15551234567\",\"to_number\":\"" + to + "\""
                + (dynamicVariables == null ? "" : ",\"dynamic_variables\":" + dynamicVariables) + "}";
        return bridge.post("/cekura/outbound-trigger", body, headers);
    }

    private StubHttpServer.Request awaitOnlyDial(String triggerId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !dialApi.requests(r -> r.body().contains(triggerId)).isEmpty());
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> dialApi.requests(r -> r.body().contains(triggerId)).size() == 1);
        return dialApi.requests(r -> r.body().contains(triggerId)).get(0);
    }

    private static String idOf(HttpResponse<String> answer) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return BridgeTestSupport.JSON.readTree(answer.body()).path("id").asText();
    }

    private JsonNode view(String id) throws Exception {
        return BridgeTestSupport.JSON.readTree(bridge.get("/admin/outbound-triggers/" + id).body());
    }

    private static void assertError(HttpResponse<String> answer, int status, String message) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.body()).isEqualTo(ErrorBody.of(message));
    }

    private static final class ErrorBody {
        static String of(String message) {
            return callbridge.ingest.ErrorAnswer.json(message);
        }
    }
}
