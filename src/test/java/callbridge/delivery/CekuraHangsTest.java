package callbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Cekura takes POSTs and does not answer (here for 30 s, inside a 60 s response timeout). The POSTs in flight hold
 * their send slots; the senders' queue fills; completion must not wait for it: the calls behind wait in the store,
 * due, and the completion poller goes on, so liveness stays UP (a pod would otherwise be restarted for a slow Cekura)
 * and a call that ends now is still completed at once.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cekura.max-in-flight=2", "cekura.response-timeout=60s", "bridge.liveness.poller-stall-min=2s"})
class CekuraHangsTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start().answerByDefault(Answer.slow(202, 30_000));
    static final List<Long> CALLS = LongStream.rangeClosed(978001, 978012).boxed().toList();

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "cekura-hangs", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void callsWaitInTheStoreAndLivenessStaysUpWhileCekuraHangs() {
        for (long id : CALLS) {
            endSalpreCall(id);
        }
        // two POSTs hang at Cekura; every call is completed, the ones that found no room wait in the store, due
        await().atMost(Duration.ofSeconds(20)).until(() -> cekura.requests().size() == 2 && count("OPEN', 'COMPLETING") == 0);
        assertThat(count("PENDING")).as("calls waiting in the store").isPositive();
        assertThat(count("PENDING', 'DELIVERING")).isEqualTo(CALLS.size());

        // longer than the stall limit: no poller is stuck behind the hanging POSTs
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(15))
                .until(() -> bridge.get("/actuator/health/liveness").statusCode() == 200);
        endSalpreCall(978013);
        await().atMost(Duration.ofSeconds(10)).until(() -> "PENDING".equals(jdbc.queryForObject(
                "SELECT state FROM bridge_call WHERE provider = 'salpre' AND call_id = '978013'", String.class)));
        assertThat(cekura.requests()).hasSize(2);
    }

    private int count(String states) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM bridge_call WHERE state IN ('" + states + "')", Integer.class);
    }
}
