package callbridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
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

/** OUTBOUND_PROVIDER=vapi against a stub Vapi API: the request Vapi takes, its call id in the answer, Vapi down or refusing. */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "outbound.provider=vapi", "vapi.api-key=vapi-private-key", "vapi.assistant-id=asst_7f3c",
        "vapi.phone-number-ids=+15551234567=pn_111, +15557654321=pn_222",
        "cekura.trigger-secret=" + DialTestSupport.SECRET,
        "outbound.answer-wait=" + VapiDialTest.ANSWER_WAIT, "outbound.dial-window=3s", "outbound.retry-initial-delay=200ms",
        "bridge.outbound.poll-interval=50"})
class VapiDialTest extends DialTestSupport {
    /**
     * Long enough that no dial here, however loaded the machine, runs it out: an answer comes when the first dial is
     * accepted or given up. (Answering when the wait runs out, and dialing on after it: {@link OutboundTriggerTest}.)
     */
    static final String ANSWER_WAIT = "10s";
    static final Duration DIAL_WINDOW = Duration.ofSeconds(3);
    static final StubHttpServer cekura = StubHttpServer.start();
    static final StubHttpServer vapi = StubHttpServer.start()
            .answerByDefault(Answer.of(201, "{\"id\":\"c0a8-1\",\"orgId\":\"org_1\",\"type\":\"outboundPhoneCall\",\"status\":\"queued\"}"));

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "vapi-dial", cekura);
        registry.add("vapi.api-url", () -> vapi.url(""));
    }

    @AfterAll
    static void stop() {
        cekura.close();
        vapi.close();
    }

    @Test
    void triggerIsDialedThroughVapiAndAnsweredWithVapisCallId() throws Exception {
        JsonNode answer = answerOf(trigger("+14155550101", "{\"customer_name\":\"John Doe\",\"plan\":{\"tier\":\"gold\"},\"visits\":3}"));
        assertAnswer(answer, "dialed", "c0a8-1");

        StubHttpServer.Request call = onlyRequestFor(vapi, "+14155550101");
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/call");
        assertThat(call.header("Authorization")).isEqualTo("Bearer vapi-private-key");
        assertThat(call.header("Content-Type")).startsWith("application/json");
        assertNoCredentialLeaks(call);
        JSONAssert.assertEquals("{\"assistantId\":\"asst_7f3c\",\"phoneNumberId\":\"pn_111\",\"customer\":{\"number\":\"+14155550101\"},"
                + "\"assistantOverrides\":{\"variableValues\":{\"customer_name\":\"John Doe\",\"plan\":{\"tier\":\"gold\"},\"visits\":3}}}",
                call.body(), JSONCompareMode.STRICT);

        String id = answer.path("id").asText();
        JsonNode view = awaitStatus(id, "dialed");
        assertThat(view.path("providerCallId").asText()).isEqualTo("c0a8-1");
        assertThat(view.path("attempts").asInt()).isEqualTo(1);
        JsonNode listed = BridgeTestSupport.JSON.readTree(bridge.get("/admin/outbound-triggers?status=dialed").body());
        assertThat(listed.findValues("id").stream().map(JsonNode::asText)).contains(id);
        for (JsonNode trigger : listed) {
            if (trigger.path("id").asText().equals(id)) {
                assertThat(trigger.path("providerCallId").asText()).isEqualTo("c0a8-1");
            }
        }
    }

    @Test
    void theOtherContactNumberDialsWithItsOwnVapiIdAndNoVariablesIsAnEmptyObject() throws Exception {
        assertAnswer(answerOf(trigger("+15557654321", "+14155550102", null, CEKURA)), "dialed", "c0a8-1");
        JSONAssert.assertEquals("{\"assistantId\":\"asst_7f3c\",\"phoneNumberId\":\"pn_222\",\"customer\":{\"number\":\"+14155550102\"},"
                + "\"assistantOverrides\":{\"variableValues\":{}}}", onlyRequestFor(vapi, "+14155550102").body(), JSONCompareMode.STRICT);
    }

    @Test
    void vapiDownIsRetriedInsideTheWindowThenExpiredAndAnsweredWithoutCallId() throws Exception {
        vapi.scriptContaining("+14155550503", Answer.of(503, "{\"message\":\"upstream unavailable\"}"));
        Instant sent = Instant.now();
        JsonNode answer = answerOf(trigger("+14155550503", null));
        Instant answered = Instant.now();
        // as assertAnswer, but the deadline may have passed by now: the answer came when the trigger expired
        assertThat(answer.fieldNames()).toIterable().containsExactly("success", "id", "status", "dial_deadline");
        assertThat(answer.path("success").asBoolean()).isTrue();
        assertThat(answer.path("status").asText()).isEqualTo("received");
        Instant deadline = Instant.parse(answer.path("dial_deadline").asText());
        assertThat(deadline).isBetween(sent.plus(DIAL_WINDOW), answered.plus(DIAL_WINDOW));

        // the answer waited while Vapi was retried, and came once the trigger was given up
        String id = answer.path("id").asText();
        JsonNode expired = view(id);
        assertThat(expired.path("status").asText()).isEqualTo("expired");
        List<StubHttpServer.Request> attempts = vapi.requests(r -> r.body().contains("+14155550503"));
        assertThat(attempts.size()).isGreaterThanOrEqualTo(3);
        assertThat(attempts).allMatch(r -> r.at().isBefore(deadline));
        assertThat(expired.path("attempts").asInt()).isEqualTo(attempts.size());
        assertThat(expired.path("lastStatus").asInt()).isEqualTo(503);
        // none later
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> vapi.requests(r -> r.body().contains("+14155550503")).size() == attempts.size());
    }

    @Test
    void vapiRefusingIsFailedWithItsAnswerAndAnsweredWithoutWaiting() throws Exception {
        vapi.scriptContaining("+14155550400", Answer.of(400, "{\"message\":[\"customer.number must be a valid phone number\"],\"error\":\"Bad Request\"}"));
        Instant sent = Instant.now();
        JsonNode answer = answerOf(trigger("+14155550400", null));
        // a final no ends the wait: answered once the trigger failed, not when OUTBOUND_ANSWER_WAIT ran out (this
        // bound is the setting itself, 10 s: only time tells the two apart, and no refusal takes that long)
        assertThat(Duration.between(sent, Instant.now())).isLessThan(Duration.parse("PT" + ANSWER_WAIT));
        assertAnswer(answer, "received", null);
        JsonNode failed = view(answer.path("id").asText());
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("lastStatus").asInt()).isEqualTo(400);
        assertThat(failed.path("lastError").asText())
                .isEqualTo("HTTP 400: {\"message\":[\"customer.number must be a valid phone number\"],\"error\":\"Bad Request\"}");
        assertThat(failed.path("attempts").asInt()).isEqualTo(1);
        assertThat(vapi.requests(r -> r.body().contains("+14155550400"))).hasSize(1);
    }

    @Test
    void aFromNumberVapiHasNoIdForIsFailedWithoutCallingVapi() throws Exception {
        JsonNode answer = answerOf(trigger("+15550000001", "+14155550404", null, CEKURA));
        JsonNode failed = awaitStatus(answer.path("id").asText(), "failed");
        assertThat(failed.path("lastError").asText()).contains("from_number +15550000001 has no entry in VAPI_PHONE_NUMBER_IDS");
        assertThat(vapi.requests(r -> r.body().contains("+14155550404"))).isEmpty();
    }

    @Test
    void aWrongOrMissingSecretIs401AndNothingIsStoredOrDialed() throws Exception {
        int before = BridgeTestSupport.JSON.readTree(bridge.get("/admin/outbound-triggers?limit=500").body()).size();
        for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("X-CEKURA-SECRET", SECRET + "x"),
                Map.of("X-CEKURA-SECRET", ""), Map.of("X-Webhook-Token", SECRET.toUpperCase()))) {
            HttpResponse<String> refused = trigger(FROM, "+14155550401", null, headers);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).isEqualTo("{\"error\":\"missing or invalid credential\"}");
        }
        assertThat(BridgeTestSupport.JSON.readTree(bridge.get("/admin/outbound-triggers?limit=500").body()).size()).isEqualTo(before);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> vapi.requests(r -> r.body().contains("+14155550401")).isEmpty());
    }
}
