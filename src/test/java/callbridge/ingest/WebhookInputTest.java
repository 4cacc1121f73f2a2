package callbridge.ingest;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.fixture;
import static callbridge.support.SalpreEvents.lifecycle;
import static callbridge.support.SalpreEvents.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Every way a webhook request can be wrong, and the exact answer it gets. */
@CamelSpringBootTest
@ExtendWith(OutputCaptureExtension.class)
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"salpre.webhook-token=s3cret-token", "bridge.admin-token=admin-s3cret"})
class WebhookInputTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final Map<String, String> TOKEN = Map.of("X-Webhook-Token", "s3cret-token");

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "webhook-input", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }


    @Test
    void tokenInHeaderOrQueryIsAccepted() {
        assertAnswer(bridge.post("/webhooks/salpre", lifecycle("call_initiated", 810001, 1760084505), TOKEN),
                200, "{\"status\":\"accepted\"}");
        assertAnswer(bridge.post("/webhooks/salpre?token=s3cret-token", lifecycle("call_initiated", 810002, 1760084505)),
                200, "{\"status\":\"accepted\"}");
    }

    @Test
    void missingOrWrongTokenIs401() {
        String event = lifecycle("call_initiated", 810003, 1760084505);
        assertAnswer(bridge.post("/webhooks/salpre", event), 401, "{\"error\":\"missing or invalid credential\"}");
        assertAnswer(bridge.post("/webhooks/salpre", event, Map.of("X-Webhook-Token", "s3cret-tokeN")),
                401, "{\"error\":\"missing or invalid credential\"}");
        assertAnswer(bridge.post("/webhooks/salpre?token=s3cret", event), 401, "{\"error\":\"missing or invalid credential\"}");
        // nothing was stored: the same event with the token is new
        assertAnswer(bridge.post("/webhooks/salpre", event, TOKEN), 200, "{\"status\":\"accepted\"}");
    }

    @Test
    void malformedJsonIs400() {
        assertAnswer(bridge.post("/webhooks/salpre", "{\"event_type\": \"call_ended\", ", TOKEN),
                400, "{\"error\":\"malformed JSON at line 1, column 30\"}");
        assertAnswer(bridge.post("/webhooks/salpre", "{\"a\":1} trailing", TOKEN),
                400, "{\"error\":\"malformed JSON at line 1, column 17\"}");
        assertAnswer(bridge.post("/webhooks/salpre", "[1,2]", TOKEN), 400, "{\"error\":\"body must be a JSON object\"}");
        assertAnswer(bridge.post("/webhooks/salpre", "", TOKEN), 400, "{\"error\":\"empty body: a JSON object is required\"}");
    }

    @Test
    void missingEventTypeOrCallIdIs400NamingTheField() {
        assertAnswer(bridge.post("/webhooks/salpre", "{\"payload\":{\"call_id\":1}}", TOKEN),
                400, "{\"error\":\"missing required field: event_type\"}");
        assertAnswer(bridge.post("/webhooks/salpre", "{\"event_type\":\"call_ended\",\"payload\":{}}", TOKEN),
                400, "{\"error\":\"missing required field: payload.call_id\"}");
        assertAnswer(bridge.post("/webhooks/salpre", "{\"event_type\":\"transcript\",\"payload\":{\"call\":{\"from\":\"+1\"}}}", TOKEN),
                400, "{\"error\":\"missing required field: payload.call.id\"}");
        assertAnswer(bridge.post("/webhooks/salpre", "{\"event_type\":\"call_ended\",\"payload\":\"oops\"}", TOKEN),
                400, "{\"error\":\"field payload must be a JSON object\"}");
    }

    @Test
    void getIs405() {
        HttpResponse<String> answer = bridge.get("/webhooks/salpre", TOKEN);
        assertAnswer(answer, 405, "{\"error\":\"method not allowed\"}");
    }

    @Test
    void bodyOverOneMebibyteIs413WithOrWithoutContentLength() {
        byte[] big = new byte[1024 * 1024 + 1];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        assertAnswer(bridge.post("/webhooks/salpre", big, TOKEN), 413, "{\"error\":\"request body larger than 1048576 bytes\"}");

        HttpRequest chunked = HttpRequest.newBuilder(bridge.uri("/webhooks/salpre"))
                .header("X-Webhook-Token", "s3cret-token")
                .POST(unknownLength(big)).build();
        assertAnswer(bridge.send(chunked), 413, "{\"error\":\"request body larger than 1048576 bytes\"}");
    }

    @Test
    void bodyOfExactlyTheLimitIsRead() {
        String event = lifecycle("call_initiated", 810004, 1760084505);
        byte[] padded = new byte[1024 * 1024];
        Arrays.fill(padded, (byte) ' ');
        byte[] json = event.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(json, 0, padded, 0, json.length);
        assertAnswer(bridge.post("/webhooks/salpre", padded, TOKEN), 200, "{\"status\":\"accepted\"}");
    }

    @Test
    void unknownEventTypeIsAcceptedKeptCountedAndDeduplicated() {
        assertAnswer(bridge.post("/webhooks/salpre", "{\"event_type\":\"call_on_hold\",\"payload\":{\"call_id\":810005}}", TOKEN),
                200, "{\"status\":\"accepted\"}");
        assertAnswer(bridge.post("/webhooks/salpre", "{\"event_type\":\"agent_status\",\"payload\":{}}", TOKEN),
                200, "{\"status\":\"accepted\"}");
        // an event that names no call is deduplicated too: the same bytes again change nothing
        assertAnswer(bridge.post("/webhooks/salpre", "{\"event_type\":\"agent_status\",\"payload\":{}}", TOKEN),
                200, "{\"status\":\"duplicate\"}");
        String metrics = bridge.get("/actuator/prometheus").body();
        assertThat(metrics).contains("bridge_events_received_total{application=\"cekura-call-bridge\",kind=\"other\",outcome=\"stored\",provider=\"salpre\",type=\"agent_status\"} 1.0");
        assertThat(metrics).contains("bridge_events_received_total{application=\"cekura-call-bridge\",kind=\"other\",outcome=\"duplicate\",provider=\"salpre\",type=\"agent_status\"} 1.0");
        assertThat(metrics).contains("type=\"call_on_hold\"");
    }

    @Test
    void adminNeedsItsBearerToken() {
        assertAnswer(bridge.get("/admin/calls/salpre/810001"), 401, "{\"error\":\"missing or invalid admin token\"}");
        assertAnswer(bridge.get("/admin/calls/salpre/810001", Map.of("Authorization", "Bearer wrong")),
                401, "{\"error\":\"missing or invalid admin token\"}");
        assertAnswer(bridge.get("/admin/calls/salpre/nope", Map.of("Authorization", "Bearer admin-s3cret")),
                404, "{\"error\":\"no call salpre/nope\"}");
    }

    @Test
    void answersNeverCarryStackTraces() {
        HttpResponse<String> answer = bridge.post("/webhooks/salpre", "{\"event_type\":\"call_ended\",\"payload\":{\"call_id\":{\"x\":1}}}", TOKEN);
        assertAnswer(answer, 400, "{\"error\":\"call id must be a string or a number\"}");
        assertThat(bridge.get("/nowhere").body()).isEqualTo("{\"error\":\"not found\"}");
    }

    @Test
    void seedFixtureWithTokenIsAccepted() {
        assertAnswer(bridge.post("/webhooks/salpre", fixture("call_ringing"), TOKEN), 200, "{\"status\":\"accepted\"}");
    }

    @Test
    void aLineBreakInACallIdIs400AndForgesNoLogLine(CapturedOutput log) throws Exception {
        String forged = "c1\n2026-04-27T12:00:00.000Z ERROR 1 --- [main] callbridge.Forged : forged line";
        assertAnswer(salpre(lifecycleOf("call_ended", forged)), 400,
                "{\"error\":\"field payload.call_id must not contain control characters or line breaks\"}");
        assertAnswer(salpre(lifecycleOf("call_initiated", "c1\r\nERROR forged")), 400,
                "{\"error\":\"field payload.call_id must not contain control characters or line breaks\"}");
        assertAnswer(salpre(lifecycleOf("call_initiated", "c1\u2028ERROR forged")), 400,
                "{\"error\":\"field payload.call_id must not contain control characters or line breaks\"}");
        assertAnswer(salpre(lifecycleOf("call_ended\nERROR forged", "c1")), 400,
                "{\"error\":\"field event_type must not contain control characters or line breaks\"}");

        // a call id with an invisible bidi override is taken, and written escaped in the log lines about it
        String disguised = "810110\u202eERROR";
        assertAnswer(salpre(lifecycleOf("call_answered", disguised)), 200, "{\"status\":\"accepted\"}");
        assertAnswer(salpre(lifecycleOf("call_ended", disguised)), 200, "{\"status\":\"accepted\"}");
        assertThat(BridgeTestSupport.JSON.readTree(cekura.awaitOnlyCall("salpre-" + disguised).body())
                .path("calls").get(0).path("id").asText()).isEqualTo("salpre-810110\u202eERROR");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.getOut())
                .contains("call completed provider=salpre callId=810110\\u202eERROR ")
                .contains("call delivered provider=salpre callId=810110\\u202eERROR "));
        assertThat(log.getOut().lines()).noneMatch(line -> line.contains("forged") || line.contains("\u202e"));
    }

    @Test
    void aCallIdOrEventTypeTooLongForTheStoreIs400AndTheNextCallIsDelivered() throws Exception {
        assertAnswer(salpre(lifecycleOf("call_initiated", "c".repeat(300))), 400,
                "{\"error\":\"field payload.call_id is longer than 255 characters\"}");
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("event_type", "transcript");
        nested.put("payload", Map.of("call", Map.of("id", "c".repeat(256)), "transcript", "hello"));
        assertAnswer(salpre(json(nested)), 400, "{\"error\":\"field payload.call.id is longer than 255 characters\"}");
        assertAnswer(salpre(lifecycleOf("t".repeat(300), "810120")), 400,
                "{\"error\":\"field event_type is longer than 255 characters\"}");
        // Verbex may name the event only in its X-Webhook-Event header
        assertAnswer(bridge.post("/webhooks/verbex", "{\"call_id\":\"v810121\"}", Map.of("X-Webhook-Event", "E".repeat(300))),
                400, "{\"error\":\"field header X-Webhook-Event is longer than 255 characters\"}");
        // what fits exactly is taken
        assertAnswer(salpre(lifecycleOf("call_initiated", "c".repeat(255))), 200, "{\"status\":\"accepted\"}");

        long id = 810122;
        assertAnswer(salpre(lifecycle("call_answered", id, 1760084576)), 200, "{\"status\":\"accepted\"}");
        assertAnswer(salpre(ended(id, 1760084597, List.of())), 200, "{\"status\":\"accepted\"}");
        JSONAssert.assertEquals("""
                {"agent_id":42,"calls":[{"id":"salpre-810122","startedAt":"2025-10-10T08:22:56Z",
                 "endedAt":"2025-10-10T08:23:17Z","messages":[],
                 "to_phone_number":"+905555555554","from_phone_number":"+905555555555",
                 "metadata":{"provider":"salpre","direction":"outbound","source":"salprebox:SALPRE_AABBCCDD"},
                 "endedReason":"unknown"}]}""", cekura.awaitOnlyCall("salpre-810122").body(), JSONCompareMode.STRICT);
    }

    @Test
    void aProviderChosenDedupeKeyOfAnyLengthFitsItsColumn() {
        String event = "{\"traceId\":\"" + "t".repeat(300) + "\",\"eventName\":\"CallHandler.CallStarted\","
                + "\"timestamp\":\"2026-04-27T12:53:25Z\",\"payload\":{\"call_id\":\"v810130\"}}";
        assertAnswer(bridge.post("/webhooks/verbex", event), 200, "{\"status\":\"accepted\"}");
        assertAnswer(bridge.post("/webhooks/verbex", event.replace("12:53:25Z", "12:53:26Z")), 200, "{\"status\":\"duplicate\"}");
    }

    @Test
    void aMegabyteOfDigitsAsATimeIs400AtOnce() {
        String digits = "7".repeat(1_000_000);
        assertAnswer(salpre("{\"event_type\":\"call_initiated\",\"timestamp_utc\":\"" + digits + "\",\"payload\":{\"call_id\":810140}}"),
                400, "{\"error\":\"field timestamp_utc is too long for a time (at most 40 characters: "
                        + "ISO 8601 with an offset or Z, or Unix seconds or milliseconds)\"}");
        assertAnswer(salpre("{\"event_type\":\"call_initiated\",\"timestamp_utc\":" + digits + ",\"payload\":{\"call_id\":810140}}"),
                400, "{\"error\":\"malformed JSON\"}");   // Jackson reads numbers of at most 1000 digits
    }

    @Test
    void aTimeThatIsNoTimeIs400NamingTheField() {
        assertAnswer(salpre("{\"event_type\":\"call_initiated\",\"timestamp_utc\":\"1..2\",\"payload\":{\"call_id\":810150}}"),
                400, "{\"error\":\"field timestamp_utc must be a Unix time: digits with at most one fraction, at most 20 characters\"}");
        assertAnswer(salpre("{\"event_type\":\"call_initiated\",\"timestamp_utc\":1e999,\"payload\":{\"call_id\":810150}}"),
                400, "{\"error\":\"field timestamp_utc is out of range for a time (a Unix time from 0 to the year 9999, "
                        + "or ISO 8601 of the years 1 to 9999)\"}");
        assertAnswer(salpre("{\"event_type\":\"call_initiated\",\"timestamp_utc\":\"tomorrow\",\"payload\":{\"call_id\":810150}}"),
                400, "{\"error\":\"field timestamp_utc must be a time: ISO 8601 with an offset or Z, or Unix seconds or milliseconds\"}");
        assertAnswer(salpre(ended(810150, 1760084597, List.of(line("ai", "Hello", "1760084580"), line("customer", "Hi", "1..2")))),
                400, "{\"error\":\"field payload.transcript[1].utc_timestamp must be a Unix time: digits with at most one fraction, "
                        + "at most 20 characters\"}");
        assertAnswer(bridge.post("/webhooks/verbex", "{\"eventName\":\"CallHandler.CallStarted\",\"timestamp\":1e999,"
                + "\"payload\":{\"call_id\":\"v810150\"}}"), 400, "{\"error\":\"field timestamp is out of range "
                + "for a time (a Unix time from 0 to the year 9999, or ISO 8601 of the years 1 to 9999)\"}");
        assertAnswer(bridge.post("/webhooks/verbex", "{\"eventName\":\"CallHandler.CallStarted\",\"timestamp\":\"1..2\","
                + "\"payload\":{\"call_id\":\"v810150\"}}"), 400, "{\"error\":\"field timestamp must be a Unix time: "
                + "digits with at most one fraction, at most 20 characters\"}");
        // nothing of those was stored: the same call's first good event is new
        assertAnswer(salpre(lifecycle("call_initiated", 810150, 1760084505)), 200, "{\"status\":\"accepted\"}");
    }

    private HttpResponse<String> salpre(String body) {
        return bridge.post("/webhooks/salpre", body, TOKEN);
    }

    private static String lifecycleOf(String eventType, String callId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event_type", eventType);
        body.put("timestamp_utc", eventType.startsWith("call_ended") ? 1760084597 : 1760084576);
        body.put("payload", Map.of("call_id", callId, "from", "+905555555555", "to", "+905555555554"));
        return json(body);
    }

    private static String json(Object value) {
        try {
            return BridgeTestSupport.JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertAnswer(HttpResponse<String> answer, int status, String body) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.body()).isEqualTo(body);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        if (answer.request().method().equals("POST") && answer.uri().getPath().startsWith("/webhooks/")) {
            // the routes answer in one write with a length, not a chunked body and its closing chunk
            assertThat(answer.headers().firstValue("Content-Length")).contains(String.valueOf(body.getBytes(StandardCharsets.UTF_8).length));
            assertThat(answer.headers().firstValue("Transfer-Encoding")).isEmpty();
        }
    }

    /** A publisher with no declared length, so the client sends the body chunked. */
    private static HttpRequest.BodyPublisher unknownLength(byte[] body) {
        HttpRequest.BodyPublisher known = HttpRequest.BodyPublishers.ofByteArray(body);
        return new HttpRequest.BodyPublisher() {
            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void subscribe(Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
                known.subscribe(subscriber);
            }
        };
    }
}
