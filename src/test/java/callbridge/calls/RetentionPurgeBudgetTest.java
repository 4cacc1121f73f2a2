package callbridge.calls;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeClient;
import callbridge.support.TestStores;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A purge run stops when its budget is spent, and says so: with no budget each run purges one batch, counts
 * itself {@code behind} while more is due, and the next run goes on from there until it is {@code caught-up}.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"cekura.agent-id=7", "bridge.call-grace=200ms", "bridge.calls.poll-interval=50",
                "bridge.retention=1h", "bridge.retention-batch=2", "bridge.retention-run-budget=0s",
                "bridge.retention-initial-delay=3600000"})
class RetentionPurgeBudgetTest {

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.username", TestStores::username);
        registry.add("spring.datasource.url", () -> TestStores.fresh("retention-budget"));
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    RetentionPurge purge;
    @Autowired
    MeterRegistry metrics;

    @Test
    void aRunOutOfBudgetCountsItselfBehindAndTheNextGoesOn() {
        BridgeClient bridge = new BridgeClient(port);
        for (long id = 950001; id <= 950005; id++) {
            bridge.post("/webhooks/salpre", lifecycle("call_answered", id, 1760084576));
            bridge.post("/webhooks/salpre", ended(id, 1760084597, List.of()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() ->
                jdbc.sql("SELECT COUNT(*) FROM bridge_call WHERE state = 'DRY_RUN'").query(Long.class).single() == 5);
        OffsetDateTime old = OffsetDateTime.now(ZoneOffset.UTC).minusHours(2);
        jdbc.sql("UPDATE bridge_call SET completed_at = :old, due_at = :old").param("old", old).update();
        jdbc.sql("UPDATE bridge_call_event SET received_at = :old").param("old", old).update();

        assertThat(List.of(purge.purge(), purge.purge(), purge.purge(), purge.purge())).containsExactly(2, 2, 1, 0);
        assertThat(runs("behind")).isEqualTo(2);      // each stopped on a full batch
        assertThat(runs("caught-up")).isEqualTo(2);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM bridge_call").query(Long.class).single()).isZero();
    }

    private double runs(String outcome) {
        return metrics.counter("bridge.retention.runs", "outcome", outcome).count();
    }
}
