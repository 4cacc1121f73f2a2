package callbridge.providers.platforms;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;

/** POST /webhooks/vapi: the end-of-call report, X-Vapi-Secret (VAPI_WEBHOOK_SECRET). */
class VapiWebhookTest extends VoicePlatformTest {
    static final String REPORT = "/vapi/end-of-call-report.json";

    @Test
    void theReportIsOneExactCekuraCallWithItsToolCallPairedById() throws Exception {
        assertThat(post(fixture(REPORT), VAPI_SECRET).body()).isEqualTo(ACCEPTED);

        JSONAssert.assertEquals("""
                {"agent_id":42,"calls":[{"id":"vapi-c0a8-1","startedAt":"2025-01-01T00:00:05Z","endedAt":"2025-01-01T00:02:00Z",
                 "messages":[
                   {"role":"system","content":"You are Ava, a scheduling assistant.","start_time":1735689605000},
                   {"role":"bot","content":"Hi, this is Ava.","start_time":1735689606100,"end_time":1735689607300},
                   {"role":"user","content":"I need to move my appointment.","start_time":1735689608000,"end_time":1735689609500},
                   {"role":"function_call","content":"","start_time":1735689610000,
                    "data":{"id":"call_abc","name":"lookup","arguments":{"id":"42"}}},
                   {"role":"function_call_result","content":"","start_time":1735689610800,
                    "data":{"id":"call_abc","name":"lookup","result":{"slot":"3pm"}}},
                   {"role":"bot","content":"You're booked for 3pm.","start_time":1735689611500,"end_time":1735689613000}],
                 "to_phone_number":"+14155550199","from_phone_number":"+14155550100",
                 "metadata":{"provider":"vapi","direction":"outbound","call_type":"outboundPhoneCall",
                             "recording_url":"https://storage.vapi.ai/x-mono.wav","summary":"Caller rescheduled to 3pm.",
                             "success_evaluation":"true","assistant_id":"asst_ava"},
                 "endedReason":"customer-ended-call"}]}""", cekura.awaitOnlyCall("vapi-c0a8-1").body(), JSONCompareMode.STRICT);
    }

    @Test
    void anInboundCallHasTheCustomerAsCaller() throws Exception {
        byte[] inbound = BridgeTestSupport.resource(REPORT).replace("\"c0a8-1\"", "\"vapi-in-1\"")
                .replace("outboundPhoneCall", "inboundPhoneCall").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(post(inbound, VAPI_SECRET).body()).isEqualTo(ACCEPTED);
        JsonNode call = BridgeTestSupport.JSON.readTree(cekura.awaitOnlyCall("vapi-vapi-in-1").body()).path("calls").get(0);
        assertThat(call.path("from_phone_number").asText()).isEqualTo("+14155550199");
        assertThat(call.path("to_phone_number").asText()).isEqualTo("+14155550100");
        assertThat(call.path("metadata").path("direction").asText()).isEqualTo("inbound");
    }

    @Test
    void aWrongOrMissingSecretIs401AndStoresNothing() {
        byte[] report = fixture(REPORT, "c0a8-1", "vapi-auth-1");
        assertUnauthorized(post(report, "vapi-server-secret-2"));
        assertUnauthorized(post(report, "vapi-server-secret"));   // a prefix of it
        assertUnauthorized(bridge.post("/webhooks/vapi", report, Map.of()));
        assertThat(post(report, VAPI_SECRET).body()).isEqualTo(ACCEPTED);   // nothing above was kept
    }

    @Test
    void aSecondReportForTheCallIsADuplicate() {
        byte[] report = fixture(REPORT, "c0a8-1", "vapi-dup-1");
        assertThat(post(report, VAPI_SECRET).body()).isEqualTo(ACCEPTED);
        assertThat(post(report, VAPI_SECRET).body()).isEqualTo(DUPLICATE);
        byte[] resent = BridgeTestSupport.resource(REPORT).replace("\"c0a8-1\"", "\"vapi-dup-1\"")
                .replace("1735689721000", "1735689725000").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(post(resent, VAPI_SECRET).body()).isEqualTo(DUPLICATE);
    }

    @Test
    void otherServerMessagesAreKeptNotErrors() {
        String statusUpdate = "{\"message\":{\"type\":\"status-update\",\"status\":\"in-progress\",\"call\":{\"id\":\"vapi-status-1\"}}}";
        assertThat(post(utf8(statusUpdate), VAPI_SECRET).body()).isEqualTo(ACCEPTED);
        HttpResponse<String> noType = post(utf8("{\"message\":{\"call\":{\"id\":\"x\"}}}"), VAPI_SECRET);
        assertThat(noType.statusCode()).isEqualTo(400);
        assertThat(noType.body()).isEqualTo("{\"error\":\"missing required field: message.type\"}");
        HttpResponse<String> noCall = post(utf8("{\"message\":{\"type\":\"end-of-call-report\"}}"), VAPI_SECRET);
        assertThat(noCall.body()).isEqualTo("{\"error\":\"missing required field: message.call.id\"}");
    }

    private HttpResponse<String> post(byte[] body, String secret) {
        return bridge.post("/webhooks/vapi", body, Map.of("X-Vapi-Secret", secret));
    }

    private static void assertUnauthorized(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).isEqualTo(UNAUTHORIZED);
    }
}
