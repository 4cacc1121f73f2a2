package callbridge.ingest;

import static callbridge.support.SalpreEvents.fixture;
import static callbridge.support.SalpreEvents.lifecycle;
import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Flow;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Every way a webhook request can be wrong, and the exact answer it gets. */
@CamelSpringBootTest
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
