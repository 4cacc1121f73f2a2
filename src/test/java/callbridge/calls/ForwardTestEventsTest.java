package callbridge.calls;

import static callbridge.support.SalpreEvents.asTest;
import static callbridge.support.SalpreEvents.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeClient;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** BRIDGE_FORWARD_TEST_EVENTS=true: a call made of test-button events goes to Cekura, marked as a test. */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "bridge.forward-test-events=true")
class ForwardTestEventsTest {
    static final StubHttpServer cekura = StubHttpServer.start();

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "forward-test-events", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @LocalServerPort
    int port;

    @Test
    void testButtonCallIsForwardedWhenAskedTo() throws Exception {
        BridgeClient bridge = new BridgeClient(port);
        bridge.post("/webhooks/salpre", asTest(fixture("call_answered")));
        bridge.post("/webhooks/salpre", asTest(fixture("call_ended")));

        await().atMost(Duration.ofSeconds(15)).until(() -> cekura.callsWithId("salpre-730001").size() == 1);
        JsonNode call = BridgeTestSupport.JSON.readTree(cekura.callsWithId("salpre-730001").get(0).body()).path("calls").get(0);
        assertThat(call.path("metadata").path("is_test").asBoolean()).isTrue();
        assertThat(call.path("messages")).hasSize(3);
    }
}
