package callbridge.calls;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.doAnswer;

import callbridge.delivery.DeliveryLedger;
import callbridge.ingest.JournalRows;
import callbridge.outbound.TriggerDialing;
import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * An Error (here an injected {@code OutOfMemoryError}, never a real one) in the journal's writer or in any store poller
 * switches nothing off: the writer answers that one group 503 and the next webhook 2xx; each poller polls again without
 * a restart, its failed exchange finished (nothing left in flight), and its work is done; a stalled poller turns
 * {@code bridgeLiveness} (the liveness group) DOWN, and UP again once it polls.
 */
@CamelSpringBootTest
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bridge.admin-token=ops-token", "bridge.retention=1s", "bridge.retention-poll-interval=200",
        "bridge.retention-initial-delay=200", "bridge.liveness.poller-stall-min=2s"})
class BackgroundErrorsTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer ops-token");
    static final String UP = "{\"status\":\"UP\",\"components\":{\"bridgeLiveness\":{\"status\":\"UP\"},\"livenessState\":{\"status\":\"UP\"}}}";
    static final String DOWN = "{\"status\":\"DOWN\",\"components\":{\"bridgeLiveness\":{\"status\":\"DOWN\"},\"livenessState\":{\"status\":\"UP\"}}}";

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "background-errors", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @MockitoSpyBean
    JournalRows rows;
    @MockitoSpyBean
    CallStore callStore;
    @MockitoSpyBean
    DeliveryLedger ledger;
    @MockitoSpyBean
    RetentionPurge retention;
    @MockitoSpyBean
    TriggerDialing dialing;
    @Autowired
    CamelContext camel;

    @Test
    void anErrorInTheJournalsWriterFailsThatEventOnlyAndTheNextWebhookIs2xx() throws Exception {
        AtomicBoolean thrown = new AtomicBoolean();
        doAnswer(once(thrown)).when(rows).write(any(), any());

        HttpResponse<String> refused = bridge.post("/webhooks/salpre", lifecycle("call_answered", 960001, 1760084576));
        assertThat(thrown).isTrue();
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).isEqualTo("{\"error\":\"event store unavailable, send again later\"}");

        HttpResponse<String> next = bridge.post("/webhooks/salpre", lifecycle("call_answered", 960001, 1760084576));
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("{\"status\":\"accepted\"}");
        assertThat(bridge.post("/webhooks/salpre", ended(960001, 1760084597, List.of())).body()).isEqualTo("{\"status\":\"accepted\"}");
        assertThat(cekura.awaitOnlyCall("salpre-960001").body()).contains("\"id\":\"salpre-960001\"");
        assertThat(liveness()).isEqualTo(UP);
    }

    @Test
    void theCallsPollerGoesOnAfterAnError() {
        AtomicBoolean thrown = new AtomicBoolean();
        whilePaused("bridge-calls-due", () -> doAnswer(once(thrown)).when(callStore).claimDueCalls(anyInt()));
        await().untilTrue(thrown);

        assertThat(bridge.post("/webhooks/salpre", lifecycle("call_answered", 960002, 1760084576)).statusCode()).isEqualTo(200);
        assertThat(bridge.post("/webhooks/salpre", ended(960002, 1760084597, List.of())).statusCode()).isEqualTo(200);
        assertThat(cekura.awaitOnlyCall("salpre-960002").body()).contains("\"id\":\"salpre-960002\"");
        assertNothingInFlight("bridge-calls-due");
    }

    @Test
    void theDeliveriesPollerGoesOnAfterAnError() throws Exception {
        // a call Cekura refuses becomes a dead letter; its replay is the deliveries poller's to send
        cekura.scriptCall("salpre-960003", Answer.of(200), Answer.of(400, "{\"error\":\"bad\"}"));
        assertThat(bridge.post("/webhooks/salpre", lifecycle("call_answered", 960003, 1760084576)).statusCode()).isEqualTo(200);
        assertThat(bridge.post("/webhooks/salpre", ended(960003, 1760084597, List.of())).statusCode()).isEqualTo(200);
        long letter = await().until(() -> letterId("960003"), id -> id != null);

        AtomicBoolean thrown = new AtomicBoolean();
        whilePaused("bridge-deliveries-due", () -> doAnswer(once(thrown)).when(ledger).claimDue(anyInt()));
        await().untilTrue(thrown);
        assertThat(bridge.post("/admin/dead-letters/" + letter + "/replay", "", ADMIN).statusCode()).isEqualTo(202);

        await().until(() -> cekura.callsWithId("salpre-960003").size() == 2);
        assertThat(cekura.callsWithId("salpre-960003").get(1).answeredStatus()).isEqualTo(200);
        assertNothingInFlight("bridge-deliveries-due");
    }

    @Test
    void theRetentionPurgeGoesOnAfterAnError() throws Exception {
        AtomicBoolean thrown = new AtomicBoolean();
        whilePaused("bridge-retention-purge", () -> doAnswer(once(thrown)).when(retention).purge());
        await().untilTrue(thrown);

        assertThat(bridge.post("/webhooks/salpre", lifecycle("call_answered", 960004, 1760084576)).statusCode()).isEqualTo(200);
        assertThat(bridge.post("/webhooks/salpre", ended(960004, 1760084597, List.of())).statusCode()).isEqualTo(200);
        cekura.awaitOnlyCall("salpre-960004");
        // delivered, then purged a second later by the purge that had thrown
        await().until(() -> bridge.get("/admin/calls/salpre/960004", ADMIN).statusCode() == 404);
        assertNothingInFlight("bridge-retention-purge");
    }

    @Test
    void theTriggersPollerGoesOnAfterAnError() {
        AtomicBoolean thrown = new AtomicBoolean();
        AtomicInteger pollsAfter = new AtomicInteger();
        whilePaused("bridge-outbound-triggers-due", () -> doAnswer(invocation -> {
            if (thrown.compareAndSet(false, true)) {
                throw new OutOfMemoryError("injected");
            }
            pollsAfter.incrementAndGet();
            return invocation.callRealMethod();
        }).when(dialing).claimDue(anyInt()));
        await().untilTrue(thrown);

        await().until(() -> pollsAfter.get() >= 3);
        assertNothingInFlight("bridge-outbound-triggers-due");
        assertThat(liveness()).isEqualTo(UP);
    }

    @Test
    void aStalledPollerTurnsLivenessDownAndUpAgainOnceItPolls() throws Exception {
        assertThat(liveness()).isEqualTo(UP);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean stalled = new AtomicBoolean();
        whilePaused("bridge-calls-due", () -> doAnswer(invocation -> {
            if (stalled.compareAndSet(false, true)) {
                release.await();   // the poller's thread hangs here
            }
            return invocation.callRealMethod();
        }).when(callStore).claimDueCalls(anyInt()));
        try {
            await().untilTrue(stalled);
            await().until(() -> bridge.get("/actuator/health/liveness").statusCode() == 503);
            assertThat(liveness()).isEqualTo(DOWN);
            assertThat(bridge.get("/actuator/health").statusCode()).isEqualTo(503);
        } finally {
            release.countDown();
        }
        await().until(() -> bridge.get("/actuator/health/liveness").statusCode() == 200);
        assertThat(liveness()).isEqualTo(UP);
    }

    /** Throws an injected OutOfMemoryError the first time, then calls the real method. */
    private static org.mockito.stubbing.Answer<Object> once(AtomicBoolean thrown) {
        return invocation -> {
            if (thrown.compareAndSet(false, true)) {
                throw new OutOfMemoryError("injected");
            }
            return invocation.callRealMethod();
        };
    }

    @Test
    void theSendersRunOnThreadsWhoseEndLivenessWouldNotice() {
        // WorkerThreadDeaths knows the bridge's threads by the endpoint name in Camel's default thread names
        assertThat(Thread.getAllStackTraces().keySet()).map(Thread::getName)
                .anyMatch(name -> name.contains("seda://bridge-delivery-send"));
    }

    /**
     * Stubs a spy its poller calls every few milliseconds with the poller stopped: Mockito's stubbing is not safe while
     * another thread calls the same method (an UnfinishedStubbingException now and then).
     */
    private void whilePaused(String route, Runnable stubbing) {
        try {
            camel.getRouteController().stopRoute(route);
            stubbing.run();
            camel.getRouteController().startRoute(route);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void assertNothingInFlight(String route) {
        await().until(() -> camel.getInflightRepository().size(route) == 0);
    }

    private String liveness() {
        return bridge.get("/actuator/health/liveness").body();
    }

    private Long letterId(String callId) throws Exception {
        for (JsonNode letter : BridgeTestSupport.JSON.readTree(bridge.get("/admin/dead-letters", ADMIN).body())) {
            if (letter.path("callId").asText().equals(callId)) {
                return letter.path("id").asLong();
            }
        }
        return null;
    }
}
