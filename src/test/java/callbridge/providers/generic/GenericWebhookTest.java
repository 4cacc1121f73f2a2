package callbridge.providers.generic;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** POST /webhooks/generic signed per Standard Webhooks, requests signed by an independent signer. */
@CamelSpringBootTest
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "generic.webhook-secret=" + GenericWebhookTest.SECRET)
class GenericWebhookTest extends BridgeHttpTest {
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String OTHER_SECRET = "whsec_c2VjcmV0LW9mLWFub3RoZXItcGxhdGZvcm0tMzI=";
    static final StubHttpServer cekura = StubHttpServer.start();

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "generic", cekura);
        // the shuffled call may end first: its other six events must all land within the grace, on a loaded machine too
        registry.add("bridge.call-grace", () -> "3s");
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }


    @Test
    void validSignatureIsAccepted() {
        assertThat(send(event("call.started", "g-1", "{\"from\":\"+14155550100\"}")).statusCode()).isEqualTo(200);
    }

    @Test
    void twoSignaturesOfWhichOneIsValidAreAccepted() {
        String id = "msg_" + UUID.randomUUID();
        long ts = Instant.now().getEpochSecond();
        byte[] body = event("call.started", "g-2", "{}").getBytes(StandardCharsets.UTF_8);
        String rotated = "v1," + TestSigner.sign(OTHER_SECRET, id, ts, body) + " v1," + TestSigner.sign(SECRET, id, ts, body);
        assertThat(post(body, id, ts, rotated).body()).isEqualTo("{\"status\":\"accepted\"}");
    }

    @Test
    void wrongKeyStaleFutureAndUnsignedAre401() {
        byte[] body = event("call.started", "g-3", "{}").getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        String id = "msg_" + UUID.randomUUID();
        assertUnauthorized(post(body, id, now, "v1," + TestSigner.sign(OTHER_SECRET, id, now, body)));
        long stale = now - 330;   // the tolerance is 300 s; a margin for the clock ticking meanwhile
        assertUnauthorized(post(body, id, stale, "v1," + TestSigner.sign(SECRET, id, stale, body)));
        long future = now + 330;
        assertUnauthorized(post(body, id, future, "v1," + TestSigner.sign(SECRET, id, future, body)));
        assertUnauthorized(bridge.post("/webhooks/generic", body, Map.of()));
        // a body changed after signing
        String signature = "v1," + TestSigner.sign(SECRET, id, now, body);
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("g-3", "g-4").getBytes(StandardCharsets.UTF_8);
        assertUnauthorized(post(tampered, id, now, signature));
        // nothing above was stored: the genuine request is new
        assertThat(post(body, id, now, signature).body()).isEqualTo("{\"status\":\"accepted\"}");
    }

    @Test
    void signedMalformedJsonIs400() {
        HttpResponse<String> answer = sendRaw("{\"type\": \"call.started\", ".getBytes(StandardCharsets.UTF_8), "msg_" + UUID.randomUUID());
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("{\"error\":\"malformed JSON at line 1, column 26\"}");
        HttpResponse<String> noCall = send("{\"type\":\"call.ended\",\"data\":{}}");
        assertThat(noCall.body()).isEqualTo("{\"error\":\"missing required field: data.call_id\"}");
    }

    @Test
    void replayedWebhookIdChangesNothing() {
        byte[] body = event("call.started", "g-5", "{}").getBytes(StandardCharsets.UTF_8);
        String id = "msg_replayed";
        assertThat(sendRaw(body, id).body()).isEqualTo("{\"status\":\"accepted\"}");
        assertThat(sendRaw(body, id).body()).isEqualTo("{\"status\":\"duplicate\"}");
        // even re-signed with a new timestamp and other bytes: the webhook-id decides
        byte[] changed = event("call.started", "g-5", "{\"direction\":\"inbound\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(sendRaw(changed, id).body()).isEqualTo("{\"status\":\"duplicate\"}");
    }

    @Test
    void agentAndSystemEventsAreStoredCountedNotForwarded() {
        assertThat(send("{\"type\":\"agent.status_changed\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"data\":{\"agent_id\":\"a1\",\"status\":\"online\"}}").body())
                .isEqualTo("{\"status\":\"accepted\"}");
        assertThat(send("{\"type\":\"system.maintenance\",\"data\":{}}").body()).isEqualTo("{\"status\":\"accepted\"}");
        String metrics = bridge.get("/actuator/prometheus").body();
        assertThat(metrics).contains("kind=\"other\",outcome=\"stored\",provider=\"generic\",type=\"agent.status_changed\"} 1.0");
        assertThat(metrics).contains("type=\"system.maintenance\"");
    }

    @Test
    void aFullCallArrivingShuffledIsOneExactCekuraCall() throws Exception {
        String call = "g-full-1";
        List<String> events = new ArrayList<>(List.of(
                event("call.queued", call, "{\"from\":\"+14155550100\",\"to\":\"+18005550199\",\"direction\":\"inbound\",\"agent_id\":\"a1\",\"metadata\":{\"campaign\":\"spring\"}}", "2026-03-01T09:59:58Z"),
                event("call.started", call, "{\"from\":\"+14155550100\",\"to\":\"+18005550199\",\"direction\":\"inbound\",\"agent_id\":\"a1\"}", "2026-03-01T10:00:00Z"),
                event("transcript.available", call, """
                        {"transcript":[
                          {"role":"agent","content":"Hello, Acme support.","start_ms":1772359200500,"end_ms":1772359202000},
                          {"role":"user","content":"Where is my order?","start_ms":1772359203000,"end_ms":1772359204500},
                          {"role":"tool_call","content":"","data":{"id":"call_1","name":"lookup_order","arguments":{"order":"A-7"}}},
                          {"role":"tool_result","content":"","data":{"id":"call_1","name":"lookup_order","result":{"status":"shipped"}}},
                          {"role":"system","content":"Order found."},
                          {"role":"agent","content":"It shipped today.","start_ms":1772359210000,"end_ms":1772359212000}]}""", "2026-03-01T10:02:05Z"),
                event("recording.ready", call, "{\"recording_url\":\"https://rec.example/g-full-1.wav\"}", "2026-03-01T10:02:06Z"),
                event("quality.score", call, "{\"score\":{\"overall\":0.92,\"resolution\":1}}", "2026-03-01T10:02:07Z"),
                event("cost.calculated", call, "{\"cost\":{\"total\":0.42,\"currency\":\"USD\"}}", "2026-03-01T10:02:08Z"),
                event("call.ended", call, "{\"ended_reason\":\"customer-hungup\"}", "2026-03-01T10:02:00Z")));
        Collections.shuffle(events, new Random(7));
        for (String event : events) {
            assertThat(send(event).body()).isEqualTo("{\"status\":\"accepted\"}");
        }

        String sent = cekura.awaitOnlyCall("generic-" + call).body();
        JSONAssert.assertEquals("""
                {"agent_id":42,"calls":[{"id":"generic-g-full-1","startedAt":"2026-03-01T10:00:00Z","endedAt":"2026-03-01T10:02:00Z",
                 "messages":[
                   {"role":"bot","content":"Hello, Acme support.","start_time":1772359200500,"end_time":1772359202000},
                   {"role":"user","content":"Where is my order?","start_time":1772359203000,"end_time":1772359204500},
                   {"role":"function_call","content":"","data":{"id":"call_1","name":"lookup_order","arguments":{"order":"A-7"}}},
                   {"role":"function_call_result","content":"","data":{"id":"call_1","name":"lookup_order","result":{"status":"shipped"}}},
                   {"role":"system","content":"Order found."},
                   {"role":"bot","content":"It shipped today.","start_time":1772359210000,"end_time":1772359212000}],
                 "to_phone_number":"+18005550199","from_phone_number":"+14155550100",
                 "metadata":{"provider":"generic","direction":"inbound","campaign":"spring","agent_id":"a1",
                             "recording_url":"https://rec.example/g-full-1.wav",
                             "score":{"overall":0.92,"resolution":1},"cost":{"total":0.42,"currency":"USD"}},
                 "endedReason":"customer-hungup"}]}""", sent, JSONCompareMode.STRICT);
    }

    @Test
    void aFailedCallCarriesItsError() throws Exception {
        String call = "g-failed-1";
        send(event("call.started", call, "{}", "2026-03-01T11:00:00Z"));
        send(event("call.failed", call, "{\"error\":\"SIP 486 busy here\"}", "2026-03-01T11:00:09Z"));
        var sent = BridgeTestSupport.JSON.readTree(cekura.awaitOnlyCall("generic-" + call).body()).path("calls").get(0);
        assertThat(sent.path("endedReason").asText()).isEqualTo("call-failed");
        assertThat(sent.path("metadata").path("error").asText()).isEqualTo("SIP 486 busy here");
    }

    private static String event(String type, String callId, String data) {
        return event(type, callId, data, "2026-03-01T10:00:00Z");
    }

    private static String event(String type, String callId, String data, String at) {
        String fields = data.trim().substring(1, data.trim().length() - 1).trim();
        return "{\"type\":\"" + type + "\",\"timestamp\":\"" + at + "\",\"data\":{\"call_id\":\"" + callId + "\""
                + (fields.isEmpty() ? "" : "," + fields) + "}}";
    }

    private HttpResponse<String> send(String body) {
        return sendRaw(body.getBytes(StandardCharsets.UTF_8), "msg_" + UUID.randomUUID());
    }

    private HttpResponse<String> sendRaw(byte[] body, String id) {
        long ts = Instant.now().getEpochSecond();
        return post(body, id, ts, "v1," + TestSigner.sign(SECRET, id, ts, body));
    }

    private HttpResponse<String> post(byte[] body, String id, long ts, String signature) {
        return bridge.post("/webhooks/generic", body,
                Map.of("webhook-id", id, "webhook-timestamp", String.valueOf(ts), "webhook-signature", signature));
    }

    private static void assertUnauthorized(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).isEqualTo("{\"error\":\"missing or invalid credential\"}");
    }
}
