package callbridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * OUTBOUND_TRIGGER_RATE_LIMIT=1: one trigger per second. Over it: 429 + Retry-After, nothing stored or dialed,
 * counted; requests with a wrong secret are refused before the limit and take nothing from it.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "outbound.trigger-rate-limit=1", "cekura.trigger-secret=" + DialTestSupport.SECRET, "bridge.outbound.poll-interval=50"})
class TriggerRateLimitTest extends DialTestSupport {
    static final StubHttpServer cekura = StubHttpServer.start();
    /** Valid triggers sent at once (and wrong secrets with them): one token a second leaves most of them none. */
    static final int BURST = 3;
    static final int WRONG_PER_BURST = 2;
    static final StubHttpServer dialApi = StubHttpServer.start().answerByDefault(Answer.of(200, "{\"call_id\":\"rl-1\"}"));

    @Autowired
    MeterRegistry metrics;

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "trigger-rate-limit", cekura);
        registry.add("outbound.dial-url", () -> dialApi.url("/dial"));
    }

    @AfterAll
    static void stop() {
        cekura.close();
        dialApi.close();
    }

    @Test
    void overTheLimitIs429WithRetryAfterAndNothingIsStoredOrDialed() throws Exception {
        // a flood of wrong secrets: refused before the budget, so Cekura's trigger right after still gets through
        for (int i = 0; i < 20; i++) {
            assertThat(trigger(FROM, "+14155550900", null, Map.of("X-CEKURA-SECRET", "guess-" + i)).statusCode()).isEqualTo(401);
        }
        assertAnswer(answerOf(trigger("+14155550901", null)), "dialed", "rl-1");

        // Triggers sent one after another may each take longer than a second on a loaded machine (the answer waits for
        // the dial), so the bucket refills between them; sent together, they meet the bucket within the same second.
        // Each burst also carries wrong secrets: refused 401 whatever the budget, never 429, never counted.
        List<String> accepted = new ArrayList<>(List.of("+14155550901"));
        List<String> refused = new ArrayList<>();
        AtomicInteger next = new AtomicInteger(910);
        ExecutorService senders = Executors.newFixedThreadPool(BURST + WRONG_PER_BURST);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Map<String, Future<HttpResponse<String>>> burst = new LinkedHashMap<>();
                List<Future<HttpResponse<String>>> wrong = new ArrayList<>();
                for (int i = 0; i < BURST; i++) {
                    String to = "+141555509" + next.getAndIncrement();
                    burst.put(to, senders.submit(() -> trigger(to, "{\"n\":2}")));
                }
                for (int i = 0; i < WRONG_PER_BURST; i++) {
                    wrong.add(senders.submit(() -> trigger(FROM, "+14155550903", null, Map.of("X-CEKURA-SECRET", "wrong"))));
                }
                for (var sent : burst.entrySet()) {
                    HttpResponse<String> answer = sent.getValue().get();
                    if (answer.statusCode() == 429) {
                        assertRateLimited(answer);
                        refused.add(sent.getKey());
                    } else {
                        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
                        accepted.add(sent.getKey());
                    }
                }
                for (var answer : wrong) {
                    assertThat(answer.get().statusCode()).isEqualTo(401);   // the credential is checked first, budget or not
                }
                return !refused.isEmpty();
            });
        } finally {
            senders.shutdownNow();
        }
        assertThat(metrics.counter("bridge.outbound.triggers", "outcome", "rate_limited").count()).isEqualTo(refused.size());

        JsonNode stored = BridgeTestSupport.JSON.readTree(bridge.get("/admin/outbound-triggers?limit=500").body());
        assertThat(stored.findValues("toNumber").stream().map(JsonNode::asText)).containsExactlyInAnyOrderElementsOf(accepted);
        // nothing refused reaches the platform: every accepted trigger was dialed, and none of the refused ones
        await().atMost(Duration.ofSeconds(10)).until(() -> accepted.stream()
                .allMatch(to -> !dialApi.requests(r -> r.body().contains(to)).isEmpty()));
        assertThat(dialApi.requests(r -> refused.stream().anyMatch(to -> r.body().contains(to)))).isEmpty();

        // after Retry-After the budget is back
        String again = refused.get(0);
        await().pollInterval(Duration.ofMillis(250)).atMost(Duration.ofSeconds(30))
                .until(() -> trigger(again, "{\"n\":2}").statusCode() == 201);
        onlyRequestFor(dialApi, again);
    }

    private static void assertRateLimited(HttpResponse<String> over) {
        assertThat(over.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(over.body()).isEqualTo("{\"error\":\"more than 1 triggers per second (OUTBOUND_TRIGGER_RATE_LIMIT): "
                + "nothing was stored or dialed, send it again after Retry-After\"}");
    }
}
