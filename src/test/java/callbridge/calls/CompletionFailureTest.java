package callbridge.calls;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A call that cannot be assembled (here: a stored event that no longer reads) is tried again with
 * a growing delay, then becomes a dead letter ops can see; once the cause is fixed, its replay
 * assembles it again and Cekura gets it once.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bridge.call-grace=200ms", "bridge.completion-retry-delay=300ms", "bridge.completion-attempts=3",
        "bridge.admin-token=ops-token"})
class CompletionFailureTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer ops-token");

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "completion-failure", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aCallThatCannotBeAssembledIsRetriedThenDeadLetteredThenReplayedOnceFixed() throws Exception {
        assertThat(bridge.post("/webhooks/salpre", lifecycle("call_answered", 950001, 1760084576)).statusCode()).isEqualTo(200);
        String canonical = jdbc.queryForObject(
                "SELECT canonical FROM bridge_call_event WHERE provider = 'salpre' AND call_id = '950001'", String.class);
        jdbc.update("UPDATE bridge_call_event SET canonical = '{not json' WHERE provider = 'salpre' AND call_id = '950001'");
        assertThat(bridge.post("/webhooks/salpre", ended(950001, 1760084597, List.of())).statusCode()).isEqualTo(200);

        JsonNode letter = await().atMost(Duration.ofSeconds(15)).until(() -> letter("950001"), java.util.Objects::nonNull);
        assertThat(letter.path("reason").asText()).startsWith("completion failed: java.lang.IllegalStateException: stored canonical event is unreadable");
        assertThat(letter.path("attempts").asInt()).isEqualTo(3);
        JsonNode view = BridgeTestSupport.JSON.readTree(bridge.get("/admin/calls/salpre/950001", ADMIN).body());
        assertThat(view.path("state").asText()).isEqualTo("dead-lettered");
        // failed assemblies are counted apart: no attempt was made to send it
        assertThat(view.path("completionFailures").asInt()).isEqualTo(3);
        assertThat(view.path("attempts").asInt()).isZero();
        assertThat(cekura.callsWithId("salpre-950001")).isEmpty();

        jdbc.update("UPDATE bridge_call_event SET canonical = ? WHERE provider = 'salpre' AND call_id = '950001' AND event_type = 'call_answered'",
                canonical);
        assertThat(bridge.post("/admin/dead-letters/" + letter.path("id").asLong() + "/replay", "", ADMIN).statusCode()).isEqualTo(202);

        StubHttpServer.Request sent = cekura.awaitOnlyCall("salpre-950001");
        assertThat(BridgeTestSupport.JSON.readTree(sent.body()).at("/calls/0/id").asText()).isEqualTo("salpre-950001");
        await().atMost(Duration.ofSeconds(5)).until(() -> "resolved".equals(letterStatus("950001")));
    }

    private JsonNode letter(String callId) throws Exception {
        for (JsonNode letter : BridgeTestSupport.JSON.readTree(bridge.get("/admin/dead-letters", ADMIN).body())) {
            if (letter.path("callId").asText().equals(callId)) {
                return letter;
            }
        }
        return null;
    }

    private String letterStatus(String callId) {
        return jdbc.queryForObject("SELECT status FROM bridge_dead_letter WHERE provider = 'salpre' AND call_id = ?", String.class, callId);
    }
}
