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
 * OUTBOUND_PROVIDER=elevenlabs against a stub ElevenLabs API: the twilio outbound-call request, conversation_id as call id;
 * a 2xx answer with {@code "success": false} is a failed dial with its message.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "outbound.provider=elevenlabs", "elevenlabs.api-key=xi-key-1", "elevenlabs.agent-id=agent_01",
        "elevenlabs.phone-number-ids=+15551234567=phnum_01",
        "cekura.trigger-secret=" + DialTestSupport.SECRET, "bridge.outbound.poll-interval=50"})
class ElevenLabsDialTest extends DialTestSupport {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final StubHttpServer elevenLabs = StubHttpServer.start()
            .answerByDefault(Answer.of(200, "{\"success\":true,\"message\":\"Success\",\"conversation_id\":\"conv_01\",\"callSid\":\"CA0123\"}"));

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "elevenlabs-dial", cekura);
        registry.add("elevenlabs.api-url", () -> elevenLabs.url(""));
    }

    @AfterAll
    static void stop() {
        cekura.close();
        elevenLabs.close();
    }

    @Test
    void triggerIsDialedThroughElevenLabsAndAnsweredWithTheConversationId() throws Exception {
        JsonNode answer = answerOf(trigger("+14155550301", "{\"customer_name\":\"John Doe\",\"visits\":3}"));
        assertAnswer(answer, "dialed", "conv_01");

        StubHttpServer.Request call = onlyRequestFor(elevenLabs, "+14155550301");
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/v1/convai/twilio/outbound-call");
        assertThat(call.header("xi-api-key")).isEqualTo("xi-key-1");
        assertThat(call.header("Authorization")).isNull();
        assertThat(call.header("Content-Type")).startsWith("application/json");
        assertNoCredentialLeaks(call);
        JSONAssert.assertEquals("{\"agent_id\":\"agent_01\",\"agent_phone_number_id\":\"phnum_01\",\"to_number\":\"+14155550301\","
                + "\"conversation_initiation_client_data\":{\"dynamic_variables\":{\"customer_name\":\"John Doe\",\"visits\":3}}}",
                call.body(), JSONCompareMode.STRICT);
        assertThat(awaitStatus(answer.path("id").asText(), "dialed").path("providerCallId").asText()).isEqualTo("conv_01");
    }

    @Test
    void aTwoHundredWithSuccessFalseIsAFailedDialWithItsMessageNotADialWithoutCallId() throws Exception {
        elevenLabs.scriptContaining("+14155550302", Answer.of(200,
                "{\"success\":false,\"message\":\"Agent has no phone number assigned\",\"conversation_id\":null,\"callSid\":null}"));
        JsonNode answer = answerOf(trigger("+14155550302", null));
        assertAnswer(answer, "received", null);
        JsonNode failed = awaitStatus(answer.path("id").asText(), "failed");
        assertThat(failed.path("lastError").asText()).isEqualTo("failed: callbridge.outbound.DialRefusedException: "
                + "ElevenLabs answered success false: Agent has no phone number assigned");
        assertThat(failed.path("providerCallId").isMissingNode() || failed.path("providerCallId").isNull()).isTrue();
        assertThat(failed.path("attempts").asInt()).isEqualTo(1);
        assertThat(elevenLabs.requests(r -> r.body().contains("+14155550302"))).hasSize(1);
    }
}
