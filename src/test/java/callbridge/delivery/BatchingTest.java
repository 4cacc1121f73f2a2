package callbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * While a backlog stands, several calls go in one POST; a batch Cekura refuses with 400 (its strict validation
 * rejects the whole POST for one bad call) is split, each call sent alone, and only the bad call becomes a dead
 * letter. The backlog: the first call is answered 429 with {@code Retry-After: 3}, which pauses the node's sending, and
 * five more calls end meanwhile; they wait in the store, then leave window first, at most three a POST.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cekura.batch-max=3"})
class BatchingTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<Long> CALLS = LongStream.rangeClosed(977001, 977006).boxed().toList();
    static final String BAD = "salpre-977004";

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "batching", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aBacklogGoesSeveralCallsAPostAndARefusedBatchIsSplit() throws Exception {
        cekura.scriptCall("salpre-977001", Answer.of(202), new Answer(429, "{}", Map.of("Retry-After", "3")));
        cekura.scriptContaining("\"id\":\"" + BAD + "\"", Answer.of(400, "{\"calls\":[{},{\"run_id\":[\"A valid integer is required.\"]}]}"));
        cekura.answerByDefault(Answer.of(202));

        endSalpreCall(977001);
        await().atMost(Duration.ofSeconds(10)).until(() -> !cekura.callsWithId("salpre-977001").isEmpty());
        for (long id : CALLS.subList(1, CALLS.size())) {
            endSalpreCall(id);
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> CALLS.stream().allMatch(id -> finished(id)));
        for (long id : CALLS) {
            assertThat(state(id)).as("call %d", id).isEqualTo(("salpre-" + id).equals(BAD) ? "DEAD_LETTERED" : "DELIVERED");
        }

        List<StubHttpServer.Request> posts = cekura.requests();
        List<StubHttpServer.Request> batches = posts.stream().filter(post -> ids(post).size() > 1).toList();
        assertThat(batches).as("POSTs of several calls").isNotEmpty();
        assertThat(batches).allSatisfy(batch -> assertThat(ids(batch).size()).isLessThanOrEqualTo(3));
        // a batch is the calls' recorded payloads in one envelope, window first
        for (StubHttpServer.Request batch : batches) {
            assertThat(JSON.readTree(batch.body())).isEqualTo(envelopeOf(ids(batch)));
            assertThat(ids(batch)).isSortedAccordingTo((a, b) -> windowEnds(a).compareTo(windowEnds(b)));
        }
        // the bad call's batch was refused as a whole; each of its calls then went alone
        StubHttpServer.Request refused = batches.stream().filter(batch -> ids(batch).contains(BAD)).findFirst().orElseThrow();
        assertThat(refused.answeredStatus()).isEqualTo(400);
        for (String id : ids(refused)) {
            List<StubHttpServer.Request> alone = posts.stream()
                    .filter(post -> post.at().isAfter(refused.at()) && ids(post).equals(List.of(id))).toList();
            assertThat(alone).as("%s sent alone after the refused batch", id).hasSize(1);
            assertThat(alone.get(0).answeredStatus()).isEqualTo(id.equals(BAD) ? 400 : 202);
        }
        // every good call reached Cekura in exactly one accepted POST
        for (long id : CALLS) {
            long accepted = posts.stream().filter(post -> post.answeredStatus() == 202 && ids(post).contains("salpre-" + id)).count();
            assertThat(accepted).as("accepted POSTs of call %d", id).isEqualTo(("salpre-" + id).equals(BAD) ? 0 : 1);
        }
        // the bad call alone is the dead letter, with Cekura's reason; its attempts: the batch and its own POST
        assertThat(jdbc.queryForList("SELECT call_id FROM bridge_dead_letter", String.class)).containsExactly("977004");
        assertThat(jdbc.queryForObject("SELECT reason FROM bridge_dead_letter", String.class)).startsWith("HTTP 400");
        assertThat(jdbc.queryForList("SELECT outcome FROM bridge_delivery_attempt WHERE call_id = '977004' ORDER BY attempt",
                String.class)).containsExactly("batch-refused", "failed");
    }

    private boolean finished(long id) {
        return List.of("DELIVERED", "DEAD_LETTERED").contains(state(id));
    }

    private String state(long id) {
        return jdbc.queryForObject("SELECT state FROM bridge_call WHERE provider = 'salpre' AND call_id = ?", String.class,
                Long.toString(id));
    }

    private java.time.OffsetDateTime windowEnds(String cekuraId) {
        return jdbc.queryForObject("SELECT window_ends_at FROM bridge_call WHERE provider = 'salpre' AND call_id = ?",
                java.time.OffsetDateTime.class, cekuraId.substring("salpre-".length()));
    }

    /** The Cekura ids a POST carries, in order. */
    private static List<String> ids(StubHttpServer.Request post) {
        try {
            return StreamSupport.stream(JSON.readTree(post.body()).path("calls").spliterator(), false)
                    .map(call -> call.path("id").asText()).toList();
        } catch (Exception unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }

    /** The recorded one-call payloads of these calls, in one envelope. */
    private JsonNode envelopeOf(List<String> ids) throws Exception {
        ObjectNode envelope = null;
        ArrayNode calls = JSON.createArrayNode();
        for (String id : ids) {
            ObjectNode recorded = (ObjectNode) JSON.readTree(jdbc.queryForObject(
                    "SELECT payload FROM bridge_call WHERE provider = 'salpre' AND call_id = ?", String.class,
                    id.substring("salpre-".length())));
            calls.addAll((ArrayNode) recorded.remove("calls"));
            envelope = envelope == null ? recorded : envelope;
        }
        envelope.set("calls", calls);
        return envelope;
    }
}
