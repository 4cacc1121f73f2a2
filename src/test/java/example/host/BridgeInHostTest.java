package example.host;

import static callbridge.support.SalpreEvents.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.TestStores;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The bridge inside the host, storing in the host's own DataSource: its tables and history beside the host's. */
class BridgeInHostTest extends HostTests {
    static final StubHttpServer cekura = StubHttpServer.start();
    /** A host sharing its H2 database with the bridge gives it the settings the bridge needs: the bridge rewrites no host URL. */
    static final String HOST_DB = TestStores.sharedHostH2Url(Path.of("target", "test-db", "host-shared-" + UUID.randomUUID()));

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> HOST_DB);
        registry.add("cekura.webhook-url", () -> cekura.url("/cekura/hook"));
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void aSalpreCallPostedOnTheHostsPortReachesCekuraExactly() throws Exception {
        for (String name : List.of("call_initiated", "call_ringing", "call_answered", "transcript", "call_ended")) {
            var answer = bridge.post("/webhooks/salpre", fixture(name));
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("{\"status\":\"accepted\"}");   // the bridge's answer, not SNAKE_CASE'd
        }
        StubHttpServer.Request sent = cekura.awaitOnlyCall("salpre-730001");
        // field names included: startedAt, endedAt, endedReason, whatever the host's Jackson does
        JSONAssert.assertEquals(BridgeTestSupport.resource("/cekura/salpre-730001.json"), sent.body(), JSONCompareMode.STRICT);
        assertThat(sent.body()).contains("\"startedAt\":\"").doesNotContain("started_at");
        assertThat(sent.header("X-CEKURA-API-KEY")).isEqualTo(BridgeTestSupport.API_KEY);
    }

    @Autowired
    ApplicationContext context;

    @Test
    void everyBeanOfTheBridgeHasANameNoHostBeanCanHave() {
        // bridge… by hand, or its class's full name (an imported class, a properties record: "cekura-callbridge.…")
        List<String> names = Arrays.stream(context.getBeanDefinitionNames())
                .filter(name -> context.getType(name) != null && context.getType(name).getName().startsWith("callbridge."))
                .filter(name -> !"healthEndpointGroups".equals(name))   // Spring Boot's, wrapped by BridgeHealthGroups
                .toList();
        assertThat(names).contains("bridgeAdminGuard", "bridgeStore", "callbridge.claims.Claims")
                .allMatch(name -> name.startsWith("bridge") || name.startsWith("callbridge.") || name.contains("-callbridge."));
    }

    @Test
    void theBridgesRoutesJoinTheHostsContext() {
        assertThat(bridgeRoutes()).contains("bridge-ingest-event", "bridge-delivery-send", "bridge-ingest-salpre-webhook",
                "bridge-ingest-verbex-webhook", "bridge-complete-verbex-call", "bridge-admin-summary");
        assertThat(camel.getRoute("bridge-ingest-event").getEndpoint().getEndpointUri()).isEqualTo("direct://bridge-ingest-event");
        assertThat(camel.getRoute("ingest-event").getEndpoint().getEndpointUri()).isEqualTo("direct://ingest-event");
    }

    @Test
    void theBridgesTablesAndHistoryAreItsOwnInTheHostsDatabase() throws SQLException {
        assertThat(tables(hostDataSource)).contains("bridge_call", "bridge_call_event", "bridge_delivery_attempt",
                "bridge_dead_letter", "bridge_outbound_trigger", "bridge_store_probe", "bridge_schema_history");
        assertThat(tables(hostDataSource)).filteredOn(table -> !table.startsWith("bridge_"))
                .containsExactlyInAnyOrder("host_order", "call_event", "flyway_schema_history");
        assertThat(hostJdbc.queryForList("SELECT \"version\" || ' ' || \"description\" FROM bridge_schema_history"
                + " WHERE \"version\" IS NOT NULL"
                + " ORDER BY \"installed_rank\"", String.class)).containsExactly("0 before the bridge", "1 bridge schema", "2 parsed size",
                        "3 bridge outbound trigger dial provider", "4 bridge call window index",
                        "5 bridge call completion failures");
    }
}
