package callbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Under a backlog, the call whose window closes first goes first, whatever its due time: two calls waiting in the store
 * for a new attempt, A's window ending before B's but B due earlier, are sent A then B (one attempt in flight at a time,
 * one call a POST, so the order of the POSTs is the order of the claims; BatchingTest checks the order inside a POST).
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cekura.max-in-flight=1", "cekura.senders=1", "cekura.batch-max=1", "bridge.delivery.poll-interval=500"})
class WindowFirstTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "window-first", cekura);
        registry.add("bridge.delivery.poll-interval", () -> "500");
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theCallWhoseWindowClosesFirstIsSentFirst() {
        endSalpreCall(976001);
        await().atMost(Duration.ofSeconds(10)).until(() -> cekura.callsWithId("salpre-976001").size() == 1);
        endSalpreCall(976002);
        await().atMost(Duration.ofSeconds(10)).until(() -> cekura.callsWithId("salpre-976002").size() == 1);

        // both wait for another attempt (as after a replay); B's is due earlier, A's window closes earlier
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        jdbc.update("""
                UPDATE bridge_call SET state = 'PENDING', claimed_by = NULL, claimed_until = NULL, claim_token = NULL,
                       due_at = CASE WHEN call_id = '976002' THEN ? ELSE ? END
                 WHERE provider = 'salpre' AND call_id IN ('976001', '976002')""", now.minusSeconds(20), now.minusSeconds(10));
        assertThat(jdbc.queryForObject("""
                SELECT COUNT(*) FROM bridge_call a JOIN bridge_call b ON a.call_id = '976001' AND b.call_id = '976002'
                 WHERE a.window_ends_at < b.window_ends_at""", Integer.class)).isEqualTo(1);

        await().atMost(Duration.ofSeconds(20)).until(() -> cekura.callsWithId("salpre-976001").size() == 2
                && cekura.callsWithId("salpre-976002").size() == 2);
        assertThat(cekura.callsWithId("salpre-976001").get(1).at()).isBefore(cekura.callsWithId("salpre-976002").get(1).at());
    }
}
