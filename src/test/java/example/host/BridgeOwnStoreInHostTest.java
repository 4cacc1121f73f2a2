package example.host;

import static callbridge.support.SalpreEvents.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.store.BridgeStore;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.TestStores;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * BRIDGE_DATASOURCE_URL: the bridge stores in a database of its own; the host's DataSource, an H2 in MySQL mode the
 * bridge could not work on, is left as it was. The admin API and page switched off (BRIDGE_ADMIN_ENABLED=false).
 */
class BridgeOwnStoreInHostTest extends HostTests {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final String HOST_DB = TestStores.h2Url(Path.of("target", "test-db", "host-alone-" + UUID.randomUUID())) + ";MODE=MySQL";
    static final String BRIDGE_DB = TestStores.h2Url(Path.of("target", "test-db", "bridge-own-" + UUID.randomUUID()));

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> HOST_DB);
        registry.add("bridge.datasource.url", () -> BRIDGE_DB);
        registry.add("cekura.webhook-url", () -> cekura.url("/cekura/hook"));
        registry.add("bridge.admin.enabled", () -> "false");
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Autowired
    BridgeStore bridgeStore;
    @Autowired
    DataSourceProperties hostDataSourceProperties;

    @Test
    void aSalpreCallPostedOnTheHostsPortReachesCekuraExactly() throws Exception {
        for (String name : List.of("call_initiated", "call_ringing", "call_answered", "transcript", "call_ended")) {
            assertThat(bridge.post("/webhooks/salpre", fixture(name)).statusCode()).isEqualTo(200);
        }
        JSONAssert.assertEquals(BridgeTestSupport.resource("/cekura/salpre-730001.json"),
                cekura.awaitOnlyCall("salpre-730001").body(), JSONCompareMode.STRICT);
        // Cekura's 2xx comes before the bridge records it
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                bridgeStore.jdbc().sql("SELECT state FROM bridge_call WHERE call_id = '730001'").query(String.class).single())
                .isEqualTo("DELIVERED"));
    }

    @Test
    void theBridgesTablesAreOnlyInItsOwnDatabase() throws SQLException {
        assertThat(tables(hostDataSource)).containsExactlyInAnyOrder("host_order", "call_event", "flyway_schema_history");
        assertThat(tables(bridgeStore.dataSource())).containsExactlyInAnyOrder("bridge_call", "bridge_call_event",
                "bridge_delivery_attempt", "bridge_dead_letter", "bridge_outbound_trigger", "bridge_store_probe",
                "bridge_schema_history");
        assertThat(bridgeStore.dataSource()).isNotSameAs(hostDataSource);
    }

    @Test
    void theAdminApiAndPageSwitchedOffHaveNoRouteAndNoEndpoint() {
        assertThat(bridgeRoutes()).isNotEmpty().noneMatch(id -> id.startsWith("bridge-admin"));
        assertThat(bridge.get("/admin/summary").statusCode()).isEqualTo(404);
        assertThat(bridge.get("/admin/").statusCode()).isEqualTo(404);
    }

    @Test
    void theHostsDataSourceIsLeftAsItWas() {
        // the H2 settings the bridge needs went to its own URL, not to the host's
        assertThat(hostDataSourceProperties.getUrl()).isEqualTo(HOST_DB);
        assertThat(hostJdbc.getDataSource()).isSameAs(hostDataSource);
    }
}
