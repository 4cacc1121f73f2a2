package callbridge.providers.platforms;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** VAPI_WEBHOOK_AUTH=bearer: Vapi's Bearer Token credential, {@code Authorization: Bearer <VAPI_WEBHOOK_SECRET>}. */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "vapi.webhook-auth=bearer", "vapi.webhook-secret=" + VapiBearerCredentialTest.TOKEN})
class VapiBearerCredentialTest extends BridgeHttpTest {
    static final String TOKEN = "vapi-bearer-token-1";
    static final StubHttpServer cekura = StubHttpServer.start();

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "vapi-bearer", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void theBearerTokenIsAccepted() {
        HttpResponse<String> answer = post("vapi-bearer-1", Map.of("Authorization", "Bearer " + TOKEN));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(VoicePlatformTest.ACCEPTED);
        assertThat(cekura.awaitOnlyCall("vapi-vapi-bearer-1").body()).contains("\"id\":\"vapi-vapi-bearer-1\"");
    }

    @Test
    void aWrongOrMissingTokenIs401() {
        for (Map<String, String> headers : java.util.List.of(Map.of("Authorization", "Bearer " + TOKEN + "x"),
                Map.of("Authorization", TOKEN),                       // no "Bearer "
                Map.of("X-Vapi-Secret", TOKEN),                       // the legacy header is not this mode's credential
                Map.<String, String>of())) {
            HttpResponse<String> refused = post("vapi-bearer-2", headers);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).isEqualTo(VoicePlatformTest.UNAUTHORIZED);
        }
        assertThat(cekura.callsWithId("vapi-vapi-bearer-2")).isEmpty();
    }

    private HttpResponse<String> post(String callId, Map<String, String> headers) {
        byte[] report = BridgeTestSupport.resource(VapiWebhookTest.REPORT).replace("\"c0a8-1\"", "\"" + callId + "\"")
                .getBytes(StandardCharsets.UTF_8);
        return bridge.post("/webhooks/vapi", report, headers);
    }
}
