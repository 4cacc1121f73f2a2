package callbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.CallBridgeApplication;
import callbridge.support.BridgeClient;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.TestStores;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A store written by the last release (tables without the bridge_ prefix, history in Flyway's default
 * flyway_schema_history with V1..V8) still starts: its tables get the prefix, its history goes on in
 * bridge_schema_history, and its calls are read and delivered. The old layout is made here from the old
 * migrations themselves (test fixtures, copied as they were released).
 */
class LegacyStoreTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final String ENDED = """
            {"provider":"salpre","callId":"740001","kind":"ENDED","eventType":"call_ended","occurredAt":"2025-10-10T08:24:16Z",\
            "endedReason":"customer-ended-call","transcript":[{"role":"bot","content":"Hello from before","startMs":1760084600000}],\
            "test":false,"completesCall":false}""";
    static final String STARTED = """
            {"provider":"salpre","callId":"740001","kind":"STARTED","eventType":"call_initiated","occurredAt":"2025-10-10T08:21:45Z",\
            "from":"+905555555555","to":"+905555555554","direction":"outbound","metadata":{"source":"salprebox:OLD"},\
            "test":false,"completesCall":false}""";
    static final String DELIVERED_PAYLOAD = "{\"agent_id\":42,\"calls\":[{\"id\":\"salpre-740002\",\"startedAt\":\"2025-10-09T10:00:00Z\","
            + "\"endedAt\":\"2025-10-09T10:01:00Z\",\"messages\":[],\"metadata\":{\"provider\":\"salpre\"},\"endedReason\":\"unknown\"}]}";

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void aStoreOfTheLastReleaseStartsAndItsCallsAreReadAndDelivered() throws Exception {
        String url = TestStores.fresh("legacy-store");
        JdbcTemplate old = oldRelease(url);

        try (ConfigurableApplicationContext bridge = start(url)) {
            // the open call, ended before the upgrade, is assembled from its stored events and delivered
            JSONAssert.assertEquals("""
                    {"agent_id":42,"calls":[{"id":"salpre-740001","startedAt":"2025-10-10T08:21:45Z","endedAt":"2025-10-10T08:24:16Z",
                     "messages":[{"role":"bot","content":"Hello from before","start_time":1760084600000}],
                     "to_phone_number":"+905555555554","from_phone_number":"+905555555555",
                     "metadata":{"provider":"salpre","direction":"outbound","source":"salprebox:OLD"},
                     "endedReason":"customer-ended-call"}]}""", cekura.awaitOnlyCall("salpre-740001").body(), JSONCompareMode.STRICT);

            // the call delivered before the upgrade reads as it was, with its attempt
            BridgeClient client = BridgeClient.of(bridge);
            JsonNode view = BridgeTestSupport.JSON.readTree(client.get("/admin/calls/salpre/740002").body());
            assertThat(view.path("state").asText()).isEqualTo("delivered");
            assertThat(view.path("deliveryAttempts").get(0).path("status").asInt()).isEqualTo(200);
            JSONAssert.assertEquals(DELIVERED_PAYLOAD, view.path("payload").toString(), JSONCompareMode.STRICT);
        }

        assertThat(tables(old)).contains("bridge_call", "bridge_call_event", "bridge_delivery_attempt", "bridge_dead_letter",
                "bridge_outbound_trigger", "bridge_store_probe", "bridge_schema_history", "flyway_schema_history")
                .doesNotContain("call_event", "delivery_attempt", "dead_letter", "outbound_trigger");
        assertThat(history(old, "flyway_schema_history")).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(history(old, "bridge_schema_history")).containsExactly("1", "2", "3", "4", "5");
        assertThat(old.queryForObject("SELECT state FROM bridge_call WHERE call_id = '740001'", String.class)).isEqualTo("DELIVERED");

        // and starts again as a store of this release: nothing to migrate, nothing sent twice
        try (ConfigurableApplicationContext again = start(url)) {
            assertThat(BridgeClient.of(again).get("/admin/calls/salpre/740001").statusCode()).isEqualTo(200);
        }
        assertThat(history(old, "bridge_schema_history")).containsExactly("1", "2", "3", "4", "5");
        assertThat(cekura.callsWithId("salpre-740001")).hasSize(1);
    }

    /** The last release's store: its migrations in flyway_schema_history, an ended call waiting, a call delivered. */
    private static JdbcTemplate oldRelease(String url) {
        var dataSource = new DriverManagerDataSource(H2UrlSettings.complete(url, "test store"), TestStores.username(), "");
        Flyway.configure().dataSource(dataSource).locations("classpath:legacy-store/db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String event = """
                INSERT INTO call_event (provider, dedupe_key, call_id, event_type, kind, is_test, occurred_at, received_at, raw_body, canonical)
                VALUES ('salpre', ?, '740001', ?, ?, FALSE, ?, ?, ?, ?)""";
        jdbc.update(event, "sha256:a", "call_initiated", "STARTED", now.minusMinutes(3), now.minusMinutes(3), "{}".getBytes(), STARTED);
        jdbc.update(event, "sha256:b", "call_ended", "ENDED", now.minusSeconds(30), now.minusSeconds(30), "{}".getBytes(), ENDED);
        jdbc.update("""
                INSERT INTO bridge_call (provider, call_id, state, is_test, first_event_at, last_event_at, ended_received_at,
                                         due_at, attempts, event_count, event_bytes)
                VALUES ('salpre', '740001', 'OPEN', FALSE, ?, ?, ?, ?, 0, 2, 4)""",
                now.minusMinutes(3), now.minusSeconds(30), now.minusSeconds(30), now.minusSeconds(25));
        jdbc.update("""
                INSERT INTO bridge_call (provider, call_id, state, is_test, first_event_at, last_event_at, ended_received_at,
                                         due_at, completed_at, window_ends_at, payload, attempts, last_status, delivered_at)
                VALUES ('salpre', '740002', 'DELIVERED', FALSE, ?, ?, ?, ?, ?, ?, ?, 1, 200, ?)""",
                now.minusHours(2), now.minusHours(2), now.minusHours(2), now.minusHours(2), now.minusHours(2),
                now.minusHours(2).plusMinutes(5), DELIVERED_PAYLOAD, now.minusHours(2));
        jdbc.update("""
                INSERT INTO delivery_attempt (provider, call_id, attempt, attempted_at, status, outcome)
                VALUES ('salpre', '740002', 1, ?, 200, 'delivered')""", now.minusHours(2));
        return jdbc;
    }

    private static ConfigurableApplicationContext start(String url) {
        return new SpringApplicationBuilder(CallBridgeApplication.class).run("--server.port=0",
                "--spring.datasource.url=" + url, "--spring.datasource.username=" + TestStores.username(),
                "--cekura.webhook-url=" + cekura.url("/cekura/hook"), "--cekura.agent-id=42",
                "--bridge.calls.poll-interval=50", "--bridge.delivery.poll-interval=100");
    }

    private static List<String> history(JdbcTemplate jdbc, String table) {
        return jdbc.queryForList("SELECT \"version\" FROM \"" + table + "\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"",
                String.class);
    }

    private static List<String> tables(JdbcTemplate jdbc) {
        return BridgeSchemaTest.tables(jdbc.getDataSource()).stream().toList();
    }
}
