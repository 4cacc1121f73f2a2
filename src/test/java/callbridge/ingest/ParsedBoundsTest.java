package callbridge.ingest;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static callbridge.support.SalpreEvents.transcript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Heap-amplifying events ({@code {"x":[{},{},…]}}, about 25 times their size once parsed) are bounded by their parsed
 * size: one call's events by {@code BRIDGE_CALL_MAX_PARSED_BYTES} (here 512 KiB: six events of 1000 empty objects, not
 * seven), one event alone that could never fit is refused before anything is written, and a call larger than the node's
 * assembly budget (here 256 KiB) is assembled alone while the other calls are delivered.
 */
@CamelSpringBootTest
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"bridge.call-max-parsed-bytes=512KB", "bridge.assembly-memory-budget=256KB"})
class ParsedBoundsTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final String CALL_FULL = "{\"error\":\"call is full: at most 10000 events, 33554432 bytes and 524288 parsed bytes per call "
            + "(BRIDGE_CALL_MAX_EVENTS, BRIDGE_CALL_MAX_BYTES, BRIDGE_CALL_MAX_PARSED_BYTES); event not kept, the call is delivered as it is\"}";
    static final String TOO_LARGE = "{\"error\":\"event too large: parsed, it alone would take more than the 524288 bytes one call "
            + "may hold (BRIDGE_CALL_MAX_PARSED_BYTES); event not kept\"}";

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "parsed-bounds", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void anEventThatCouldNeverFitIsRefused422AndItsCallGoesOn() throws Exception {
        assertThat(post("call.started", "amp-1", null).body()).isEqualTo("{\"status\":\"accepted\"}");
        HttpResponse<String> refused = post("transcript.available", "amp-1", amplified(8000));   // ~600 KiB parsed
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).isEqualTo(TOO_LARGE);
        assertThat(bridge.get("/actuator/prometheus").body())
                .containsPattern("bridge_events_received_total\\{[^}]*outcome=\"too_large\"[^}]*\\} 1\\.0");
        // nothing was written and the call was not closed: its later events fold in as usual
        assertThat(post("recording.ready", "amp-1", null).body()).isEqualTo("{\"status\":\"accepted\"}");
        assertThat(post("call.ended", "amp-1", null).body()).isEqualTo("{\"status\":\"accepted\"}");
        JsonNode sent = BridgeTestSupport.JSON.readTree(cekura.awaitOnlyCall("generic-amp-1").body()).at("/calls/0");
        assertThat(sent.at("/metadata/x").isMissingNode()).isTrue();
        assertThat(sent.at("/metadata/closed_by").isMissingNode()).isTrue();
    }

    @Test
    void anAmplifiedCallIsBoundedByItsParsedSizeAndCompletesAloneWhileOtherCallsAreDelivered() throws Exception {
        assertThat(post("call.started", "amp-2", null).body()).isEqualTo("{\"status\":\"accepted\"}");
        for (int i = 0; i < 6; i++) {   // ~78 KiB parsed each, from ~3 KB of JSON
            assertThat(post("transcript.available", "amp-2", amplified(1000 + i)).body()).isEqualTo("{\"status\":\"accepted\"}");
        }
        HttpResponse<String> beyond = post("transcript.available", "amp-2", amplified(1006));
        assertThat(beyond.statusCode()).isEqualTo(422);
        assertThat(beyond.body()).isEqualTo(CALL_FULL);

        // meanwhile ordinary calls end, all at once: the amplified call (more than the whole budget) is assembled alone
        List<CompletableFuture<HttpResponse<String>>> others = new ArrayList<>();
        for (long id = 961001; id <= 961008; id++) {
            long callId = id;
            others.add(CompletableFuture.supplyAsync(() -> {
                bridge.post("/webhooks/salpre", lifecycle("call_answered", callId, 1760084576));
                bridge.post("/webhooks/salpre", transcript(callId, 1760084580, "ai", "ordinary " + callId, null));
                return bridge.post("/webhooks/salpre", ended(callId, 1760084597, List.of()));
            }));
        }
        others.forEach(answer -> assertThat(answer.join().statusCode()).isEqualTo(200));

        // closed by its bound (no end needed), delivered with its six accepted events' last metadata
        JsonNode amplified = BridgeTestSupport.JSON.readTree(cekura.awaitOnlyCall("generic-amp-2").body()).at("/calls/0");
        assertThat(amplified.at("/metadata/x").size()).isEqualTo(1005);
        for (long id = 961001; id <= 961008; id++) {
            long callId = id;
            await().atMost(Duration.ofSeconds(20)).until(() -> cekura.callsWithId("salpre-" + callId).size() == 1);
            assertThat(cekura.callsWithId("salpre-" + callId).get(0).body()).contains("ordinary " + callId);
        }
        assertThat(bridge.get("/actuator/prometheus").body())
                .containsPattern("bridge_assembly_memory_budget_bytes\\{[^}]*\\} 262144\\.0")
                .containsPattern("bridge_assembly_memory_reserved_bytes\\{[^}]*\\} 0\\.0");
    }

    /** {@code {"x":[{},{},…]}} with {@code n} empty objects: the platform's own metadata. */
    private static String amplified(int n) {
        StringBuilder json = new StringBuilder("{\"x\":[");
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "{}" : ",{}");
        }
        return json.append("]}").toString();
    }

    /** A generic webhook (the endpoint is open: no GENERIC_WEBHOOK_SECRET), with {@code data.metadata} when given. */
    private HttpResponse<String> post(String type, String callId, String metadata) {
        String body = "{\"type\":\"" + type + "\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"data\":{\"call_id\":\"" + callId + "\""
                + (metadata == null ? "" : ",\"metadata\":" + metadata) + "}}";
        return bridge.post("/webhooks/generic", body, Map.of("webhook-id", "msg_" + UUID.randomUUID()));
    }
}
