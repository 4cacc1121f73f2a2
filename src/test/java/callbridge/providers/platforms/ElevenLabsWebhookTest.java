package callbridge.providers.platforms;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;

/** POST /webhooks/elevenlabs: post_call_transcription, ElevenLabs-Signature (ELEVENLABS_WEBHOOK_SECRET, 30 minutes). */
class ElevenLabsWebhookTest extends VoicePlatformTest {
    static final String TRANSCRIPTION = "/elevenlabs/post_call_transcription.json";
    static final String FAILURE = "/elevenlabs/call_initiation_failure.json";

    @Test
    void theTranscriptionIsOneExactCekuraCallWithEachTurnsToolCallsPairedById() throws Exception {
        assertThat(post(fixture(TRANSCRIPTION)).body()).isEqualTo(ACCEPTED);

        JSONAssert.assertEquals("""
                {"agent_id":42,"calls":[{"id":"elevenlabs-conv_01","startedAt":"2025-02-14T12:48:17Z","endedAt":"2025-02-14T12:48:39Z",
                 "messages":[
                   {"role":"bot","content":"Hi, this is Ava.","start_time":1739537297000},
                   {"role":"user","content":"Can we do 3pm instead?","start_time":1739537300000},
                   {"role":"function_call","content":"","start_time":1739537303000,
                    "data":{"id":"req_1","name":"lookup","arguments":{"id":"42"}}},
                   {"role":"function_call_result","content":"","start_time":1739537303000,
                    "data":{"id":"req_1","name":"lookup","result":{"slot":"3pm"}}},
                   {"role":"bot","content":"Done, 3pm it is.","start_time":1739537305500}],
                 "to_phone_number":"+14155550199","from_phone_number":"+14155550100",
                 "metadata":{"provider":"elevenlabs","direction":"outbound","agent_id":"agent_01","status":"done",
                             "analysis":{"call_successful":"success","transcript_summary":"Rescheduled to 3pm."},
                             "summary":"Rescheduled to 3pm.","call_sid":"CA123","dynamic_variables":{"customer_name":"John Doe"}},
                 "endedReason":"Call ended by remote party"}]}""", cekura.awaitOnlyCall("elevenlabs-conv_01").body(), JSONCompareMode.STRICT);
    }

