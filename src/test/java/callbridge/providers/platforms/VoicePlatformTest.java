package callbridge.providers.platforms;

import callbridge.support.BridgeHttpTest;
import callbridge.support.BridgeTestSupport;
import callbridge.support.StubHttpServer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The four voice platforms' route files end to end, in one bridge the test classes share (one context start):
 * real HTTP on loopback, each platform's own signature made here with the JDK alone, a stub Cekura.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "vapi.webhook-secret=" + VoicePlatformTest.VAPI_SECRET,
        "retell.api-key=" + VoicePlatformTest.RETELL_KEY,
        "elevenlabs.webhook-secret=" + VoicePlatformTest.ELEVENLABS_SECRET,
        "bland.webhook-secret=" + VoicePlatformTest.BLAND_SECRET,
        "bridge.retell-analysis-wait=" + VoicePlatformTest.RETELL_WAIT_SECONDS + "s"})
abstract class VoicePlatformTest extends BridgeHttpTest {
    static final String VAPI_SECRET = "vapi-server-secret-1";
    static final String RETELL_KEY = "key_retell_webhook_badge";
    static final String ELEVENLABS_SECRET = "wsec_elevenlabs_1";
    static final String BLAND_SECRET = "bland-account-secret";
    static final int RETELL_WAIT_SECONDS = 4;
    static final String ACCEPTED = "{\"status\":\"accepted\"}";
    static final String DUPLICATE = "{\"status\":\"duplicate\"}";
    static final String UNAUTHORIZED = "{\"error\":\"missing or invalid credential\"}";
    /** Shared by the test classes, like the context: each test looks only at its own call ids. */
    static final StubHttpServer cekura = StubHttpServer.start();

    @DynamicPropertySource
    static void wire(DynamicPropertyRegistry registry) {
        BridgeTestSupport.wire(registry, "voice-platforms", cekura);
    }

    static byte[] fixture(String path) {
        return BridgeTestSupport.resource(path).getBytes(StandardCharsets.UTF_8);
    }

    /** The fixture with its call id replaced: a call of its own for each test. */
    static byte[] fixture(String path, String callId, String newCallId) {
        return BridgeTestSupport.resource(path).replace("\"" + callId + "\"", "\"" + newCallId + "\"").getBytes(StandardCharsets.UTF_8);
    }

    static String hmacHex(String key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The body with one byte turned into 0xFF (never valid UTF-8) inside its first string value. */
    static byte[] withInvalidByte(byte[] body) {
        byte[] changed = body.clone();
        String text = new String(body, StandardCharsets.UTF_8);
        changed[text.indexOf(":\"") + 3] = (byte) 0xFF;
        return changed;
    }
}
