package callbridge.calls;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeClient;
import callbridge.support.BridgeTestSupport;
import callbridge.support.TestStores;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Without CEKURA_WEBHOOK_URL the bridge assembles and records the exact payload, and sends nothing. */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"cekura.agent-id=7", "bridge.call-grace=200ms", "bridge.calls.poll-interval=50",
                "bridge.retention=3s", "bridge.retention-poll-interval=200", "bridge.retention-initial-delay=200"})
class DryRunTest {

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.username", TestStores::username);
        registry.add("spring.datasource.url", () -> TestStores.fresh("dry-run"));
    }

    @LocalServerPort
    int port;

    @Test
    void completedCallIsRecordedNotSent() throws Exception {
        BridgeClient bridge = new BridgeClient(port);
        bridge.post("/webhooks/salpre", lifecycle("call_answered", 930001, 1760084576));
        bridge.post("/webhooks/salpre", ended(930001, 1760084597, List.of()));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(view(bridge).path("state").asText()).isEqualTo("dry-run"));
        JsonNode view = view(bridge);
        assertThat(view.path("attempts").asInt()).isZero();
        JSONAssert.assertEquals("""
                {"agent_id":7,"calls":[{"id":"salpre-930001","startedAt":"2025-10-10T08:22:56Z",
                 "endedAt":"2025-10-10T08:23:17Z","messages":[],
                 "to_phone_number":"+905555555554","from_phone_number":"+905555555555",
                 "metadata":{"provider":"salpre","direction":"outbound","source":"salprebox:SALPRE_AABBCCDD"},
                 "endedReason":"unknown"}]}""", view.path("payload").toString(), JSONCompareMode.STRICT);
    }

    @Test
    void finishedCallsArePurgedAfterTheRetentionOpenOnesStay() {
        BridgeClient bridge = new BridgeClient(port);
        bridge.post("/webhooks/salpre", lifecycle("call_initiated", 930002, 1760084505));   // stays open
        bridge.post("/webhooks/salpre", lifecycle("call_answered", 930003, 1760084576));
        bridge.post("/webhooks/salpre", ended(930003, 1760084597, List.of()));
        await().atMost(Duration.ofSeconds(5)).until(() -> bridge.get("/admin/calls/salpre/930003").body().contains("\"dry-run\""));

        await().atMost(Duration.ofSeconds(10)).until(() -> bridge.get("/admin/calls/salpre/930003").statusCode() == 404);
        assertThat(bridge.get("/admin/calls/salpre/930002").body()).contains("\"state\":\"open\"");
        // its events went with it: the same end is a new event again
        assertThat(bridge.post("/webhooks/salpre", ended(930003, 1760084597, List.of())).body()).isEqualTo("{\"status\":\"accepted\"}");
    }

    @Test
    void eventsNoCallHoldsArePurgedAfterTheRetentionToo() {
        BridgeClient bridge = new BridgeClient(port);
        String noCall = "{\"event_type\":\"agent_status\",\"payload\":{\"seq\":930005}}";
        String neverOpened = "{\"event_type\":\"call_on_hold\",\"payload\":{\"call_id\":930006}}";   // an unknown type opens no call
        String open = lifecycle("call_initiated", 930007, 1760084505);
        for (String event : List.of(noCall, neverOpened, open)) {
            assertThat(bridge.post("/webhooks/salpre", event).body()).isEqualTo("{\"status\":\"accepted\"}");
            assertThat(bridge.post("/webhooks/salpre", event).body()).isEqualTo("{\"status\":\"duplicate\"}");
        }
        // stored until the retention (3 s) is over, then gone: the same bytes are a new event again
        for (String event : List.of(noCall, neverOpened)) {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).until(() ->
                    bridge.post("/webhooks/salpre", event).body().equals("{\"status\":\"accepted\"}"));
        }
        // the open call's event stays with its call
        assertThat(bridge.post("/webhooks/salpre", open).body()).isEqualTo("{\"status\":\"duplicate\"}");
        assertThat(bridge.get("/admin/calls/salpre/930007").body()).contains("\"state\":\"open\"");
    }

    private static JsonNode view(BridgeClient bridge) throws Exception {
        return BridgeTestSupport.JSON.readTree(bridge.get("/admin/calls/salpre/930001").body());
    }
}
