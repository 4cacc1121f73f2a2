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

/** OUTBOUND_PROVIDER=bland against a stub Bland API: a pathway call with the variables as request_data, Bland's call_id. */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "outbound.provider=bland", "bland.api-key=sk-bland-1", "bland.pathway-id=pw_0f3a",
        "cekura.trigger-secret=" + DialTestSupport.SECRET, "bridge.outbound.poll-interval=50"})
class BlandDialTest extends DialTestSupport {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final StubHttpServer bland = StubHttpServer.start()
            .answerByDefault(Answer.of(200, "{\"status\":\"success\",\"message\":\"Call successfully queued.\",\"call_id\":\"d9cce3f3\"}"));

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "bland-dial", cekura);
        registry.add("bland.api-url", () -> bland.url(""));
    }

    @AfterAll
    static void stop() {
        cekura.close();
        bland.close();
    }

    @Test
    void triggerIsDialedThroughBlandAndAnsweredWithBlandsCallId() throws Exception {
        JsonNode answer = answerOf(trigger("+14155550401", "{\"customer_name\":\"John Doe\",\"rooms\":3}"));
        assertAnswer(answer, "dialed", "d9cce3f3");

        StubHttpServer.Request call = onlyRequestFor(bland, "+14155550401");
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/v1/calls");
        assertThat(call.header("authorization")).isEqualTo("sk-bland-1");
        assertThat(call.header("Content-Type")).startsWith("application/json");
        assertNoCredentialLeaks(call);
        JSONAssert.assertEquals("{\"phone_number\":\"+14155550401\",\"from\":\"+15551234567\",\"pathway_id\":\"pw_0f3a\","
                + "\"request_data\":{\"customer_name\":\"John Doe\",\"rooms\":3}}", call.body(), JSONCompareMode.STRICT);
        assertThat(awaitStatus(answer.path("id").asText(), "dialed").path("providerCallId").asText()).isEqualTo("d9cce3f3");
    }
}