    @Test
    void aCallInitiationFailureIsACallThatEndedWithItsFailureReason() throws Exception {
        byte[] failure = fixture(FAILURE);
        assertThat(post(failure).body()).isEqualTo(ACCEPTED);
        assertThat(post(failure).body()).isEqualTo(DUPLICATE);
        JSONAssert.assertEquals("""
                {"agent_id":42,"calls":[{"id":"elevenlabs-conv_fail_1","startedAt":"2025-02-14T12:50:00Z","endedAt":"2025-02-14T12:50:00Z",
                 "messages":[],"to_phone_number":"+14155550199","from_phone_number":"+14155550100",
                 "metadata":{"provider":"elevenlabs","direction":"outbound","error":"call initiation failed","failure_reason":"busy",
                             "telephony":"twilio","call_sid":"CA999","agent_id":"agent_01"},
                 "endedReason":"busy"}]}""", cekura.awaitOnlyCall("elevenlabs-conv_fail_1").body(), JSONCompareMode.STRICT);

        // a SIP failure without a reason: no numbers, the event's own name as the reason
        byte[] sip = utf8("{\"type\":\"call_initiation_failure\",\"event_timestamp\":1739537460,\"data\":{\"agent_id\":\"agent_01\","
                + "\"conversation_id\":\"conv_fail_2\",\"metadata\":{\"type\":\"sip\",\"body\":{\"sip_status_code\":486}}}}");
        assertThat(post(sip).body()).isEqualTo(ACCEPTED);
        JSONAssert.assertEquals("""
                {"agent_id":42,"calls":[{"id":"elevenlabs-conv_fail_2","startedAt":"2025-02-14T12:51:00Z","endedAt":"2025-02-14T12:51:00Z",
                 "messages":[],"metadata":{"provider":"elevenlabs","direction":"outbound","error":"call initiation failed",
                             "telephony":"sip","agent_id":"agent_01"},
                 "endedReason":"call-initiation-failure"}]}""", cekura.awaitOnlyCall("elevenlabs-conv_fail_2").body(), JSONCompareMode.STRICT);

        byte[] noConversation = utf8("{\"type\":\"call_initiation_failure\",\"event_timestamp\":1739537460,\"data\":{\"failure_reason\":\"busy\"}}");
        HttpResponse<String> refused = post(noConversation);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).isEqualTo("{\"error\":\"missing required field: data.conversation_id\"}");
    }

    @Test
    void anInboundCallHasTheExternalNumberAsCaller() throws Exception {
        byte[] inbound = BridgeTestSupport.resource(TRANSCRIPTION).replace("\"conv_01\"", "\"conv_in_1\"")
                .replace("\"outbound\"", "\"inbound\"").getBytes(StandardCharsets.UTF_8);
        assertThat(post(inbound).body()).isEqualTo(ACCEPTED);
        JsonNode call = BridgeTestSupport.JSON.readTree(cekura.awaitOnlyCall("elevenlabs-conv_in_1").body()).path("calls").get(0);
        assertThat(call.path("from_phone_number").asText()).isEqualTo("+14155550199");
        assertThat(call.path("to_phone_number").asText()).isEqualTo("+14155550100");
    }

    @Test
    void signatureWrongKeyTamperedStaleOrMissingIs401() {
        byte[] body = fixture(TRANSCRIPTION, "conv_01", "conv_auth_1");
        Instant now = Instant.now();
        assertUnauthorized(post(body, signature("wsec_another", body, now)));
        assertUnauthorized(post(withInvalidByte(body), signature(ELEVENLABS_SECRET, body, now)));
        assertUnauthorized(post(fixture(TRANSCRIPTION, "conv_01", "conv_auth_2"), signature(ELEVENLABS_SECRET, body, now)));
        assertUnauthorized(post(body, signature(ELEVENLABS_SECRET, body, now.minus(Duration.ofMinutes(31)))));
        assertUnauthorized(post(body, signature(ELEVENLABS_SECRET, body, now.plus(Duration.ofMinutes(31)))));
        assertUnauthorized(bridge.post("/webhooks/elevenlabs", body, Map.of()));
        assertUnauthorized(post(body, "v0=" + hmacHex(ELEVENLABS_SECRET, body)));   // no t=
        // 29 minutes old is inside ElevenLabs' 30, and nothing above was kept
        assertThat(post(body, signature(ELEVENLABS_SECRET, body, now.minus(Duration.ofMinutes(29)))).body()).isEqualTo(ACCEPTED);
    }

    @Test
    void aSecondTranscriptionForTheConversationIsADuplicate() {
        byte[] body = fixture(TRANSCRIPTION, "conv_01", "conv_dup_1");
        assertThat(post(body).body()).isEqualTo(ACCEPTED);
        assertThat(post(body).body()).isEqualTo(DUPLICATE);
        byte[] again = BridgeTestSupport.resource(TRANSCRIPTION).replace("\"conv_01\"", "\"conv_dup_1\"")
                .replace("1739537320", "1739537399").getBytes(StandardCharsets.UTF_8);
        assertThat(post(again).body()).isEqualTo(DUPLICATE);
    }

    private HttpResponse<String> post(byte[] body) {
        return post(body, signature(ELEVENLABS_SECRET, body, Instant.now()));
    }

    private HttpResponse<String> post(byte[] body, String signature) {
        return bridge.post("/webhooks/elevenlabs", body, Map.of("ElevenLabs-Signature", signature));
    }

    /** ElevenLabs': t=<s>,v0=hex(HMAC-SHA256(secret, "<t>.<body>")). */
    static String signature(String secret, byte[] body, Instant at) {
        String t = String.valueOf(at.getEpochSecond());
        return "t=" + t + ",v0=" + hmacHex(secret, utf8(t + "."), body);
    }

    private static void assertUnauthorized(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).isEqualTo(UNAUTHORIZED);
    }
}
