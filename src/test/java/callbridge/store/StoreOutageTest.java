package callbridge.store;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static callbridge.support.SalpreEvents.transcript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.EmbeddedPostgresStore;
import callbridge.support.StubHttpServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The store goes away under the running bridge (PostgreSQL stopped) and comes back: webhooks meanwhile get 503 and
 * health says DOWN, never 2xx; a re-sent copy racing its original is not answered 2xx when the original fails; once the
 * store is back health is UP, every event answered 2xx before the fault is there and the call is delivered once.
 * The probes: while the store refuses writes readiness is DOWN (503, the node leaves rotation) and liveness stays UP
 * (no restart for a store outage); once writes succeed again readiness is UP.
 */
@CamelSpringBootTest
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.hikari.connection-timeout=1000",
        "bridge.ingest.append-timeout-ms=3000"})
@DirtiesContext
class StoreOutageTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final EmbeddedPostgresStore postgres = EmbeddedPostgresStore.startRestartable();
    static final long CALL = 770_001;

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "unused", cekura);
        postgres.wire(registry);
    }

    @AfterAll
    static void stop() {
        cekura.close();
        postgres.close();
    }

    @Test
    void webhooksAre503AndHealthDownWhileTheStoreIsAwayAndNothingAnsweredIsLost() throws Exception {
        HttpResponse<String> up = bridge.get("/actuator/health");
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).startsWith("{\"status\":\"UP\"").contains("\"db\":{\"status\":\"UP\"}")
                .contains("\"bridgeStoreWrites\":{\"status\":\"UP\"}");
        assertThat(bridge.get("/actuator/health/readiness").body()).contains("\"bridgeStoreWrites\":{\"status\":\"UP\"}");
        assertThat(bridge.get("/actuator/health/liveness").body()).doesNotContain("bridgeStoreWrites").doesNotContain("\"db\"");
        assertThat(post(lifecycle("call_answered", CALL, 1760084576)).statusCode()).isEqualTo(200);
        assertThat(post(transcript(CALL, 1760084580, "customer", "before the outage", null)).statusCode()).isEqualTo(200);

        postgres.stop();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> health = bridge.get("/actuator/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).startsWith("{\"status\":\"DOWN\"").contains("\"db\":{\"status\":\"DOWN\"}")
                    .contains("\"bridgeStoreWrites\":{\"status\":\"DOWN\"}");
            HttpResponse<String> readiness = bridge.get("/actuator/health/readiness");
            assertThat(readiness.statusCode()).isEqualTo(503);
            assertThat(readiness.body()).startsWith("{\"status\":\"DOWN\"").contains("\"bridgeStoreWrites\":{\"status\":\"DOWN\"}");
        });
        HttpResponse<String> liveness = bridge.get("/actuator/health/liveness");
        assertThat(liveness.statusCode()).as(liveness.body()).isEqualTo(200);
        assertThat(liveness.body()).startsWith("{\"status\":\"UP\"");
        String during = transcript(CALL, 1760084585, "ai", "during the outage", null);
        // the original and a copy sent at the same time: neither may be answered 2xx
        var original = CompletableFuture.supplyAsync(() -> post(during));
        var copy = CompletableFuture.supplyAsync(() -> post(during));
        for (HttpResponse<String> refused : List.of(original.get(), copy.get())) {
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).isEqualTo("{\"error\":\"event store unavailable, send again later\"}");
            assertThat(refused.headers().firstValue("Retry-After")).contains("5");
        }

        postgres.restart();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> health = bridge.get("/actuator/health");
            assertThat(health.body()).contains("\"bridgeStoreWrites\":{\"status\":\"UP\"}");
            assertThat(health.statusCode()).isEqualTo(200);
            HttpResponse<String> readiness = bridge.get("/actuator/health/readiness");
            assertThat(readiness.statusCode()).isEqualTo(200);
            assertThat(readiness.body()).startsWith("{\"status\":\"UP\"");
        });
        assertThat(bridge.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        // the provider sends again what was refused: it is new to the store, not a duplicate
        HttpResponse<String> again = post(during);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("{\"status\":\"accepted\"}");
        assertThat(post(ended(CALL, 1760084597, List.of())).statusCode()).isEqualTo(200);

        JsonNode call = BridgeTestSupport.JSON.readTree(cekura.awaitOnlyCall("salpre-" + CALL).body()).path("calls").get(0);
        assertThat(call.path("messages").findValuesAsText("content"))
                .containsExactly("before the outage", "during the outage");
        assertThat(bridge.get("/actuator/prometheus").body()).containsPattern("bridge_events_refused_by_store_total\\{[^}]*\\} [1-9]");
    }

    private HttpResponse<String> post(String body) {
        return bridge.post("/webhooks/salpre", body);
    }
}
