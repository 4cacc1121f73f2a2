package example.host;

import static callbridge.support.SalpreEvents.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import callbridge.BridgeConfiguration;
import callbridge.admin.AdminGuard;
import callbridge.ingest.UnauthorizedException;
import callbridge.store.BridgeStore;
import callbridge.support.TestStores;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A host that shapes the bridge: only salpre served (BRIDGE_PROVIDERS), no outbound settings (so no trigger
 * endpoint), its own admin guard and its own clock for the bridge, its own controller under {@code /webhooks/}; the
 * bundled route files only (no BRIDGE_ROUTES_DIR: nothing is read from the working folder's {@code routes/}).
 */
@ExtendWith(OutputCaptureExtension.class)
@Import(BridgeShapedByHostTest.HostPieces.class)
class BridgeShapedByHostTest extends HostTests {
    static final String HOST_DB = TestStores.sharedHostH2Url(Path.of("target", "test-db", "host-shaped-" + UUID.randomUUID()));
    static final Instant BRIDGE_TIME = Instant.parse("2031-05-06T07:08:09Z");
    static final int TWO_MIB = 2 * 1024 * 1024;

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> HOST_DB);
        registry.add("bridge.providers", () -> "salpre");
        // the host's probes, as on Kubernetes: its own groups, the bridge's members join them
        registry.add("management.endpoint.health.probes.enabled", () -> "true");
    }

    /** What the host brings: a guard of its own for /admin, the bridge's time, its own webhook controller. */
    @TestConfiguration(proxyBeanMethods = false)
    static class HostPieces {
        @Bean
        AdminGuard hostAdminGuard() {
            return new AdminGuard("") {
                @Override
                public void authorize(Exchange exchange) {
                    if (!"yes".equals(exchange.getMessage().getHeader("X-Host-Admin", String.class))) {
                        throw new UnauthorizedException();
                    }
                }
            };
        }

        @Bean(name = BridgeConfiguration.CLOCK, defaultCandidate = false)
        Clock hostClockForTheBridge() {
            return Clock.fixed(BRIDGE_TIME, ZoneOffset.UTC);
        }

        @Bean
        HostWebhooks hostWebhooks() {
            return new HostWebhooks();
        }
    }

    @RestController
    static class HostWebhooks {
        @PostMapping("/webhooks/host-thing")
        String take(@RequestBody byte[] body) {
            return "host took " + body.length + " bytes";
        }
    }

    @Autowired
    BridgeStore bridgeStore;

    @Test
    void theHostsAdminGuardDecidesWhoReadsTheAdminApi() {
        // the bridge's own guard lets a loopback client in without a token; the host's wants its header
        assertThat(bridge.get("/admin/summary").statusCode()).isEqualTo(401);
        var allowed = bridge.get("/admin/summary", Map.of("X-Host-Admin", "yes"));
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).contains("\"calls\"");
    }

    @Test
    void theBridgeKeepsTimeOnTheHostsClockAndTheHostOnItsOwn() {
        assertThat(bridge.post("/webhooks/salpre", fixture("call_initiated")).statusCode()).isEqualTo(200);
        Timestamp received = bridgeStore.jdbc().sql("SELECT received_at FROM bridge_call_event WHERE call_id = '730001'")
                .query(Timestamp.class).single();
        assertThat(received.toInstant()).isEqualTo(BRIDGE_TIME);
        assertThat(clock.instant()).isEqualTo(HostApplication.HOST_TIME);
    }

    @Test
    void onlySalpreIsServedAndNoTriggerEndpointWithoutOutboundSettings() {
        assertThat(bridgeRoutes()).contains("bridge-ingest-salpre-webhook")
                .doesNotContain("bridge-ingest-vapi-webhook", "bridge-ingest-verbex-webhook", "bridge-outbound-trigger",
                        "bridge-outbound-dial", "bridge-outbound-triggers-due");
        assertThat(bridge.post("/webhooks/vapi", "{\"message\":{}}").statusCode()).isEqualTo(404);
        assertThat(bridge.post("/cekura/outbound-trigger", "{\"to_number\":\"+14155550101\"}").statusCode()).isEqualTo(404);
    }

    @Test
    void aHostControllerUnderWebhooksTakesABodyBeyondTheBridgesLimit() {
        var answer = bridge.post("/webhooks/host-thing", new byte[TWO_MIB], Map.of("Content-Type", "application/octet-stream"));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("host took " + TWO_MIB + " bytes");
        // the bridge's own webhook keeps its 1 MiB limit
        assertThat(bridge.post("/webhooks/salpre", new byte[TWO_MIB], Map.of("Content-Type", "application/json")).statusCode())
                .isEqualTo(413);
    }

    @Test
    void theBundledRouteFilesAreServedFromTheJarNotFromAFolder(CapturedOutput output) {
        assertThat(output.getOut()).contains("Provider salpre: bundled route file classpath:callbridge/routes/salpre.camel.yaml")
                .doesNotContain("BRIDGE_ROUTES_DIR route file");
    }

    @Autowired
    HealthEndpointGroups healthGroups;

    @Test
    void theBridgesProbesJoinTheHostsHealthGroups() {
        // the probe groups Spring Boot makes show no components: their members are read from the groups themselves
        HealthEndpointGroup readiness = healthGroups.get("readiness");
        assertThat(readiness.isMember("readinessState")).isTrue();
        assertThat(readiness.isMember("bridgeStoreWrites")).isTrue();
        assertThat(readiness.isMember("bridgeLiveness")).isFalse();
        HealthEndpointGroup liveness = healthGroups.get("liveness");
        assertThat(liveness.isMember("livenessState")).isTrue();
        assertThat(liveness.isMember("bridgeLiveness")).isTrue();
        assertThat(liveness.isMember("bridgeStoreWrites")).isFalse();
        assertThat(liveness.isMember("db")).isFalse();
        assertThat(bridge.get("/actuator/health/readiness").body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(bridge.get("/actuator/health/liveness").body()).isEqualTo("{\"status\":\"UP\"}");
    }
}
