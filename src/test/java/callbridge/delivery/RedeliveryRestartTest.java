package callbridge.delivery;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.CallBridgeApplication;
import callbridge.support.BridgeClient;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import callbridge.support.TestStores;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A redelivery pending when the application stops is made after the next start, once, with its count. */
class RedeliveryRestartTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    final String storeUrl = TestStores.fresh("redelivery-restart");

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void pendingRedeliveryResumesAfterRestart() throws Exception {
        cekura.scriptCall("salpre-950001", Answer.of(200), Answer.of(503));
        try (ConfigurableApplicationContext first = start()) {
            BridgeClient bridge = BridgeClient.of(first);
            bridge.post("/webhooks/salpre", lifecycle("call_answered", 950001, 1760084576));
            bridge.post("/webhooks/salpre", ended(950001, 1760084597, List.of()));
            await().atMost(Duration.ofSeconds(10)).until(() -> cekura.callsWithId("salpre-950001").size() == 1);
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    view(bridge).path("deliveryAttempts").size() == 1);
        }
        // stopped inside the 3 s wait: nothing was sent during the stop
        assertThat(cekura.callsWithId("salpre-950001")).hasSize(1);

        try (ConfigurableApplicationContext second = start()) {
            BridgeClient bridge = BridgeClient.of(second);
            await().atMost(Duration.ofSeconds(15)).until(() -> cekura.callsWithId("salpre-950001").size() == 2);
            await().atMost(Duration.ofSeconds(5)).until(() -> "delivered".equals(view(bridge).path("state").asText()));
            await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> cekura.callsWithId("salpre-950001").size() == 2);
            JsonNode view = view(bridge);
            assertThat(view.path("attempts").asInt()).isEqualTo(2);
            assertThat(view.path("deliveryAttempts")).extracting(a -> a.path("outcome").asText())
                    .containsExactly("retry-scheduled", "delivered");
            List<StubHttpServer.Request> sent = cekura.callsWithId("salpre-950001");
            // resumed at its due time, not before
            assertThat(Duration.between(sent.get(0).at(), sent.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(2500));
        }
    }

    private static JsonNode view(BridgeClient bridge) throws Exception {
        return BridgeTestSupport.JSON.readTree(bridge.get("/admin/calls/salpre/950001").body());
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(CallBridgeApplication.class).run(
                "--server.port=0",
                "--bridge.node-name=restart-node",
                "--spring.datasource.url=" + storeUrl,
                "--spring.datasource.username=" + TestStores.username(),
                "--cekura.webhook-url=" + cekura.url("/cekura/hook"),
                "--cekura.api-key=" + BridgeTestSupport.API_KEY,
                "--cekura.agent-id=42",
                "--cekura.retry-initial-delay=3s",
                "--cekura.delivery-window=1m",
                "--camel.main.shutdown-timeout=1",
                "--bridge.call-grace=300ms",
                "--bridge.calls.poll-interval=50",
                "--bridge.delivery.poll-interval=100");
    }

}
