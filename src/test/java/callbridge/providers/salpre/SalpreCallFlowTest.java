package callbridge.providers.salpre;

import static callbridge.support.SalpreEvents.asTest;
import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.error;
import static callbridge.support.SalpreEvents.fixture;
import static callbridge.support.SalpreEvents.lifecycle;
import static callbridge.support.SalpreEvents.line;
import static callbridge.support.SalpreEvents.transcript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Salpre calls end to end: real context, real HTTP in, stub Cekura out, real H2 file. */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "bridge.call-idle-timeout=3s")
class SalpreCallFlowTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "salpre-flow", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }


    @Test
    void seedCallReachesCekuraOnceWithExactPayloadAndHeaders() throws Exception {
        for (String name : List.of("call_initiated", "call_ringing", "call_answered", "transcript", "call_ended")) {
            HttpResponse<String> answer = postSalpre(fixture(name));
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("{\"status\":\"accepted\"}");
        }

        StubHttpServer.Request sent = cekura.awaitOnlyCall("salpre-730001");
        JSONAssert.assertEquals(BridgeTestSupport.resource("/cekura/salpre-730001.json"), sent.body(), JSONCompareMode.STRICT);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/cekura/hook");
        assertThat(sent.header("X-CEKURA-API-KEY")).isEqualTo(BridgeTestSupport.API_KEY);
        assertThat(sent.header("Content-Type")).startsWith("application/json");
        assertThat(sent.headers().keySet()).noneMatch(h -> h.startsWith("bridge") || h.startsWith("camel")
                || h.equals("x-webhook-token") || h.equals("event_type"));

        JsonNode view = adminView("730001");
        assertThat(view.path("state").asText()).isEqualTo("delivered");
        assertThat(view.path("attempts").asInt()).isEqualTo(1);
        assertThat(view.path("events")).hasSize(5);
        assertThat(view.path("events").get(0).path("eventType").asText()).isEqualTo("call_initiated");
        HttpResponse<String> raw = bridge.get("/admin/calls/salpre/730001/events/" + view.path("events").get(0).path("id").asLong());
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.body()).isEqualTo(fixture("call_initiated")); // byte for byte, on request
        assertThat(view.path("deliveryAttempts").get(0).path("status").asInt()).isEqualTo(200);
        JSONAssert.assertEquals(sent.body(), view.path("payload").toString(), JSONCompareMode.STRICT);
    }

    @Test
    void eventsArrivingEndFirstMakeTheSameCall() throws Exception {
        long id = 730002;
        postSalpre(ended(id, 1760084597, List.of(line("ai", "Hello", null), line("customer", "Hi", "1760084580"))));
        postSalpre(lifecycle("call_answered", id, 1760084576));
        postSalpre(lifecycle("call_initiated", id, 1760084505));
        postSalpre(lifecycle("call_ringing", id, 1760084555));

        JSONAssert.assertEquals("""
                {"agent_id":42,"calls":[{"id":"salpre-730002","startedAt":"2025-10-10T08:22:56Z",
                 "endedAt":"2025-10-10T08:23:17Z",
                 "messages":[{"role":"bot","content":"Hello"},{"role":"user","content":"Hi","start_time":1760084580000}],
                 "to_phone_number":"+905555555554","from_phone_number":"+905555555555",
                 "metadata":{"provider":"salpre","direction":"outbound","source":"salprebox:SALPRE_AABBCCDD"},
                 "endedReason":"unknown"}]}""", cekura.awaitOnlyCall("salpre-730002").body(), JSONCompareMode.STRICT);
    }

    @Test
    void everyEventSentTwiceIsDeliveredOnce() throws Exception {
        long id = 730003;
        List<String> events = List.of(
                lifecycle("call_initiated", id, 1760084505),
                lifecycle("call_answered", id, 1760084576),
                transcript(id, 1760084580, "customer", "Hello?", "1760084580"),
                ended(id, 1760084597, List.of(line("customer", "Hello?", "1760084580"))));
        for (String event : events) {
            assertThat(postSalpre(event).body()).isEqualTo("{\"status\":\"accepted\"}");
            assertThat(postSalpre(event).body()).isEqualTo("{\"status\":\"duplicate\"}");
        }
        JSONAssert.assertEquals("""
                {"agent_id":42,"calls":[{"id":"salpre-730003","startedAt":"2025-10-10T08:22:56Z",
                 "endedAt":"2025-10-10T08:23:17Z",
                 "messages":[{"role":"user","content":"Hello?","start_time":1760084580000}],
                 "to_phone_number":"+905555555554","from_phone_number":"+905555555555",
                 "metadata":{"provider":"salpre","direction":"outbound","source":"salprebox:SALPRE_AABBCCDD"},
                 "endedReason":"unknown"}]}""", cekura.awaitOnlyCall("salpre-730003").body(), JSONCompareMode.STRICT);
        assertThat(adminView(String.valueOf(id)).path("events")).hasSize(4);
    }

    @Test
    void liveTranscriptLinesAreUsedInTimeOrderWhenTheEndCarriesNone() throws Exception {
        long id = 730004;
        postSalpre(lifecycle("call_initiated", id, 1760084505));
        postSalpre(transcript(id, 1760084592, "ai", "Second: how can I help?", "1760084591"));
        postSalpre(transcript(id, 1760084581, "customer", "First: hello", "1760084580"));
        postSalpre(transcript(id, 1760084600, "agent-whisper", "Third: note", null));
        postSalpre(ended(id, 1760084610, List.of()));

        JSONAssert.assertEquals("""
                {"agent_id":42,"calls":[{"id":"salpre-730004","startedAt":"2025-10-10T08:21:45Z",
                 "endedAt":"2025-10-10T08:23:30Z",
                 "messages":[
                   {"role":"user","content":"First: hello","start_time":1760084580000},
                   {"role":"bot","content":"Second: how can I help?","start_time":1760084591000},
                   {"role":"system","content":"Third: note","start_time":1760084600000}],
                 "to_phone_number":"+905555555554","from_phone_number":"+905555555555",
                 "metadata":{"provider":"salpre","direction":"outbound","source":"salprebox:SALPRE_AABBCCDD"},
                 "endedReason":"unknown"}]}""", cekura.awaitOnlyCall("salpre-730004").body(), JSONCompareMode.STRICT);
    }

    @Test
    void errorCallThatNeverEndsIsDeliveredWithItsErrorAfterTheIdleTimeout() throws Exception {
        long id = 730005;
        postSalpre(lifecycle("call_initiated", id, 1760084505));
        postSalpre(error(id, 1760084656, "SIP 503 from carrier"));

        JSONAssert.assertEquals("""
                {"agent_id":42,"calls":[{"id":"salpre-730005","startedAt":"2025-10-10T08:21:45Z",
                 "endedAt":"2025-10-10T08:24:16Z","messages":[],
                 "to_phone_number":"+905555555554","from_phone_number":"+905555555555",
                 "metadata":{"provider":"salpre","direction":"outbound","source":"salprebox:SALPRE_AABBCCDD",
                             "error":"SIP 503 from carrier","closed_by":"idle-timeout"},
                 "endedReason":"unknown"}]}""", cekura.awaitOnlyCall("salpre-730005").body(), JSONCompareMode.STRICT);
    }

    @Test
    void callWithEventsKeepsGatheringPastItsFirstIdleDueTime() throws Exception {
        // idle timeout 3 s: the second event comes 1.5 s after the first, the third 3.5 s after it, past the first
        // event's idle due time but well inside the second's, so the call never idles (margins of 1 s and more)
        long id = 730015;
        Instant first = Instant.now();
        postSalpre(lifecycle("call_initiated", id, 1760084505));
        await().pollInterval(Duration.ofMillis(20)).until(() -> Instant.now().isAfter(first.plusMillis(1500)));
        postSalpre(lifecycle("call_answered", id, 1760084510));
        await().pollInterval(Duration.ofMillis(20)).until(() -> Instant.now().isAfter(first.plusMillis(3500)));
        HttpResponse<String> third = postSalpre(transcript(id, 1760084520, "customer", "still here", "1760084520"));
        assertThat(third.body()).isEqualTo("{\"status\":\"accepted\"}");

        JsonNode call = BridgeTestSupport.JSON.readTree(cekura.awaitOnlyCall("salpre-730015").body()).path("calls").get(0);
        assertThat(call.path("messages").toString())
                .isEqualTo("[{\"role\":\"user\",\"content\":\"still here\",\"start_time\":1760084520000}]");
        assertThat(call.path("metadata").path("closed_by").asText()).isEqualTo("idle-timeout");
    }

    @Test
    void textIsKeptExactly() throws Exception {
        long id = 730006;
        String tricky = "Grüße 👋 \"quoted\" 日本語 \\ back\\slash\nnew line <tag> & done";
        postSalpre(lifecycle("call_answered", id, 1760084576));
        postSalpre(ended(id, 1760084597, List.of(line("customer", tricky, "1760084580"))));

        JsonNode call = BridgeTestSupport.JSON.readTree(cekura.awaitOnlyCall("salpre-730006").body()).path("calls").get(0);
        assertThat(call.path("messages").get(0).path("content").asText()).isEqualTo(tricky);
    }

    @Test
    void invalidPhoneNumbersAreLeftOutAndKeptRawInMetadata() throws Exception {
        String body = lifecycle("call_ended", 730007, 1760084597)
                .replace("\"+905555555555\"", "\"0555 555 55 55\"")
                .replace("\"+905555555554\"", "\"+9055555555549999\"");
        postSalpre(body);

        JsonNode call = BridgeTestSupport.JSON.readTree(cekura.awaitOnlyCall("salpre-730007").body()).path("calls").get(0);
        assertThat(call.has("from_phone_number")).isFalse();
        assertThat(call.has("to_phone_number")).isFalse();
        assertThat(call.path("metadata").path("from_number_raw").asText()).isEqualTo("0555 555 55 55");
        assertThat(call.path("metadata").path("to_number_raw").asText()).isEqualTo("+9055555555549999");
    }

    @Test
    void testButtonEventsAreKeptButNotForwarded() throws Exception {
        long id = 730008;
        assertThat(postSalpre(asTest(lifecycle("call_initiated", id, 1760084505))).statusCode()).isEqualTo(200);
        assertThat(postSalpre(asTest(ended(id, 1760084597, List.of()))).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(adminView(String.valueOf(id)).path("state").asText()).isEqualTo("test-not-forwarded"));
        JsonNode view = adminView(String.valueOf(id));
        assertThat(view.path("events")).hasSize(2);
        assertThat(view.path("payload").path("calls").get(0).path("metadata").path("is_test").asBoolean()).isTrue();
        assertThat(cekura.callsWithId("salpre-" + id)).isEmpty();
    }

    @Test
    void fieldsTheBridgeDoesNotMapGoToMetadataAsSent() throws Exception {
        long id = 730009;
        // payload fields the bridge reads (error_message, transcript, type, timestamp_utc) stay out, in every event type
        postSalpre(("{\"event_type\":\"call_initiated\",\"timestamp_utc\":1760084505,\"payload\":{\"call_id\":%d,"
                + "\"from\":\"+905555555555\",\"to\":\"+905555555554\",\"direction\":\"outbound\",\"source\":\"salprebox:S1\","
                + "\"campaign\":{\"id\":7,\"name\":\"Q4\"},\"agent_name\":\"Ayşe\",\"note\":\"\",\"priority\":2,"
                + "\"error_message\":\"none\",\"type\":\"dialer\"},\"is_test\":false}").formatted(id));
        String live = "{\"event_type\":\"transcript\",\"timestamp_utc\":1760084580,\"payload\":{\"call\":{\"id\":%d,"
                + "\"from\":\"+905555555555\",\"to\":\"+905555555554\",\"direction\":\"outbound\",\"source\":\"salprebox:S1\","
                + "\"queue\":\"sales\",\"type\":\"inbound-queue\",\"timestamp_utc\":\"1760084579\"},"
                + "\"type\":\"customer\",%s\"sentiment\":\"positive\"},\"is_test\":false}";
        HttpResponse<String> noLine = postSalpre(live.formatted(id, ""));
        assertThat(noLine.statusCode()).isEqualTo(400);
        assertThat(noLine.body()).isEqualTo("{\"error\":\"missing required field: payload.transcript\"}");
        assertThat(postSalpre(live.formatted(id, "\"transcript\":\"Merhaba\",")).statusCode()).isEqualTo(200);
        postSalpre(ended(id, 1760084597, List.of()));

        JSONAssert.assertEquals("""
                {"agent_id":42,"calls":[{"id":"salpre-730009","startedAt":"2025-10-10T08:21:45Z",
                 "endedAt":"2025-10-10T08:23:17Z",
                 "messages":[{"role":"user","content":"Merhaba","start_time":1760084580000}],
                 "to_phone_number":"+905555555554","from_phone_number":"+905555555555",
                 "metadata":{"provider":"salpre","direction":"outbound","source":"salprebox:SALPRE_AABBCCDD",
                             "campaign":{"id":7,"name":"Q4"},"agent_name":"Ayşe","note":"","priority":2,
                             "queue":"sales","type":"inbound-queue","timestamp_utc":"1760084579","sentiment":"positive"},
                 "endedReason":"unknown"}]}""", cekura.awaitOnlyCall("salpre-730009").body(), JSONCompareMode.STRICT);
    }

    private HttpResponse<String> postSalpre(String body) {
        return bridge.post("/webhooks/salpre", body);
    }

    private JsonNode adminView(String callId) throws Exception {
        HttpResponse<String> answer = bridge.get("/admin/calls/salpre/" + callId);
        assertThat(answer.statusCode()).isEqualTo(200);
        return BridgeTestSupport.JSON.readTree(answer.body());
    }

}
