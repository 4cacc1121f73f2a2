package callbridge.delivery;

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
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A call dead-lettered by a store fault (here: a table its completion reads is gone, a failure that is not passing)
 * keeps a short reason naming the exception's class: no SQL statement, no driver message, in the dead letter, the
 * call's last error or anything else the admin shows. The full text is in the log.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bridge.completion-retry-delay=200ms", "bridge.completion-attempts=2"})
class DeadLetterReasonTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "dead-letter-reason", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aStoreFaultsDeadLetterShowsNoSql() throws Exception {
        assertThat(bridge.post("/webhooks/salpre", lifecycle("call_answered", 965001, 1760084576)).statusCode()).isEqualTo(200);
        jdbc.execute("ALTER TABLE bridge_outbound_trigger RENAME TO bridge_outbound_trigger_away");
        try {
            assertThat(bridge.post("/webhooks/salpre", ended(965001, 1760084597, List.of())).statusCode()).isEqualTo(200);
            JsonNode letter = await().atMost(Duration.ofSeconds(20)).until(() -> letter("965001"), java.util.Objects::nonNull);
            assertThat(letter.path("reason").asText()).isEqualTo("completion failed: store error (BadSqlGrammarException)");
            String view = bridge.get("/admin/calls/salpre/965001").body();
            assertThat(BridgeTestSupport.JSON.readTree(view).path("lastError").asText())
                    .isEqualTo("completion failed: store error (BadSqlGrammarException)");
            for (String shown : List.of(view, bridge.get("/admin/dead-letters").body())) {
                assertThat(shown).doesNotContainIgnoringCase("select").doesNotContainIgnoringCase("bridge_outbound_trigger")
                        .doesNotContain("SQL").doesNotContain("org.h2").doesNotContain("org.postgresql");
            }
        } finally {
            jdbc.execute("ALTER TABLE bridge_outbound_trigger_away RENAME TO bridge_outbound_trigger");
        }
        assertThat(cekura.callsWithId("salpre-965001")).isEmpty();
    }

    private JsonNode letter(String callId) throws Exception {
        for (JsonNode letter : BridgeTestSupport.JSON.readTree(bridge.get("/admin/dead-letters").body())) {
            if (letter.path("callId").asText().equals(callId)) {
                return letter;
            }
        }
        return null;
    }
}
