package callbridge.delivery;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import java.time.Duration;
import java.util.List;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A retry waits for its delay without holding a sender, so the sender goes on with the next call; but it never POSTs
 * while {@code CEKURA_MAX_IN_FLIGHT} attempts are between their POST and their recorded outcome: those are the calls a kill -9
 * may send twice, and the bound is what docs/store.md promises. One slot: call A is refused once (its retry is due
 * 2 s later, less 15 % at most), call B is POSTed meanwhile and answered only after 3 s; A's retry goes out after B's
 * answer, not during it.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cekura.max-in-flight=1", "cekura.retry-initial-delay=2s", "cekura.response-timeout=5s"})
class SendSlotsTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "send-slots", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void aRetryWaitsWhileTheSendersAttemptIsOnTheWay() {
        cekura.scriptCall("salpre-970001", Answer.of(200), Answer.of(503));
        cekura.scriptCall("salpre-970002", Answer.slow(200, 3000));
        endCall(970001);
        await().atMost(Duration.ofSeconds(10)).until(() -> cekura.callsWithId("salpre-970001").size() == 1);
        endCall(970002);

        await().atMost(Duration.ofSeconds(20)).until(() -> cekura.callsWithId("salpre-970001").size() == 2
                && cekura.callsWithId("salpre-970002").size() == 1);
        StubHttpServer.Request slow = cekura.callsWithId("salpre-970002").get(0);
        StubHttpServer.Request retry = cekura.callsWithId("salpre-970001").get(1);
        // B's POST came before A's retry and held the slot; the retry, due 1.7 to 2.3 s after A's first attempt, went
        // out only once B's answer came (3 s after B's POST, so at least 0.7 s after the retry fell due)
        assertThat(slow.at()).isBefore(retry.at());
        assertThat(retry.at()).isAfterOrEqualTo(slow.at().plusMillis(3000));
    }

    private void endCall(long id) {
        assertThat(bridge.post("/webhooks/salpre", lifecycle("call_answered", id, 1760084576)).statusCode()).isEqualTo(200);
        assertThat(bridge.post("/webhooks/salpre", ended(id, 1760084597, List.of())).statusCode()).isEqualTo(200);
    }
}
