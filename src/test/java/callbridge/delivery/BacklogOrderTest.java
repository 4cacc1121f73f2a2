package callbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.camel.CamelContext;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A call that ends while others wait in the store for room waits behind them, even when a send slot is free at that
 * moment: under a backlog the calls whose window closes first go first. One POST at a time; A's POST takes 4 s, so
 * of B and C one is handed to a sender and the other finds no room and waits in the store; the poller is stopped, so it
 * stays there. Once a slot is free D ends: it must not overtake the waiting call. Started again, the poller sends both
 * together, the waiting call first.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"cekura.max-in-flight=1"})
class BacklogOrderTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "backlog-order", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CamelContext camel;

    @Test
    void aCallEndingDuringABacklogWaitsBehindIt() throws Exception {
        cekura.scriptCall("salpre-979001", Answer.of(202), Answer.slow(202, 4000));
        cekura.answerByDefault(Answer.of(202));
        camel.getRouteController().stopRoute("bridge-deliveries-due");

        endSalpreCall(979001);
        await().atMost(Duration.ofSeconds(10)).until(() -> !cekura.callsWithId("salpre-979001").isEmpty());
        endSalpreCall(979002);
        endSalpreCall(979003);
        // one of them is handed to the sender (it waits for A's slot), the other finds no room and waits in the store
        await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(state(979001))
                && List.of(state(979002), state(979003)).containsAll(List.of("DELIVERED", "PENDING")));
        long waiting = "PENDING".equals(state(979002)) ? 979002 : 979003;

        endSalpreCall(979004);   // a slot is free now, but a call waits in the store before it
        await().atMost(Duration.ofSeconds(10)).until(() -> "PENDING".equals(state(979004)));
        assertThat(cekura.callsWithId("salpre-979004")).isEmpty();
        assertThat(state(waiting)).isEqualTo("PENDING");

        camel.getRouteController().startRoute("bridge-deliveries-due");
        await().atMost(Duration.ofSeconds(10)).until(() -> "DELIVERED".equals(state(979004)) && "DELIVERED".equals(state(waiting)));
        StubHttpServer.Request last = cekura.awaitOnlyCall("salpre-979004");
        assertThat(StreamSupport.stream(JSON.readTree(last.body()).path("calls").spliterator(), false)
                .map(call -> call.path("id").asText()).toList()).containsExactly("salpre-" + waiting, "salpre-979004");
    }

    private String state(long id) {
        return jdbc.queryForObject("SELECT state FROM bridge_call WHERE provider = 'salpre' AND call_id = ?", String.class,
                Long.toString(id));
    }
}
