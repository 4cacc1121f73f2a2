package example.host;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.TestStores;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** BRIDGE_ENABLED=false: the host runs as if the bridge were not on its classpath. */
class BridgeDisabledInHostTest extends HostTests {
    static final String HOST_DB = TestStores.h2Url(Path.of("target", "test-db", "host-no-bridge-" + UUID.randomUUID()));

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> HOST_DB);
        registry.add("bridge.enabled", () -> "false");
    }

    @Autowired
    ApplicationContext context;

    @Test
    void noRouteNoEndpointNoBeanNoTableOfTheBridge() throws Exception {
        assertThat(bridgeRoutes()).isEmpty();
        var webhook = bridge.post("/webhooks/salpre", "{\"event_type\":\"call_initiated\"}");
        assertThat(webhook.statusCode()).isEqualTo(404);
        JSONAssert.assertEquals("{\"status\":404,\"error\":\"Not Found\",\"path\":\"/webhooks/salpre\"}", webhook.body(),
                JSONCompareMode.LENIENT);
        assertThat(bridge.get("/admin/summary").statusCode()).isEqualTo(404);
        assertThat(Arrays.stream(context.getBeanDefinitionNames()).filter(name -> name.startsWith("bridge")
                || context.getType(name) != null && context.getType(name).getName().startsWith("callbridge."))).isEmpty();
        assertThat(tables(hostDataSource)).containsExactlyInAnyOrder("host_order", "call_event", "flyway_schema_history");
    }
}
