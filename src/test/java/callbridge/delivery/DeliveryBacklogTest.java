package callbridge.delivery;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * More calls end than Cekura takes: one sender, each POST answered after 600 ms (a response timeout of 2.5 s: a
 * loaded machine does not turn them into retries), a send lease of 8 s (connect 0.5 s + response 2.5 s + 5 s), and 20
 * calls ending at once, about 12 s of sending. The calls at the back of the senders' queue
 * wait longer than a lease. A call whose lease ran out before its sender took it is claimed again by the poller and
 * its stale copy stands down; a call whose sender took it renews the lease as it does, so it cannot be taken over while
 * its POST is on the way (before, 2 of 14 were sent twice). Every call reaches Cekura once, in one attempt.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cekura.senders=1", "cekura.connect-timeout=500ms", "cekura.response-timeout=2500ms", "bridge.admin-token=ops-token"})
class DeliveryBacklogTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start().answerByDefault(Answer.slow(200, 600));
    static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer ops-token");
    static final List<Long> CALLS = LongStream.rangeClosed(960001, 960020).boxed().toList();

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "delivery-backlog", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void aBacklogLongerThanALeaseSendsEachCallOnce() throws Exception {
        for (long id : CALLS) {
            assertThat(bridge.post("/webhooks/salpre", lifecycle("call_answered", id, 1760084576)).statusCode()).isEqualTo(200);
            assertThat(bridge.post("/webhooks/salpre", ended(id, 1760084597, List.of())).statusCode()).isEqualTo(200);
        }

        await().atMost(Duration.ofSeconds(40)).until(() -> CALLS.stream().allMatch(id -> delivered(id)));
        // a second send of a call would come after its first: wait until Cekura has heard nothing new for 2 s
        int[] heard = {-1};
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> {
            int now = cekura.requests().size();
            boolean quiet = now == heard[0];
            heard[0] = now;
            return quiet;
        });
        for (long id : CALLS) {
            assertThat(cekura.callsWithId("salpre-" + id)).as("POSTs of call %d", id).hasSize(1);
            JsonNode view = call(id);
            assertThat(view.path("deliveryAttempts")).extracting(a -> a.path("outcome").asText()).containsExactly("delivered");
        }
    }

    private boolean delivered(long id) {
        try {
            return "delivered".equals(call(id).path("state").asText());
        } catch (Exception notYet) {
            return false;
        }
    }

    private JsonNode call(long id) throws Exception {
        return BridgeTestSupport.JSON.readTree(bridge.get("/admin/calls/salpre/" + id, ADMIN).body());
    }
}
