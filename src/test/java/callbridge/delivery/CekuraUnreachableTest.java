package callbridge.delivery;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeClient;
import callbridge.support.BridgeTestSupport;
import callbridge.support.TestStores;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Connection refused is retried inside the window, then the call is a dead letter "window-expired". */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cekura.retry-initial-delay=200ms", "cekura.retry-max-attempts=10", "cekura.delivery-window=2s",
        "cekura.agent-id=3", "bridge.call-grace=200ms", "bridge.calls.poll-interval=50"})
class CekuraUnreachableTest {

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();   // free now, and nobody listens on it
        }
        int port = closedPort;
        registry.add("spring.datasource.username", TestStores::username);
        registry.add("spring.datasource.url", () -> TestStores.fresh("cekura-unreachable"));
        registry.add("cekura.webhook-url", () -> "http://127.0.0.1:" + port + "/hook");
    }

    @LocalServerPort
    int port;

    @Test
    void connectionRefusedIsRetriedUntilTheWindowEnds() throws Exception {
        BridgeClient bridge = new BridgeClient(port);
        bridge.post("/webhooks/salpre", lifecycle("call_answered", 970001, 1760084576));
        bridge.post("/webhooks/salpre", ended(970001, 1760084597, List.of()));

        await().atMost(Duration.ofSeconds(15)).until(() -> bridge.get("/admin/dead-letters").body().contains("\"callId\":\"970001\""));
        JsonNode letter = BridgeTestSupport.JSON.readTree(bridge.get("/admin/dead-letters").body()).get(0);
        assertThat(letter.path("reason").asText()).isEqualTo("window-expired");
        // retried (a loaded machine fits fewer attempts into the 2 s window, never fewer than the first and one retry)
        assertThat(letter.path("attempts").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(letter.path("lastStatus").isNull()).isTrue();
        JsonNode view = BridgeTestSupport.JSON.readTree(bridge.get("/admin/calls/salpre/970001").body());
        assertThat(view.path("deliveryAttempts").get(0).path("detail").asText()).contains("Connect");
    }
}
