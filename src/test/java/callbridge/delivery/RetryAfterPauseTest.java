package callbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A 429's Retry-After is Cekura's word for the whole node, not for one call: once call A is answered 429 with
 * {@code Retry-After: 2}, no POST leaves the bridge before that instant, neither A's retry nor call B, which ended
 * meanwhile and would otherwise go within its grace (300 ms). Lower bounds only: a loaded machine only delays a POST.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RetryAfterPauseTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "retry-after-pause", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void aRetryAfterPausesEveryPostOfTheNodeUntilItsInstant() {
        cekura.scriptCall("salpre-975001", Answer.of(200), new Answer(429, "{\"error\":\"slow down\"}", Map.of("Retry-After", "2")));
        endSalpreCall(975001);
        StubHttpServer.Request refused = await().atMost(Duration.ofSeconds(10))
                .until(() -> cekura.callsWithId("salpre-975001"), sent -> !sent.isEmpty()).get(0);
        endSalpreCall(975002);

        await().atMost(Duration.ofSeconds(20)).until(() -> cekura.callsWithId("salpre-975001").size() == 2
                && cekura.callsWithId("salpre-975002").size() == 1);
        // the pause began when the 429 came back, after the refused POST arrived: 2 s after that arrival at the earliest
        assertThat(cekura.callsWithId("salpre-975002").get(0).at()).isAfterOrEqualTo(refused.at().plusSeconds(2));
        assertThat(cekura.callsWithId("salpre-975001").get(1).at()).isAfterOrEqualTo(refused.at().plusSeconds(2));
    }
}
