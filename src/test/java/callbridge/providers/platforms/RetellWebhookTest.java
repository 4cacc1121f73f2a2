package callbridge.providers.platforms;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;

/**
 * POST /webhooks/retell: x-retell-signature (RETELL_API_KEY, 5 minutes); call_ended waits BRIDGE_RETELL_ANALYSIS_WAIT
 * (4 s here) for call_analyzed.
 */
class RetellWebhookTest extends VoicePlatformTest {
    static final String ENDED = "/retell/call_ended.json";
    static final String ANALYZED = "/retell/call_analyzed.json";
    static final String MESSAGES = """
            [{"role":"bot","content":"Hi, this is Ava.","start_time":1735689605500,"end_time":1735689606600},
             {"role":"user","content":"Move my appointment.","start_time":1735689607200,"end_time":1735689608400},
             {"role":"function_call","content":"","data":{"id":"tc_1","name":"lookup","arguments":{"id":"42"}}},
             {"role":"function_call_result","content":"","data":{"id":"tc_1","name":"lookup","result":{"slot":"3pm"}}},
             {"role":"bot","content":"You're booked for 3pm.","start_time":1735689610250,"end_time":1735689611700}]""";

    @Test
    void anAnalyzedCallGoesOutOnItsAnalysisWithoutWaitingOutTheWait() throws Exception {
        assertThat(post(fixture(ENDED)).body()).isEqualTo(ACCEPTED);
        Instant analyzed = Instant.now();
        assertThat(post(fixture(ANALYZED)).body()).isEqualTo(ACCEPTED);

        StubHttpServer.Request sent = cekura.awaitOnlyCall("retell-Jabr9T");
        assertThat(Duration.between(analyzed, sent.at())).isLessThan(Duration.ofSeconds(RETELL_WAIT_SECONDS - 1));
        JSONAssert.assertEquals("""
                {"agent_id":42,"calls":[{"id":"retell-Jabr9T","startedAt":"2025-01-01T00:00:05Z","endedAt":"2025-01-01T00:02:00Z",
                 "messages":%s,
                 "to_phone_number":"+12137774445","from_phone_number":"+14157774444",
                 "metadata":{"provider":"retell","direction":"outbound","agent_id":"agent_ret_1","recording_url":"https://x/rec.wav",
                             "call_metadata":{"crm_id":"A-7"},"dynamic_variables":{"customer_name":"John Doe"},
                             "call_analysis":{"call_summary":"Rescheduled to 3pm.","user_sentiment":"Positive","call_successful":true},
                             "summary":"Rescheduled to 3pm."},
                 "endedReason":"user_hangup"}]}""".formatted(MESSAGES), sent.body(), JSONCompareMode.STRICT);
    }

    @Test
    void aCallNeverAnalyzedGoesOutAfterTheWaitAsItIs() throws Exception {
        Instant ended = Instant.now();
        assertThat(post(fixture(ENDED, "Jabr9T", "never-analyzed-1")).body()).isEqualTo(ACCEPTED);

        StubHttpServer.Request sent = cekura.awaitOnlyCall("retell-never-analyzed-1");
        assertThat(Duration.between(ended, sent.at())).isGreaterThanOrEqualTo(Duration.ofSeconds(RETELL_WAIT_SECONDS));
        JSONAssert.assertEquals("""
                {"agent_id":42,"calls":[{"id":"retell-never-analyzed-1","startedAt":"2025-01-01T00:00:05Z","endedAt":"2025-01-01T00:02:00Z",
                 "messages":%s,
                 "to_phone_number":"+12137774445","from_phone_number":"+14157774444",
                 "metadata":{"provider":"retell","direction":"outbound","agent_id":"agent_ret_1","recording_url":"https://x/rec.wav",
                             "call_metadata":{"crm_id":"A-7"},"dynamic_variables":{"customer_name":"John Doe"}},
                 "endedReason":"user_hangup"}]}""".formatted(MESSAGES), sent.body(), JSONCompareMode.STRICT);
    }

