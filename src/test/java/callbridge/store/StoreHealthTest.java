package callbridge.store;

import static callbridge.support.SalpreEvents.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.EmbeddedPostgresStore;
import callbridge.support.StubHttpServer;
import java.net.http.HttpResponse;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code /actuator/health} follows the store: UP with it, DOWN (503) when it is gone, and a webhook
 * that cannot be stored is answered 503 (send again later), never 200.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.hikari.connection-timeout=1000",
        "bridge.ingest.append-timeout-ms=3000"})
@DirtiesContext
class StoreHealthTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    /** This class's own server: the test stops it. */
    static final EmbeddedPostgresStore postgres = EmbeddedPostgresStore.start();

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "unused", cekura);
        postgres.wire(registry);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void healthIsDownAndWebhooksAre503WhenTheStoreIsGone() {
        HttpResponse<String> up = bridge.get("/actuator/health");
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).startsWith("{\"status\":\"UP\"").contains("\"db\":{\"status\":\"UP\"}");
        assertThat(bridge.post("/webhooks/salpre", fixture("call_initiated")).statusCode()).isEqualTo(200);

        postgres.close();

        HttpResponse<String> down = bridge.get("/actuator/health");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).startsWith("{\"status\":\"DOWN\"").contains("\"db\":{\"status\":\"DOWN\"}");
        HttpResponse<String> refused = bridge.post("/webhooks/salpre", fixture("call_ringing"));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).isEqualTo("{\"error\":\"event store unavailable, send again later\"}");
    }
}
