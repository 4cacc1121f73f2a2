package callbridge.store;

import static callbridge.support.SalpreEvents.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeClient;
import callbridge.support.BridgeTestSupport;
import callbridge.support.EmbeddedPostgresStore;
import callbridge.support.StubHttpServer;
import java.util.List;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same migrations and the same flow on a real PostgreSQL: the seed call, once, duplicates included. */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PostgresStoreTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final EmbeddedPostgresStore postgres = EmbeddedPostgresStore.start();

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "unused", cekura);
        postgres.wire(registry);
        // call_ended comes first, then ten more posts: each must land inside the grace, on a loaded machine too
        registry.add("bridge.call-grace", () -> "2s");
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @LocalServerPort
    int port;

    @Test
    void seedCallIsDeliveredOnceFromPostgres() throws Exception {
        BridgeClient bridge = new BridgeClient(port);
        for (String name : List.of("call_ended", "call_initiated", "call_ringing", "call_answered", "transcript")) {
            assertThat(bridge.post("/webhooks/salpre", fixture(name)).body()).isEqualTo("{\"status\":\"accepted\"}");
            assertThat(bridge.post("/webhooks/salpre", fixture(name)).body()).isEqualTo("{\"status\":\"duplicate\"}");
        }
        JSONAssert.assertEquals(BridgeTestSupport.resource("/cekura/salpre-730001.json"),
                cekura.awaitOnlyCall("salpre-730001").body(), JSONCompareMode.STRICT);
        assertThat(bridge.get("/admin/calls/salpre/730001").body()).contains("\"state\":\"delivered\"");
    }
}
