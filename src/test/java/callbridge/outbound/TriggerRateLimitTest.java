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
import java.util.Map;
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

        HttpResponse<String> over = trigger("+14155550902", "{\"n\":2}");
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(over.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(over.body()).isEqualTo("{\"error\":\"more than 1 triggers per second (OUTBOUND_TRIGGER_RATE_LIMIT): "
                + "nothing was stored or dialed, send it again after Retry-After\"}");
        // the credential is checked first, also when the budget is spent
        assertThat(trigger(FROM, "+14155550903", null, Map.of("X-CEKURA-SECRET", "wrong")).statusCode()).isEqualTo(401);
        assertThat(metrics.counter("bridge.outbound.triggers", "outcome", "rate_limited").count()).isEqualTo(1.0);

        JsonNode stored = BridgeTestSupport.JSON.readTree(bridge.get("/admin/outbound-triggers?limit=500").body());
        assertThat(stored.findValues("toNumber").stream().map(JsonNode::asText)).containsExactly("+14155550901");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                .until(() -> dialApi.requests(r -> r.body().contains("+14155550902")).isEmpty());

        // after Retry-After the budget is back
        await().pollInterval(Duration.ofMillis(250)).atMost(Duration.ofSeconds(5))
                .until(() -> trigger("+14155550902", "{\"n\":2}").statusCode() == 201);
        onlyRequestFor(dialApi, "+14155550902");
    }
}
