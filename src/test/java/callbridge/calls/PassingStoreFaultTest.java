package callbridge.calls;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A passing store fault is not a broken call: completing the call meets a lock timeout more times than
 * {@code bridge.completion-attempts} allows failures; none of them counts, no dead letter is made, and once the store
 * answers again the call is delivered once.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bridge.call-grace=100ms", "bridge.completion-retry-delay=100ms", "bridge.completion-attempts=2"})
class PassingStoreFaultTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final long CALL = 951_001;

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "passing-store-fault", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Autowired
    CamelContext camel;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void lockTimeoutsWhileCompletingAreRetriedNotCountedAndTheCallIsDeliveredOnce() throws Exception {
        AtomicInteger lockTimeouts = new AtomicInteger();
        AdviceWith.adviceWith(camel, "bridge-calls-complete", route -> route.weaveById("assemble-call").before().process(exchange -> {
            if (lockTimeouts.incrementAndGet() <= 4) {
                throw new CannotAcquireLockException("Timeout trying to lock table \"BRIDGE_CALL\"");
            }
        }));

        assertThat(bridge.post("/webhooks/salpre", lifecycle("call_answered", CALL, 1760084576)).statusCode()).isEqualTo(200);
        assertThat(bridge.post("/webhooks/salpre", ended(CALL, 1760084597, List.of())).statusCode()).isEqualTo(200);

        assertThat(cekura.awaitOnlyCall("salpre-" + CALL).body()).contains("\"id\":\"salpre-" + CALL + "\"");
        assertThat(lockTimeouts.get()).isEqualTo(5);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM bridge_dead_letter WHERE call_id = ?", Integer.class, String.valueOf(CALL)))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT state FROM bridge_call WHERE call_id = ?", String.class, String.valueOf(CALL)))
                .isEqualTo("DELIVERED");
    }
}
