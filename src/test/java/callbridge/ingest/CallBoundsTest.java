package callbridge.ingest;

import static callbridge.support.SalpreEvents.lifecycle;
import static callbridge.support.SalpreEvents.transcript;
import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One call holds at most {@code BRIDGE_CALL_MAX_EVENTS} events and {@code BRIDGE_CALL_MAX_BYTES} raw bytes: beyond,
 * its events get 422 naming the limits and are not kept, the call is delivered with what it has, and the bridge goes
 * on serving other calls with its store open and health UP.
 */
@CamelSpringBootTest
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"bridge.call-max-events=4", "bridge.call-max-bytes=3000"})
class CallBoundsTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final String REFUSAL = "{\"error\":\"call is full: at most 4 events, 3000 bytes and 167772160 parsed bytes per call (BRIDGE_CALL_MAX_EVENTS, "
            + "BRIDGE_CALL_MAX_BYTES, BRIDGE_CALL_MAX_PARSED_BYTES); event not kept, the call is delivered as it is\"}";

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "call-bounds", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void aCallFloodedPastItsEventLimitIsRefused422AndDeliveredWithWhatItHas() throws Exception {
        long flooded = 790_001;
        assertThat(post(lifecycle("call_answered", flooded, 1760084576)).statusCode()).isEqualTo(200);
        for (int i = 1; i <= 3; i++) {
            assertThat(post(transcript(flooded, 1760084576 + i, "customer", "line " + i, null)).statusCode()).isEqualTo(200);
        }
        for (int i = 4; i <= 6; i++) {
            HttpResponse<String> refused = post(transcript(flooded, 1760084576 + i, "customer", "line " + i, null));
            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(refused.body()).isEqualTo(REFUSAL);
        }

        JsonNode call = BridgeTestSupport.JSON.readTree(cekura.awaitOnlyCall("salpre-" + flooded).body()).path("calls").get(0);
        assertThat(call.path("messages").findValuesAsText("content")).containsExactly("line 1", "line 2", "line 3");

        // the bridge goes on: another call is served and delivered, health is UP
        long other = 790_002;
        assertThat(post(lifecycle("call_answered", other, 1760084576)).statusCode()).isEqualTo(200);
        assertThat(post(transcript(other, 1760084580, "ai", "still serving", null)).statusCode()).isEqualTo(200);
        assertThat(post(callEnded(other)).statusCode()).isEqualTo(200);
        assertThat(cekura.awaitOnlyCall("salpre-" + other).body()).contains("still serving");
        assertThat(bridge.get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(bridge.get("/actuator/prometheus").body())
                .containsPattern("bridge_events_received_total\\{[^}]*outcome=\"over_limit\"[^}]*\\} [34]\\.0");   // and 1 of the other test
    }

    @Test
    void aCallPastItsByteLimitIsRefused422() {
        long large = 790_003;
        String padding = "x".repeat(1200);
        assertThat(post(transcript(large, 1760084577, "customer", "big 1 " + padding, null)).statusCode()).isEqualTo(200);
        assertThat(post(transcript(large, 1760084578, "customer", "big 2 " + padding, null)).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = post(transcript(large, 1760084579, "customer", "big 3 " + padding, null));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).isEqualTo(REFUSAL);
        assertThat(cekura.awaitOnlyCall("salpre-" + large).body()).contains("big 2").doesNotContain("big 3");
    }

    private static String callEnded(long id) {
        return callbridge.support.SalpreEvents.ended(id, 1760084597, java.util.List.of());
    }

    private HttpResponse<String> post(String body) {
        return bridge.post("/webhooks/salpre", body);
    }
}
