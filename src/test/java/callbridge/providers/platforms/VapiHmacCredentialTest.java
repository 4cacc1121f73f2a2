package callbridge.providers.platforms;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * VAPI_WEBHOOK_AUTH=hmac: Vapi's HMAC credential with its defaults, {@code x-signature} = hex HMAC-SHA256(secret,
 * "{x-timestamp}.{body}"), the timestamp within 5 minutes (seconds or milliseconds: Vapi does not say).
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "vapi.webhook-auth=hmac", "vapi.webhook-secret=" + VapiHmacCredentialTest.KEY})
class VapiHmacCredentialTest extends BridgeHttpTest {
    static final String KEY = "vapi-hmac-key-1";
    static final StubHttpServer cekura = StubHttpServer.start();

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "vapi-hmac", cekura);
    }

    @AfterAll
    static void stop() {
        cekura.close();
    }

    @Test
    void aSignatureOverTimestampAndBodyIsAcceptedInMillisecondsOrSeconds() {
        byte[] report = report("vapi-hmac-1");
        HttpResponse<String> answer = post(report, signed(KEY, report, String.valueOf(Instant.now().toEpochMilli())));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(VoicePlatformTest.ACCEPTED);
        assertThat(cekura.awaitOnlyCall("vapi-vapi-hmac-1").body()).contains("\"id\":\"vapi-vapi-hmac-1\"");

        byte[] other = report("vapi-hmac-2");
        assertThat(post(other, signed(KEY, other, String.valueOf(Instant.now().getEpochSecond()))).body())
                .isEqualTo(VoicePlatformTest.ACCEPTED);
    }

    @Test
    void aWrongStaleOrMissingCredentialIs401() {
        byte[] report = report("vapi-hmac-3");
        String now = String.valueOf(Instant.now().toEpochMilli());
        Map<String, String> noTimestamp = new HashMap<>(signed(KEY, report, now));
        noTimestamp.remove("x-timestamp");
        for (Map<String, String> headers : List.of(
                signed("another-key", report, now),
                signed(KEY, report("vapi-hmac-other"), now),                                      // another body
                signed(KEY, report, String.valueOf(Instant.now().minusSeconds(600).toEpochMilli())),   // stale
                noTimestamp,
                Map.of("X-Vapi-Secret", KEY),                                                     // the legacy header
                Map.<String, String>of())) {
            HttpResponse<String> refused = post(report, headers);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).isEqualTo(VoicePlatformTest.UNAUTHORIZED);
        }
        assertThat(cekura.callsWithId("vapi-vapi-hmac-3")).isEmpty();
    }

    private static Map<String, String> signed(String key, byte[] body, String timestamp) {
        return Map.of("x-signature", VoicePlatformTest.hmacHex(key, (timestamp + ".").getBytes(StandardCharsets.UTF_8), body),
                "x-timestamp", timestamp);
    }

    private static byte[] report(String callId) {
        return BridgeTestSupport.resource(VapiWebhookTest.REPORT).replace("\"c0a8-1\"", "\"" + callId + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    private HttpResponse<String> post(byte[] body, Map<String, String> headers) {
        return bridge.post("/webhooks/vapi", body, headers);
    }
}
