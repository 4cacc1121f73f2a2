package callbridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * OUTBOUND_PROVIDER=retell against a stub Retell API: variables as strings, Retell's call_id in the answer, and the
 * call's webhooks linking back to the trigger. Retell's own webhook route ships with another change: the generic
 * route stands in for it here, carrying Retell's call id as data.call_id.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "outbound.provider=retell", "retell.api-key=key_retell_1", "retell.agent-id=agent_oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD",
        "cekura.trigger-secret=" + DialTestSupport.SECRET, "bridge.outbound.poll-interval=50"})
class RetellDialTest extends DialTestSupport {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final StubHttpServer retell = StubHttpServer.start()
            .answerByDefault(Answer.of(201, "{\"call_type\":\"phone_call\",\"call_id\":\"Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6\","
                    + "\"agent_id\":\"agent_oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD\",\"call_status\":\"registered\"}"));

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "retell-dial", cekura);
        registry.add("retell.api-url", () -> retell.url(""));
    }

    @AfterAll
    static void stop() {
        cekura.close();
        retell.close();
    }

    @Test
    void triggerIsDialedThroughRetellWithStringVariablesAndAnsweredWithRetellsCallId() throws Exception {
        JsonNode answer = answerOf(trigger("+14155550201",
                "{\"customer_name\":\"John Doe\",\"visits\":3,\"vip\":true,\"plan\":{\"tier\":\"gold\"},\"note\":null}"));
        assertAnswer(answer, "dialed", "Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6");

        StubHttpServer.Request call = onlyRequestFor(retell, "+14155550201");
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/v2/create-phone-call");
        assertThat(call.header("Authorization")).isEqualTo("Bearer key_retell_1");
        assertThat(call.header("Content-Type")).startsWith("application/json");
        assertNoCredentialLeaks(call);
        JSONAssert.assertEquals("{\"from_number\":\"+15551234567\",\"to_number\":\"+14155550201\","
                + "\"override_agent_id\":\"agent_oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD\",\"retell_llm_dynamic_variables\":"
                + "{\"customer_name\":\"John Doe\",\"visits\":\"3\",\"vip\":\"true\",\"plan\":\"{\\\"tier\\\":\\\"gold\\\"}\",\"note\":\"\"}}",
                call.body(), JSONCompareMode.STRICT);
        assertThat(awaitStatus(answer.path("id").asText(), "dialed").path("providerCallId").asText()).isEqualTo("Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6");
    }

    @Test
    void aRepeatedIdempotencyKeyGetsTheFirstAnswerWithTheCallId() throws Exception {
        Map<String, String> headers = Map.of("X-CEKURA-SECRET", SECRET, "Idempotency-Key", "run-" + UUID.randomUUID());
        HttpResponse<String> first = trigger(FROM, "+14155550202", null, headers);
        HttpResponse<String> again = trigger(FROM, "+14155550202", null, headers);
        assertAnswer(answerOf(first), "dialed", "Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6");
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body());
        onlyRequestFor(retell, "+14155550202");
    }

    @Test
    void theTriggerStaysWithItsProviderWhenAnotherProviderHasACallWithTheSameId() throws Exception {
        retell.scriptContaining("+14155550203", Answer.of(201, "{\"call_id\":\"retell-call-linked-1\",\"call_status\":\"registered\"}"));
        JsonNode answer = answerOf(trigger("+14155550203", "{\"customer_name\":\"Grace\",\"visits\":2}"));
        assertAnswer(answer, "dialed", "retell-call-linked-1");
        assertThat(bridge.get("/admin/outbound-triggers/" + answer.path("id").asText()).body()).contains("\"dialProvider\":\"retell\"");

        // another provider (the generic route) has a call with the very id Retell gave: not the trigger's call
        for (String event : new String[] {
                "{\"type\":\"call.started\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"data\":{\"call_id\":\"retell-call-linked-1\","
                        + "\"from\":\"+15551234567\",\"to\":\"+14155550203\",\"direction\":\"outbound\"}}",
                "{\"type\":\"call.ended\",\"timestamp\":\"2026-03-01T10:02:00Z\",\"data\":{\"call_id\":\"retell-call-linked-1\","
                        + "\"ended_reason\":\"user_hangup\",\"transcript\":[{\"role\":\"agent\",\"content\":\"Hi Grace\",\"start_ms\":1772359201000,\"end_ms\":1772359202000}]}}"}) {
            HttpResponse<String> accepted = bridge.post("/webhooks/generic", event, Map.of("webhook-id", "msg_" + UUID.randomUUID()));
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        }
        JsonNode other = BridgeTestSupport.JSON.readTree(cekura.awaitOnlyCall("generic-retell-call-linked-1").body())
                .path("calls").get(0).path("metadata");
        assertThat(other.has("outbound_trigger_id")).as(other.toString()).isFalse();
        assertThat(other.has("dynamic_variables")).as(other.toString()).isFalse();

        // Retell's own webhooks for that call carry the trigger
        for (String fixture : new String[] {"/retell/call_ended.json", "/retell/call_analyzed.json"}) {
            byte[] body = BridgeTestSupport.resource(fixture).replace("\"Jabr9T\"", "\"retell-call-linked-1\"")
                    .getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> accepted = bridge.post("/webhooks/retell", body, Map.of("x-retell-signature", retellSignature(body)));
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        }
        JsonNode metadata = BridgeTestSupport.JSON.readTree(cekura.awaitOnlyCall("retell-retell-call-linked-1").body())
                .path("calls").get(0).path("metadata");
        assertThat(metadata.path("outbound_trigger_id").asText()).isEqualTo(answer.path("id").asText());
        JSONAssert.assertEquals("{\"customer_name\":\"Grace\",\"visits\":2}", metadata.path("dynamic_variables").toString(), JSONCompareMode.STRICT);
    }

    @Test
    void theDialedCallsRetellWebhooksLinkBackToTheTrigger() throws Exception {
        retell.scriptContaining("+14155550204", Answer.of(201, "{\"call_id\":\"retell-call-linked-2\",\"call_status\":\"registered\"}"));
        JsonNode answer = answerOf(trigger("+14155550204", "{\"customer_name\":\"Ada\",\"visits\":3}"));
        assertAnswer(answer, "dialed", "retell-call-linked-2");

        // Retell's own webhooks for that call on /webhooks/retell, signed with the same RETELL_API_KEY
        for (String fixture : new String[] {"/retell/call_ended.json", "/retell/call_analyzed.json"}) {
            byte[] body = BridgeTestSupport.resource(fixture).replace("\"Jabr9T\"", "\"retell-call-linked-2\"")
                    .getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> accepted = bridge.post("/webhooks/retell", body, Map.of("x-retell-signature", retellSignature(body)));
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        }
        JsonNode metadata = BridgeTestSupport.JSON.readTree(cekura.awaitOnlyCall("retell-retell-call-linked-2").body())
                .path("calls").get(0).path("metadata");
        assertThat(metadata.path("outbound_trigger_id").asText()).isEqualTo(answer.path("id").asText());
        JSONAssert.assertEquals("{\"customer_name\":\"Ada\",\"visits\":3}", metadata.path("dynamic_variables").toString(), JSONCompareMode.STRICT);
    }

    /** Retell's {@code v=<ms>,d=hex(HMAC-SHA256(key, body + ms))} with the key the test's bridge has. */
    private static String retellSignature(byte[] body) throws Exception {
        String ms = String.valueOf(System.currentTimeMillis());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("key_retell_1".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update(body);
        mac.update(ms.getBytes(StandardCharsets.UTF_8));
        return "v=" + ms + ",d=" + HexFormat.of().formatHex(mac.doFinal());
    }
}