    @Test
    void anAnalysisArrivingFirstEndsTheCallAtOnce() throws Exception {
        Instant analyzed = Instant.now();
        assertThat(post(fixture(ANALYZED, "Jabr9T", "analyzed-first-1")).body()).isEqualTo(ACCEPTED);
        StubHttpServer.Request sent = cekura.awaitOnlyCall("retell-analyzed-first-1");
        assertThat(Duration.between(analyzed, sent.at())).isLessThan(Duration.ofSeconds(RETELL_WAIT_SECONDS - 1));
        // the late call_ended is kept, not sent again
        assertThat(post(fixture(ENDED, "Jabr9T", "analyzed-first-1")).statusCode()).isEqualTo(200);
        assertThat(cekura.callsWithId("retell-analyzed-first-1")).hasSize(1);
    }

    @Test
    void withoutToolCallsTheTranscriptObjectIsUsed() throws Exception {
        String ended = """
                {"event":"call_analyzed","call":{"call_id":"plain-1","start_timestamp":1735689605000,"end_timestamp":1735689610000,
                 "transcript_object":[{"role":"agent","content":"Hello.","words":[{"word":"Hello.","start":0.25,"end":0.75}]},
                                      {"role":"user","content":"Bye.","words":[]}]}}""";
        assertThat(post(utf8(ended)).body()).isEqualTo(ACCEPTED);
        JsonNode call = BridgeTestSupport.JSON.readTree(cekura.awaitOnlyCall("retell-plain-1").body()).path("calls").get(0);
        JSONAssert.assertEquals("""
                [{"role":"bot","content":"Hello.","start_time":1735689605250,"end_time":1735689605750},
                 {"role":"user","content":"Bye."}]""", call.path("messages").toString(), JSONCompareMode.STRICT);
        assertThat(call.path("endedReason").asText()).isEqualTo("unknown");
    }

    @Test
    void signatureWrongKeyTamperedStaleOrMissingIs401() {
        byte[] body = fixture(ENDED, "Jabr9T", "retell-auth-1");
        Instant now = Instant.now();
        assertUnauthorized(post(body, signature("key_another", body, now)));
        assertUnauthorized(post(withInvalidByte(body), signature(RETELL_KEY, body, now)));
        byte[] changed = fixture(ENDED, "Jabr9T", "retell-auth-2");
        assertUnauthorized(post(changed, signature(RETELL_KEY, body, now)));
        assertUnauthorized(post(body, signature(RETELL_KEY, body, now.minus(Duration.ofMinutes(5).plusSeconds(30)))));
        assertUnauthorized(post(body, signature(RETELL_KEY, body, now.plus(Duration.ofMinutes(5).plusSeconds(30)))));
        assertUnauthorized(bridge.post("/webhooks/retell", body, Map.of()));
        assertUnauthorized(post(body, "d=" + hmacHex(RETELL_KEY, body)));   // no v=
        // inside the 5 minutes it is genuine, and nothing above was kept
        assertThat(post(body, signature(RETELL_KEY, body, now.minus(Duration.ofMinutes(4)))).body()).isEqualTo(ACCEPTED);
    }

    @Test
    void aRetriedEventIsADuplicate() {
        byte[] body = fixture(ENDED, "Jabr9T", "retell-dup-1");
        assertThat(post(body).body()).isEqualTo(ACCEPTED);
        assertThat(post(body).body()).isEqualTo(DUPLICATE);
        byte[] retried = BridgeTestSupport.resource(ENDED).replace("\"Jabr9T\"", "\"retell-dup-1\"")
                .replace("\"user_hangup\"", "\"agent_hangup\"").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(post(retried).body()).isEqualTo(DUPLICATE);   // one call_ended per call
    }

    private HttpResponse<String> post(byte[] body) {
        return post(body, signature(RETELL_KEY, body, Instant.now()));
    }

    private HttpResponse<String> post(byte[] body, String signature) {
        return bridge.post("/webhooks/retell", body, Map.of("x-retell-signature", signature));
    }

    /** Retell's: v=<ms>,d=hex(HMAC-SHA256(key, body + ms)). */
    static String signature(String key, byte[] body, Instant at) {
        String ms = String.valueOf(at.toEpochMilli());
        return "v=" + ms + ",d=" + hmacHex(key, body, utf8(ms));
    }

    private static void assertUnauthorized(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).isEqualTo(UNAUTHORIZED);
    }
}
