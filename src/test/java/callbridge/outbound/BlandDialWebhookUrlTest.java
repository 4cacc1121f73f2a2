package callbridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import callbridge.support.StubHttpServer.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * BLAND_WEBHOOK_URL set: the dial names the bridge's Bland webhook as the call's {@code webhook}, so Bland posts the
 * call back to the bridge ({@link BlandDialTest} is the dial without it: no {@code webhook} key).
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "outbound.provider=bland", "bland.api-key=sk-bland-1", "bland.task=Confirm the booking",
        "bland.webhook-url=https://bridge.example.com/webhooks/bland",
        "cekura.trigger-secret=" + DialTestSupport.SECRET, "bridge.outbound.poll-interval=50"})
class BlandDialWebhookUrlTest extends DialTestSupport {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final StubHttpServer bland = StubHttpServer.start()
            .answerByDefault(Answer.of(200, "{\"status\":\"success\",\"message\":\"Call successfully queued.\",\"call_id\":\"e1f2a3b4\"}"));

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "bland-dial-webhook", cekura);
        registry.add("bland.api-url", () -> bland.url(""));
    }

    @AfterAll
    static void stop() {
        cekura.close();
        bland.close();
    }

    @Test
    void theDialSetsWebhookToTheBridgesPublicBlandUrl() throws Exception {
        JsonNode answer = answerOf(trigger("+14155550402", "{\"customer_name\":\"John Doe\"}"));
        assertAnswer(answer, "dialed", "e1f2a3b4");

        StubHttpServer.Request call = onlyRequestFor(bland, "+14155550402");
        assertThat(call.path()).isEqualTo("/v1/calls");
        assertNoCredentialLeaks(call);
        JSONAssert.assertEquals("{\"phone_number\":\"+14155550402\",\"from\":\"+15551234567\",\"task\":\"Confirm the booking\","
                + "\"request_data\":{\"customer_name\":\"John Doe\"},\"webhook\":\"https://bridge.example.com/webhooks/bland\"}",
                call.body(), JSONCompareMode.STRICT);
    }
}
