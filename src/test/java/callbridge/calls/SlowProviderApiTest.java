package callbridge.calls;

import static callbridge.support.SalpreEvents.ended;
import static callbridge.support.SalpreEvents.lifecycle;
import static callbridge.support.SalpreEvents.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A provider's API that never answers in time (here Verbex's, each attempt running into its response timeout)
 * holds up only that provider's calls: more Verbex calls than there are completion workers wait on it, while
 * salpre calls ending meanwhile reach Cekura as soon as their grace is over; the Verbex calls go out later,
 * with what their webhooks carried.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "verbex.api-key=verbex-key", "bridge.verbex-pca-wait=30s",
        // worst case of one Verbex call's API step: 2 attempts of 2 s + 0.1 s between them
        "bridge.verbex-api.connect-timeout=500", "bridge.verbex-api.response-timeout=2000",
        "bridge.verbex-api.max-redeliveries=1", "bridge.verbex-api.retry-delay=100",
        // far below the API step's worst case: a call on its hook is held for BRIDGE_COMPLETION_HOOK_LEASE instead,
        // else it would be claimed again (and its API read again) while still being completed
        "bridge.claim-lease=1s"})
class SlowProviderApiTest extends BridgeHttpTest {
    /** More than the completion workers ({@code bridgeCallWorkers}: 4 threads, up to 8). */
    static final int VERBEX_CALLS = 8;
    static final int SALPRE_CALLS = 3;
    /** A salpre call goes out within this of its end's receipt (grace 300 ms, polls every 50 ms). */
    static final Duration SALPRE_BOUND = Duration.ofMillis(2500);

    private static final Logger LOG = LoggerFactory.getLogger(SlowProviderApiTest.class);
    static final StubHttpServer cekura = StubHttpServer.start();
    /** Accepts every request and answers only long after the response timeout: each attempt times out. */
    static final StubHttpServer verbexApi = StubHttpServer.start().answerByDefault(Answer.slow(200, 10_000));

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "slow-provider-api", cekura);
        registry.add("verbex.api-url", () -> verbexApi.url("/verbex-api"));
    }

    @AfterAll
    static void stop() {
        cekura.close();
        verbexApi.close();
    }

    @Test
    void deadProviderApiHoldsUpOnlyItsOwnCalls() throws Exception {
        List<String> verbexIds = new ArrayList<>();
        for (int i = 1; i <= VERBEX_CALLS; i++) {
            String id = "slow-api-" + i;
            verbexIds.add(id);
            post("/webhooks/verbex", verbex("call_ended", id));
            post("/webhooks/verbex", verbex("pca_completed", id));   // due now: the API is fetched
        }
        // the API has every worker it can get waiting on it
        await().atMost(Duration.ofSeconds(5)).until(() -> verbexApi.requests().size() >= 4);

        Map<Long, Instant> salpreEnded = new LinkedHashMap<>();
        for (long id = 740001; id < 740001 + SALPRE_CALLS; id++) {
            post("/webhooks/salpre", lifecycle("call_answered", id, 1760084576));
            post("/webhooks/salpre", ended(id, 1760084597, List.of(line("customer", "Hello?", "1760084580"))));
            salpreEnded.put(id, Instant.now());
        }
        for (var ended : salpreEnded.entrySet()) {
            String cekuraId = "salpre-" + ended.getKey();
            await().atMost(Duration.ofSeconds(20)).until(() -> !cekura.callsWithId(cekuraId).isEmpty());
            StubHttpServer.Request sent = cekura.callsWithId(cekuraId).get(0);
            LOG.info("{} reached Cekura {} ms after its end", cekuraId, Duration.between(ended.getValue(), sent.at()).toMillis());
            assertThat(Duration.between(ended.getValue(), sent.at())).as("%s out after its end", cekuraId)
                    .isLessThan(SALPRE_BOUND);
            JSONAssert.assertEquals("""
                    {"agent_id":42,"calls":[{"id":"%s","startedAt":"2025-10-10T08:22:56Z",
                     "endedAt":"2025-10-10T08:23:17Z",
                     "messages":[{"role":"user","content":"Hello?","start_time":1760084580000}],
                     "to_phone_number":"+905555555554","from_phone_number":"+905555555555",
                     "metadata":{"provider":"salpre","direction":"outbound","source":"salprebox:SALPRE_AABBCCDD"},
                     "endedReason":"unknown"}]}""".formatted(cekuraId), sent.body(), JSONCompareMode.STRICT);
        }
        // the salpre calls did not wait for the Verbex calls: some of those are still on their API
        assertThat(verbexIds).anyMatch(id -> cekura.callsWithId("verbex-" + id).isEmpty());

        // every Verbex call still goes out, once, with its webhooks alone, after 1 + 1 API attempts
        await().atMost(Duration.ofSeconds(20)).until(() -> verbexIds.stream().noneMatch(id -> cekura.callsWithId("verbex-" + id).isEmpty()));
        await().during(StubHttpServer.pastTheFirstRetry()).atMost(Duration.ofSeconds(5))
                .until(() -> verbexIds.stream().allMatch(id -> cekura.callsWithId("verbex-" + id).size() == 1));
        for (String id : verbexIds) {
            JSONAssert.assertEquals("""
                    {"agent_id":42,"calls":[{"id":"verbex-%s","startedAt":"2026-04-27T12:56:41.599271364Z","endedAt":"2026-04-27T12:56:41.599271364Z","messages":[],
                     "metadata":{"provider":"verbex","organization_id":"27117463-c11e-4c75-affd-f743216f1bef",
                                 "agent_id":"c51ab1b1-7eac-452d-8ba5-86a922d694e7","pca_status":"success","pca_reason":"success"},
                     "endedReason":"unknown"}]}""".formatted(id), cekura.callsWithId("verbex-" + id).get(0).body(), JSONCompareMode.STRICT);
            assertThat(verbexApi.requestsTo("/verbex-api/calls/" + id)).hasSize(2);
        }
        // and never more of them at once than Verbex's own workers (4): the fifth first read waited for a free one,
        // at least one response timeout, in the store (not counted as a failure: no 30 s completion retry delay)
        List<Instant> firstReads = verbexIds.stream()
                .map(id -> verbexApi.requestsTo("/verbex-api/calls/" + id).get(0).at()).sorted().toList();
        assertThat(Duration.between(firstReads.get(0), firstReads.get(4))).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        for (long id : salpreEnded.keySet()) {
            assertThat(cekura.callsWithId("salpre-" + id)).hasSize(1);
        }
    }

    private void post(String path, String body) {
        assertThat(bridge.post(path, body).body()).isEqualTo("{\"status\":\"accepted\"}");
    }

    private static String verbex(String fixture, String callId) {
        return BridgeTestSupport.resource("/verbex/" + fixture + ".json").replace("69ef5c43425e3c729ab8c83f", callId);
    }
}
