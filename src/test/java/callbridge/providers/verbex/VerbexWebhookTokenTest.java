package callbridge.providers.verbex;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** VERBEX_WEBHOOK_TOKEN set: a Verbex webhook carries it as header X-Webhook-Token or as ?token=, else 401. */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "verbex.webhook-token=verbex-s3cret")
class VerbexWebhookTokenTest extends BridgeHttpTest {
    static final StubHttpServer cekura = StubHttpServer.start();
    static final String UNAUTHORIZED = "{\"error\":\"missing or invalid credential\"}";

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "verbex-token", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void theTokenInItsHeaderOrInTheQueryIsAccepted() {
        assertAnswer(bridge.post("/webhooks/verbex", event("token-0001"), Map.of("X-Webhook-Token", "verbex-s3cret")),
                200, "{\"status\":\"accepted\"}");
        assertAnswer(bridge.post("/webhooks/verbex?token=verbex-s3cret", event("token-0002")), 200, "{\"status\":\"accepted\"}");
        assertAnswer(bridge.post("/webhooks/verbex?token=verbex-s3cret", BridgeTestSupport.resource("/verbex/call_transferred.json"),
                Map.of("X-Webhook-Event", "CallHandler.CallTransferred")), 200, "{\"status\":\"accepted\"}");
    }

    @Test
    void noTokenOrAWrongOneIs401BeforeTheBodyIsRead() {
        assertAnswer(bridge.post("/webhooks/verbex", event("token-0003")), 401, UNAUTHORIZED);
        assertAnswer(bridge.post("/webhooks/verbex", event("token-0003"), Map.of("X-Webhook-Token", "verbex-s3cre")), 401, UNAUTHORIZED);
        assertAnswer(bridge.post("/webhooks/verbex?token=verbex-s3cret-", event("token-0003")), 401, UNAUTHORIZED);
        // another provider's token is no Verbex token; a bad body without the token is 401, not 400
        assertAnswer(bridge.post("/webhooks/verbex", "{not json", Map.of("X-Webhook-Token", "s3cret-token")), 401, UNAUTHORIZED);
        assertAnswer(bridge.post("/webhooks/verbex", "{\"payload\":{}}"), 401, UNAUTHORIZED);
        // nothing was stored: the same event with the token is new
        assertAnswer(bridge.post("/webhooks/verbex", event("token-0003"), Map.of("X-Webhook-Token", "verbex-s3cret")), 200,
                "{\"status\":\"accepted\"}");
        // with it, that body is the 400 it is
        assertAnswer(bridge.post("/webhooks/verbex", "{\"payload\":{}}", Map.of("X-Webhook-Token", "verbex-s3cret")), 400,
                "{\"error\":\"missing required field: eventName (or header X-Webhook-Event)\"}");
    }

    private static String event(String callId) {
        return BridgeTestSupport.resource("/verbex/call_started.json").replace("69ef5c43425e3c729ab8c83f", callId);
    }

    private static void assertAnswer(HttpResponse<String> answer, int status, String body) {
        assertThat(answer.body()).isEqualTo(body);
        assertThat(answer.statusCode()).isEqualTo(status);
    }
}
