package callbridge.calls;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static callbridge.support.SalpreEvents.transcript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.CallBridgeApplication;
import callbridge.support.BridgeClient;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.TestStores;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Open calls live in the store: a restart of the whole application loses nothing and sends nothing twice. */
class RestartTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    final String storeUrl = TestStores.fresh("restart");

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void halfACallBeforeARestartAndTheRestAfterIsDeliveredOnce() throws Exception {
        try (ConfigurableApplicationContext first = start()) {
            BridgeClient bridge = BridgeClient.of(first);
            assertThat(bridge.post("/webhooks/salpre", lifecycle("call_initiated", 920001, 1760084505)).statusCode()).isEqualTo(200);
            assertThat(bridge.post("/webhooks/salpre", transcript(920001, 1760084580, "ai", "Before the restart", "1760084580")).statusCode()).isEqualTo(200);
            // a second call ends just before the stop, inside its grace
            bridge.post("/webhooks/salpre", lifecycle("call_initiated", 920002, 1760084505));
            bridge.post("/webhooks/salpre", ended(920002, 1760084597, List.of()));
        }
        assertThat(cekura.callsWithId("salpre-920001")).isEmpty();

        try (ConfigurableApplicationContext second = start()) {
            BridgeClient bridge = BridgeClient.of(second);
            assertThat(bridge.post("/webhooks/salpre", transcript(920001, 1760084590, "customer", "After the restart", "1760084590")).statusCode()).isEqualTo(200);
            // a re-send across the restart is still a duplicate
            assertThat(bridge.post("/webhooks/salpre", lifecycle("call_initiated", 920001, 1760084505)).body()).isEqualTo("{\"status\":\"duplicate\"}");
            assertThat(bridge.post("/webhooks/salpre", ended(920001, 1760084597, List.of())).statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(15)).until(() -> cekura.callsWithId("salpre-920001").size() == 1
                    && cekura.callsWithId("salpre-920002").size() == 1);
            await().during(StubHttpServer.pastTheFirstRetry()).atMost(Duration.ofSeconds(5)).until(() ->
                    cekura.callsWithId("salpre-920001").size() == 1 && cekura.callsWithId("salpre-920002").size() == 1);
            JSONAssert.assertEquals("""
                    {"agent_id":42,"calls":[{"id":"salpre-920001","startedAt":"2025-10-10T08:21:45Z",
                     "endedAt":"2025-10-10T08:23:17Z",
                     "messages":[{"role":"bot","content":"Before the restart","start_time":1760084580000},
                                 {"role":"user","content":"After the restart","start_time":1760084590000}],
                     "to_phone_number":"+905555555554","from_phone_number":"+905555555555",
                     "metadata":{"provider":"salpre","direction":"outbound","source":"salprebox:SALPRE_AABBCCDD"},
                     "endedReason":"unknown"}]}""", cekura.callsWithId("salpre-920001").get(0).body(), JSONCompareMode.STRICT);
        }
    }

    private ConfigurableApplicationContext start() {
        // command-line arguments: they outrank application.yml (builder properties would not)
        return new SpringApplicationBuilder(CallBridgeApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + storeUrl,
                "--spring.datasource.username=" + TestStores.username(),
                "--cekura.webhook-url=" + cekura.url("/cekura/hook"),
                "--cekura.api-key=" + BridgeTestSupport.API_KEY,
                "--cekura.agent-id=42",
                "--bridge.call-grace=1s",
                "--bridge.calls.poll-interval=50",
                "--bridge.delivery.poll-interval=100");
    }

}
