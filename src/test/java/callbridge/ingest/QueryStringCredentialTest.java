package callbridge.ingest;

import static callbridge.support.SalpreEvents.lifecycle;
import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import com.standardwebhooks.Webhook;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A credential counts only in the request's own headers (or the signed body), never in the query string, where it
 * would end up in proxy logs: Camel copies query parameters into its message headers, the guards no longer read those.
 * The one documented exception, {@code ?token=} of token providers and of CEKURA_TRIGGER_TOKEN, keeps working.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bridge.admin-token=" + QueryStringCredentialTest.ADMIN_TOKEN,
        "cekura.trigger-secret=" + QueryStringCredentialTest.TRIGGER_SECRET,
        "cekura.trigger-token=" + QueryStringCredentialTest.TRIGGER_TOKEN,
        "vapi.webhook-secret=" + QueryStringCredentialTest.VAPI_SECRET,
        "generic.webhook-secret=" + QueryStringCredentialTest.GENERIC_SECRET,
        "salpre.webhook-token=" + QueryStringCredentialTest.SALPRE_TOKEN})
class QueryStringCredentialTest extends BridgeHttpTest {
    static final String ADMIN_TOKEN = "admin-t0ken";
    static final String TRIGGER_SECRET = "trigger-s3cret";
    static final String TRIGGER_TOKEN = "trigger-t0ken";
    static final String VAPI_SECRET = "vapi-s3cret";
    static final String GENERIC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String SALPRE_TOKEN = "salpre-t0ken";
    static final String UNAUTHORIZED = "{\"error\":\"missing or invalid credential\"}";
    static final String ACCEPTED = "{\"status\":\"accepted\"}";
    static final String TRIGGER = "{\"from_number\":\"+15551234567\",\"to_number\":\"+14155550101\"}";
    static final StubHttpServer cekura = StubHttpServer.start();

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "query-string-credentials", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void theAdminTokenCountsOnlyInTheAuthorizationHeader() {
        HttpResponse<String> inQuery = bridge.get("/admin/summary?Authorization=" + enc("Bearer " + ADMIN_TOKEN));
        assertThat(inQuery.statusCode()).isEqualTo(401);
        assertThat(inQuery.body()).isEqualTo("{\"error\":\"missing or invalid admin token\"}");
        assertThat(bridge.get("/admin/calls?Authorization=" + enc("Bearer " + ADMIN_TOKEN)).statusCode()).isEqualTo(401);
        assertThat(bridge.get("/admin/summary", Map.of("Authorization", "Bearer " + ADMIN_TOKEN)).statusCode()).isEqualTo(200);
    }

    @Test
    void theTriggerSecretCountsOnlyInItsHeaderAndTheTriggerTokenAlsoAsTokenParameter() {
        for (String query : new String[] {"?X-CEKURA-SECRET=" + TRIGGER_SECRET, "?x-cekura-secret=" + TRIGGER_SECRET,
                "?X-Webhook-Token=" + TRIGGER_TOKEN, "?token=" + TRIGGER_SECRET}) {
            HttpResponse<String> answer = bridge.post("/cekura/outbound-trigger" + query, TRIGGER);
            assertThat(answer.statusCode()).as(query).isEqualTo(401);
            assertThat(answer.body()).as(query).isEqualTo(UNAUTHORIZED);
        }
        assertThat(bridge.post("/cekura/outbound-trigger", TRIGGER, Map.of("X-CEKURA-SECRET", TRIGGER_SECRET)).statusCode()).isEqualTo(201);
        assertThat(bridge.post("/cekura/outbound-trigger", TRIGGER, Map.of("X-Webhook-Token", TRIGGER_TOKEN)).statusCode()).isEqualTo(201);
        assertThat(bridge.post("/cekura/outbound-trigger?token=" + TRIGGER_TOKEN, TRIGGER).statusCode()).isEqualTo(201);   // documented
    }

    @Test
    void aSharedSecretProviderTakesItsSecretOnlyInItsHeader() {
        String update = "{\"message\":{\"type\":\"status-update\",\"status\":\"in-progress\",\"call\":{\"id\":\"qs-vapi-1\"}}}";
        for (String query : new String[] {"?X-Vapi-Secret=" + VAPI_SECRET, "?x-vapi-secret=" + VAPI_SECRET}) {
            HttpResponse<String> answer = bridge.post("/webhooks/vapi" + query, update);
            assertThat(answer.statusCode()).as(query).isEqualTo(401);
            assertThat(answer.body()).as(query).isEqualTo(UNAUTHORIZED);
        }
        HttpResponse<String> inHeader = bridge.post("/webhooks/vapi", update, Map.of("X-Vapi-Secret", VAPI_SECRET));
        assertThat(inHeader.statusCode()).isEqualTo(200);
        assertThat(inHeader.body()).isEqualTo(ACCEPTED);
    }

    @Test
    void aStandardWebhooksProviderTakesItsSignatureOnlyInHeaders() throws Exception {
        String body = "{\"type\":\"call.started\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"data\":{\"call_id\":\"qs-generic-1\"}}";
        String id = "msg_" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();
        String signature = new Webhook(GENERIC_SECRET).sign(id, now, body);
        HttpResponse<String> inQuery = bridge.post("/webhooks/generic?webhook-id=" + enc(id) + "&webhook-timestamp=" + now
                + "&webhook-signature=" + enc(signature), body);
        assertThat(inQuery.statusCode()).isEqualTo(401);
        assertThat(inQuery.body()).isEqualTo(UNAUTHORIZED);
        HttpResponse<String> inHeaders = bridge.post("/webhooks/generic", body,
                Map.of("webhook-id", id, "webhook-timestamp", String.valueOf(now), "webhook-signature", signature));
        assertThat(inHeaders.statusCode()).isEqualTo(200);
        assertThat(inHeaders.body()).isEqualTo(ACCEPTED);
    }

    @Test
    void aTokenProviderTakesItsTokenInTheHeaderOrAsTokenParameterOnly() {
        HttpResponse<String> headerInQuery = bridge.post("/webhooks/salpre?X-Webhook-Token=" + SALPRE_TOKEN,
                lifecycle("call_initiated", 964001, 1760084505));
        assertThat(headerInQuery.statusCode()).isEqualTo(401);
        assertThat(headerInQuery.body()).isEqualTo(UNAUTHORIZED);
        HttpResponse<String> tokenParameter = bridge.post("/webhooks/salpre?token=" + SALPRE_TOKEN, lifecycle("call_initiated", 964001, 1760084505));
        assertThat(tokenParameter.statusCode()).isEqualTo(200);
        assertThat(tokenParameter.body()).isEqualTo(ACCEPTED);
        HttpResponse<String> header = bridge.post("/webhooks/salpre", lifecycle("call_answered", 964001, 1760084506),
                Map.of("X-Webhook-Token", SALPRE_TOKEN));
        assertThat(header.statusCode()).isEqualTo(200);
        assertThat(header.body()).isEqualTo(ACCEPTED);
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
