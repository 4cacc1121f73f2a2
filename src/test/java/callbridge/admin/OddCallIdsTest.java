package callbridge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Call ids a platform may send that are not plain path segments: a space, {@code :}, non-ASCII, {@code /}, {@code %}.
 * Each opens through the admin's query form ({@code /admin/call?provider=&id=}, what the ops page uses); the path form
 * decodes its segment; an encoded {@code /} in a path is the server's 400, in JSON. A lone surrogate (which a UTF-8
 * store would turn into {@code ?}, so that two ids meet) is refused at ingest.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OddCallIdsTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "odd-call-ids", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void everyIdOpensThroughTheQueryFormWithItsRawEvent() throws Exception {
        for (String id : List.of("odd call 1", "odd:call:ü東", "odd/call/1", "odd 50%25 off/2:x", "a+b")) {
            String body = started(id);
            assertThat(post(body).statusCode()).as(id).isEqualTo(200);
            HttpResponse<String> answer = bridge.get("/admin/call?provider=generic&id=" + enc(id));
            assertThat(answer.statusCode()).as(id).isEqualTo(200);
            JsonNode view = BridgeTestSupport.JSON.readTree(answer.body());
            assertThat(view.path("provider").asText()).isEqualTo("generic");
            assertThat(view.path("callId").asText()).isEqualTo(id);
            assertThat(view.path("state").asText()).isEqualTo("open");
            long eventId = view.path("events").get(0).path("id").asLong();
            HttpResponse<String> raw = bridge.get("/admin/call/events/" + eventId + "?provider=generic&id=" + enc(id));
            assertThat(raw.statusCode()).as(id).isEqualTo(200);
            assertThat(raw.body()).isEqualTo(body);
        }
        assertThat(error(bridge.get("/admin/call?provider=generic"))).isEqualTo("400 {\"error\":\"parameter id is required\"}");
        assertThat(error(bridge.get("/admin/call?id=x"))).isEqualTo("400 {\"error\":\"parameter provider is required\"}");
        assertThat(error(bridge.get("/admin/call?provider=generic&id=nope"))).isEqualTo("404 {\"error\":\"no call generic/nope\"}");
        assertThat(error(bridge.get("/admin/call/events/1?provider=generic&id=nope")))
                .isEqualTo("404 {\"error\":\"no event 1 in call generic/nope\"}");
    }

    @Test
    void thePathFormDecodesItsSegmentsAndAnEncodedSlashIsAJson400() throws Exception {
        assertThat(post(started("path call 1")).statusCode()).isEqualTo(200);
        assertThat(post(started("path:call:ü")).statusCode()).isEqualTo(200);
        for (Map.Entry<String, String> path : Map.of("/admin/calls/generic/path%20call%201", "path call 1",
                "/admin/calls/generic/path:call:%C3%BC", "path:call:ü", "/admin/calls/generic/path%3Acall%3A%C3%BC", "path:call:ü").entrySet()) {
            HttpResponse<String> answer = bridge.get(path.getKey());
            assertThat(answer.statusCode()).as(path.getKey()).isEqualTo(200);
            assertThat(BridgeTestSupport.JSON.readTree(answer.body()).path("callId").asText()).isEqualTo(path.getValue());
        }
        HttpResponse<String> slash = bridge.get("/admin/calls/generic/odd%2Fcall%2F1");
        assertThat(slash.statusCode()).isEqualTo(400);
        assertThat(slash.body()).isEqualTo("{\"error\":\"bad request\"}");
        assertThat(slash.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    }

    @Test
    void aLoneSurrogateInTheCallIdIs400NamingTheField() {
        for (String escaped : List.of("\\ud800", "x\\udfff", "\\udbff\\u0041")) {
            HttpResponse<String> answer = post("{\"type\":\"call.started\",\"timestamp\":\"2026-03-01T10:00:00Z\","
                    + "\"data\":{\"call_id\":\"lone-" + escaped + "\"}}");
            assertThat(answer.statusCode()).as(escaped).isEqualTo(400);
            assertThat(answer.body()).as(escaped)
                    .isEqualTo("{\"error\":\"field data.call_id must not contain a lone surrogate (U+D800 to U+DFFF without its pair)\"}");
        }
        HttpResponse<String> inMetadata = post("{\"type\":\"call.ended\",\"timestamp\":\"2026-03-01T10:00:00Z\","
                + "\"data\":{\"call_id\":\"lone-2\",\"ended_reason\":\"hung up \\udc00\"}}");
        assertThat(inMetadata.statusCode()).isEqualTo(400);
        assertThat(inMetadata.body())
                .isEqualTo("{\"error\":\"field ended reason must not contain a lone surrogate (U+D800 to U+DFFF without its pair)\"}");
        assertThat(bridge.get("/admin/calls?provider=generic").body()).doesNotContain("lone-");
        // a pair is one character, as it should be
        assertThat(post(started("pair-\\ud83d\\ude00")).statusCode()).isEqualTo(200);
        assertThat(bridge.get("/admin/call?provider=generic&id=" + enc("pair-\uD83D\uDE00")).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> post(String body) {
        return bridge.post("/webhooks/generic", body, Map.of("webhook-id", "msg_" + UUID.randomUUID()));
    }

    private static String started(String callId) {
        return "{\"type\":\"call.started\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"data\":{\"call_id\":\""
                + callId.replace("\\", "\\\\").replace("\"", "\\\"").replace("\\\\u", "\\u") + "\"}}";
    }

    private static String error(HttpResponse<String> answer) {
        return answer.statusCode() + " " + answer.body();
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
