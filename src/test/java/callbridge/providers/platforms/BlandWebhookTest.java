package callbridge.providers.platforms;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeTestSupport;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;

/** POST /webhooks/bland: the post-call webhook, X-Webhook-Signature (BLAND_WEBHOOK_SECRET). */
class BlandWebhookTest extends VoicePlatformTest {
    static final String POST_CALL = "/bland/post_call.json";

    @Test
    void thePostCallWebhookIsOneExactCekuraCall() throws Exception {
        assertThat(post(fixture(POST_CALL)).body()).isEqualTo(ACCEPTED);

        JSONAssert.assertEquals("""
                {"agent_id":42,"calls":[{"id":"bland-d9cce3f3","startedAt":"2024-04-27T23:51:25Z","endedAt":"2024-04-27T23:52:10Z",
                 "messages":[
                   {"role":"user","content":"Hello?","start_time":1714261886287},
                   {"role":"bot","content":"Hi there!","start_time":1714261887900},
                   {"role":"system","content":"Transferred to booking pathway node","start_time":1714261900000}],
                 "to_phone_number":"+12223334444","from_phone_number":"+17163511654",
                 "metadata":{"provider":"bland","direction":"outbound","recording_url":"https://x/rec.mp3","summary":"Booked 3 rooms.",
                             "status":"completed","request_data":{"hotel":"Grand"}},
                 "endedReason":"ASSISTANT"}]}""", cekura.awaitOnlyCall("bland-d9cce3f3").body(), JSONCompareMode.STRICT);
    }

    @Test
    void withoutEndAtTheEndIsTheStartPlusTheCorrectedDuration() throws Exception {
        byte[] body = BridgeTestSupport.resource(POST_CALL).replace("\"d9cce3f3\"", "\"bland-no-end-1\"")
                .replace("\"end_at\":\"2024-04-27T23:52:10+00:00\",", "").replace("\"inbound\":false", "\"inbound\":true")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(post(body).body()).isEqualTo(ACCEPTED);
        JsonNode call = BridgeTestSupport.JSON.readTree(cekura.awaitOnlyCall("bland-bland-no-end-1").body()).path("calls").get(0);
        assertThat(call.path("endedAt").asText()).isEqualTo("2024-04-27T23:52:10Z");   // 23:51:25 + 45 s
        assertThat(call.path("metadata").path("direction").asText()).isEqualTo("inbound");
    }

    @Test
    void signatureWrongKeyTamperedOrMissingIs401() {
        byte[] body = fixture(POST_CALL, "d9cce3f3", "bland-auth-1");
        assertUnauthorized(post(body, hmacHex("another-secret", body)));
        assertUnauthorized(post(withInvalidByte(body), hmacHex(BLAND_SECRET, body)));
        assertUnauthorized(post(fixture(POST_CALL, "d9cce3f3", "bland-auth-2"), hmacHex(BLAND_SECRET, body)));
        assertUnauthorized(post(body, "sha256=" + hmacHex(BLAND_SECRET, body)));
        assertUnauthorized(bridge.post("/webhooks/bland", body, Map.of()));
        assertThat(post(body).body()).isEqualTo(ACCEPTED);   // nothing above was kept
    }

    @Test
    void aResentWebhookIsADuplicateAndACallIdIsRequired() {
        byte[] body = fixture(POST_CALL, "d9cce3f3", "bland-dup-1");
        assertThat(post(body).body()).isEqualTo(ACCEPTED);
        assertThat(post(body).body()).isEqualTo(DUPLICATE);
        HttpResponse<String> noCall = post(utf8("{\"to\":\"+12223334444\"}"));
        assertThat(noCall.statusCode()).isEqualTo(400);
        assertThat(noCall.body()).isEqualTo("{\"error\":\"missing required field: call_id\"}");
        HttpResponse<String> badDuration = post(BridgeTestSupport.resource(POST_CALL).replace("\"d9cce3f3\"", "\"bland-bad-1\"")
                .replace("\"end_at\":\"2024-04-27T23:52:10+00:00\",", "").replace("\"45\"", "\"forty\"").getBytes(StandardCharsets.UTF_8));
        assertThat(badDuration.statusCode()).isEqualTo(400);
        assertThat(badDuration.body()).contains("bridgeCallDuration");
    }

    private HttpResponse<String> post(byte[] body) {
        return post(body, hmacHex(BLAND_SECRET, body));
    }

    private HttpResponse<String> post(byte[] body, String signature) {
        return bridge.post("/webhooks/bland", body, Map.of("X-Webhook-Signature", signature));
    }

    private static void assertUnauthorized(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).isEqualTo(UNAUTHORIZED);
    }
}
