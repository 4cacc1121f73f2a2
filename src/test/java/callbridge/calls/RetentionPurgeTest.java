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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One purge run keeps going while there is more past the retention than one batch: a backlog of finished
 * calls, of events without a call and of outbound triggers done goes in one run, batch after batch. The scheduled purge never runs here
 * (its first run is an hour away); the test ages the rows the bridge wrote and runs the purge itself.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"cekura.agent-id=7", "bridge.call-grace=200ms", "bridge.calls.poll-interval=50",
                "bridge.retention=1h", "bridge.retention-batch=2", "bridge.retention-initial-delay=3600000"})
class RetentionPurgeTest {
    private static final List<String> OLD_FINISHED = List.of("940001", "940002", "940003", "940004", "940005");

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.username", TestStores::username);
        registry.add("spring.datasource.url", () -> TestStores.fresh("retention-purge"));
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
    void aBacklogLargerThanABatchGoesInOneRun() {
        BridgeClient bridge = new BridgeClient(port);
        for (String id : OLD_FINISHED) {
            postCall(bridge, id);
        }
        bridge.post("/webhooks/salpre", lifecycle("call_initiated", 940007, 1760084505));   // stays open
        for (int seq = 0; seq < 20; seq++) {   // events no call holds: 20, more than two pages of 8
            bridge.post("/webhooks/salpre", "{\"event_type\":\"agent_status\",\"payload\":{\"seq\":" + seq + "}}");
        }
        postCall(bridge, "940006");   // received last, as the one call still inside the retention would be
        await().atMost(Duration.ofSeconds(10)).until(() ->
                count("SELECT COUNT(*) FROM bridge_call WHERE state = 'DRY_RUN'") == 6
                        && count("SELECT COUNT(*) FROM bridge_call_event WHERE call_id = ''") == 20);

        // five finished calls and every event but those of 940006 fall past the retention
        OffsetDateTime old = OffsetDateTime.now(ZoneOffset.UTC).minusHours(2);
        jdbc.sql("UPDATE bridge_call SET completed_at = :old, due_at = :old WHERE call_id IN (:ids)")
                .param("old", old).param("ids", OLD_FINISHED).update();
        jdbc.sql("UPDATE bridge_call_event SET received_at = :old WHERE call_id <> '940006'").param("old", old).update();

        double callsBefore = metrics.counter("bridge.retention.purged", "what", "calls").count();
        double eventsBefore = metrics.counter("bridge.retention.purged", "what", "events-without-call").count();
        assertThat(purge.purge()).isEqualTo(5);   // batches of 2: three transactions in the one run
        assertThat(metrics.counter("bridge.retention.purged", "what", "calls").count() - callsBefore).isEqualTo(5);
        assertThat(metrics.counter("bridge.retention.purged", "what", "events-without-call").count() - eventsBefore).isEqualTo(20);

        assertThat(jdbc.sql("SELECT call_id FROM bridge_call ORDER BY call_id").query(String.class).list())
                .containsExactly("940006", "940007");
        assertThat(count("SELECT COUNT(*) FROM bridge_call_event WHERE call_id IN ('940001', '940002', '940003', '940004', '940005')"))
                .isZero();
        assertThat(count("SELECT COUNT(*) FROM bridge_call_event WHERE call_id = ''")).isZero();
        assertThat(count("SELECT COUNT(*) FROM bridge_call_event WHERE call_id = '940006'")).isEqualTo(2);   // within the retention
        assertThat(count("SELECT COUNT(*) FROM bridge_call_event WHERE call_id = '940007'")).isEqualTo(1);   // its call is open
        assertThat(purge.purge()).isZero();
    }

    @Test
    void outboundTriggersDoneArePurgedAfterTheRetention() {
        BridgeClient bridge = new BridgeClient(port);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {   // no OUTBOUND_DIAL_URL: each is stored and marked failed
            var answer = bridge.post("/cekura/outbound-trigger",
                    "{\"from_number\":\"+14155550100\",\"to_number\":\"+1415555020" + i + "\"}",
                    Map.of("Idempotency-Key", "retention-" + i));
            assertThat(answer.statusCode()).isEqualTo(201);
            ids.add(jdbc.sql("SELECT id FROM bridge_outbound_trigger WHERE idempotency_key = :key")
                    .param("key", "retention-" + i).query(String.class).single());
        }
        await().atMost(Duration.ofSeconds(10)).until(() ->
                count("SELECT COUNT(*) FROM bridge_outbound_trigger WHERE status = 'failed'") == 6);
        jdbc.sql("UPDATE bridge_outbound_trigger SET due_at = :old WHERE id IN (:ids)")
                .param("old", OffsetDateTime.now(ZoneOffset.UTC).minusHours(2)).param("ids", ids.subList(0, 5)).update();

        purge.purge();   // batches of 2: five old triggers in three

        assertThat(jdbc.sql("SELECT id FROM bridge_outbound_trigger").query(String.class).list()).containsExactly(ids.get(5));
        assertThat(bridge.get("/admin/outbound-triggers/" + ids.get(0)).statusCode()).isEqualTo(404);
    }

    private static void postCall(BridgeClient bridge, String id) {
        bridge.post("/webhooks/salpre", lifecycle("call_answered", Long.parseLong(id), 1760084576));
        bridge.post("/webhooks/salpre", ended(Long.parseLong(id), 1760084597, List.of()));
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
