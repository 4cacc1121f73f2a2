package callbridge.admin;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.RawHttp;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * No BRIDGE_ADMIN_TOKEN, the client on loopback: a request naming another host (DNS rebinding) or sent by another
 * site's page (Origin, Sec-Fetch-Site) is refused 403 for every method; the bridge's own page (same origin) and curl
 * (no Origin) are served.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "cekura.retry-initial-delay=200ms")
class AdminCrossSiteTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start().answerByDefault(Answer.of(202, "{\"status\":\"accepted\"}"));
    static final String FOREIGN_HOST = "{\"error\":\"BRIDGE_ADMIN_TOKEN is not set: /admin answers only requests to a loopback "
            + "host name (localhost, 127.0.0.1, [::1]); behind a proxy, set BRIDGE_ADMIN_TOKEN\"}";
    static final String CROSS_SITE = "{\"error\":\"BRIDGE_ADMIN_TOKEN is not set: /admin refuses requests sent by another site's page\"}";

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "admin-cross-site", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void aRequestNamingAForeignHostIsRefused() {
        for (String host : List.of("evil.example", "evil.example:" + port, "127.0.0.1.evil.example:" + port,
                "localhost.evil.example", "10.0.0.1:" + port, "[::2]:" + port)) {
            for (String path : List.of("/admin/calls", "/admin/summary", "/admin/", "/admin/assets/ops.js")) {
                RawHttp.Answer answer = RawHttp.get(port, path, host);
                assertThat(answer.status()).as(host + " " + path).isEqualTo(403);
                assertThat(answer.body()).as(host + " " + path).isEqualTo(FOREIGN_HOST);
                assertThat(answer.header("Content-Type")).as(host + " " + path).isEqualTo("application/json");
            }
        }
        RawHttp.Answer post = RawHttp.send(port, "POST /admin/dead-letters/replay HTTP/1.1\r\nHost: evil.example:" + port
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(post.status()).isEqualTo(403);
        assertThat(post.body()).isEqualTo(FOREIGN_HOST);
    }

    @Test
    void aLoopbackHostNameIsServed() {
        for (String host : List.of("localhost:" + port, "LOCALHOST:" + port, "localhost", "127.0.0.1:" + port, "127.1.2.3",
                "[::1]:" + port)) {
            RawHttp.Answer answer = RawHttp.get(port, "/admin/calls", host);
            assertThat(answer.status()).as(host).isEqualTo(200);
            assertThat(answer.body()).as(host).startsWith("[");
        }
    }

    @Test
    void aCrossSiteFormPostIsRefusedAndReplaysNothingWhileTheSameOriginReplays() throws Exception {
        cekura.scriptCall("salpre-963001", Answer.of(202, "{\"status\":\"accepted\"}"),
                Answer.of(400, "{\"detail\":\"agent_id must be an integer\"}"));
        assertThat(bridge.post("/webhooks/salpre", lifecycle("call_answered", 963001, 1760084576)).statusCode()).isEqualTo(200);
        assertThat(bridge.post("/webhooks/salpre", ended(963001, 1760084597, List.of())).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> "waiting".equals(letterStatus("963001")));

        // a page of another site posting a form, as the review did: 403, the letter stays waiting
        HttpResponse<String> form = post("/admin/dead-letters/replay", Map.of("Origin", "https://evil.example",
                "Content-Type", "application/x-www-form-urlencoded"), "replay=all");
        assertThat(form.statusCode()).isEqualTo(403);
        assertThat(form.body()).isEqualTo(CROSS_SITE);
        assertThat(form.headers().firstValue("Content-Type")).hasValue("application/json");
        for (Map<String, String> crossSite : List.of(Map.of("Sec-Fetch-Site", "cross-site"), Map.of("Sec-Fetch-Site", "same-site"),
                Map.of("Origin", "null"), Map.of("Origin", "http://127.0.0.1:" + (port == 1 ? 2 : port - 1)),
                Map.of("Origin", "https://127.0.0.1:" + port), Map.of("Origin", "http://evil.example:" + port),
                Map.of("Origin", "http://127.0.0.1:" + port, "Sec-Fetch-Site", "cross-site"))) {
            HttpResponse<String> answer = post("/admin/dead-letters/replay", crossSite, "");
            assertThat(answer.statusCode()).as(crossSite.toString()).isEqualTo(403);
            assertThat(answer.body()).as(crossSite.toString()).isEqualTo(CROSS_SITE);
            HttpResponse<String> read = bridge.get("/admin/calls", crossSite);
            assertThat(read.statusCode()).as("GET " + crossSite).isEqualTo(403);
            assertThat(read.body()).as("GET " + crossSite).isEqualTo(CROSS_SITE);
        }
        assertThat(letterStatus("963001")).isEqualTo("waiting");

        // the ops page's own fetch (same origin) replays it
        HttpResponse<String> sameOrigin = post("/admin/dead-letters/replay",
                Map.of("Origin", "http://127.0.0.1:" + port, "Sec-Fetch-Site", "same-origin"), "");
        assertThat(sameOrigin.statusCode()).isEqualTo(202);
        assertThat(sameOrigin.body()).isEqualTo("{\"replaying\":1}");
        await().atMost(Duration.ofSeconds(15)).until(() -> bridge.get("/admin/calls/salpre/963001").body()
                .contains("\"state\":\"delivered\""));
        assertThat(cekura.callsWithId("salpre-963001")).extracting(StubHttpServer.Request::answeredStatus).containsExactly(400, 202);
        // and curl (no Origin, no Sec-Fetch-Site)
        HttpResponse<String> curl = post("/admin/dead-letters/replay", Map.of(), "");
        assertThat(curl.statusCode()).isEqualTo(202);
        assertThat(curl.body()).isEqualTo("{\"replaying\":0}");
        assertThat(bridge.get("/admin/calls", Map.of("Sec-Fetch-Site", "same-origin")).statusCode()).isEqualTo(200);
        assertThat(bridge.get("/admin/calls", Map.of("Sec-Fetch-Site", "none")).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> post(String path, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(bridge.uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return bridge.send(request.build());
    }

    private String letterStatus(String callId) throws Exception {
        for (JsonNode letter : BridgeTestSupport.JSON.readTree(bridge.get("/admin/dead-letters").body())) {
            if (letter.path("callId").asText().equals(callId)) {
                return letter.path("status").asText();
            }
        }
        return null;
    }
}
