package callbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * Standard Webhooks over the raw bytes: a body that is not valid UTF-8 is refused before verifying (400), so two
 * byte sequences that a lenient decoder maps to the same text can no longer share a signature. Signed here with
 * the JDK alone.
 */
class StandardWebhooksGuardTest {
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    final CamelContext camel = new DefaultCamelContext();
    final StandardWebhooksGuard guard = new StandardWebhooksGuard(new MockEnvironment().withProperty("generic.webhook-secret", SECRET));

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void validUtf8IncludingMultiByteCharactersVerifies() {
        byte[] body = "{\"type\":\"call.started\",\"data\":{\"call_id\":\"\u00e9\u4e2d\ud83d\ude00\"}}".getBytes(StandardCharsets.UTF_8);
        assertThatCode(() -> guard.verify(signed(body, body))).doesNotThrowAnyException();
    }

    @Test
    void twoByteSequencesThatDecodeToTheSameTextNoLongerShareASignature() {
        // 0xFF and 0xFE are both malformed: a lenient decode makes each U+FFFD, whose UTF-8 is EF BF BD
        byte[] one = "{\"type\":\"call.started\",\"note\":\"\u0000\"}".getBytes(StandardCharsets.UTF_8);
        byte[] other = one.clone();
        int at = indexOf(one, (byte) 0x00);
        one[at] = (byte) 0xFF;
        other[at] = (byte) 0xFE;
        byte[] asTheLibrarySawIt = new String(one, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        assertThat(new String(other, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8)).isEqualTo(asTheLibrarySawIt);

        // signed over the replaced text, both verified before the fix; now neither reaches the library
        for (byte[] body : new byte[][] {one, other}) {
            assertThatThrownBy(() -> guard.verify(signed(body, asTheLibrarySawIt)))
                    .isInstanceOf(InvalidEventException.class).hasMessage("body is not valid UTF-8");
        }
        // nor does a body signed over its own raw bytes: a body JSON cannot be is refused whoever signed it
        assertThatThrownBy(() -> guard.verify(signed(one, one))).isInstanceOf(InvalidEventException.class);
        // the text the library would have verified is still fine as real UTF-8
        assertThatCode(() -> guard.verify(signed(asTheLibrarySawIt, asTheLibrarySawIt))).doesNotThrowAnyException();
    }

    @Test
    void overlongAndSurrogateEncodingsAreNotUtf8() {
        byte[] overlongSlash = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        byte[] encodedSurrogate = {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};
        byte[] cutShort = {'{', '"', 'a', '"', ':', '"', (byte) 0xE4, (byte) 0xB8};
        for (byte[] body : new byte[][] {overlongSlash, encodedSurrogate, cutShort}) {
            assertThatThrownBy(() -> guard.verify(signed(body, body))).isInstanceOf(InvalidEventException.class);
        }
    }

    @Test
    void aWrongSignatureIsStill401AndTheSignatureGoesNoFurther() {
        byte[] body = "{\"type\":\"call.started\"}".getBytes(StandardCharsets.UTF_8);
        Exchange exchange = signed(body, "{\"type\":\"call.ended\"}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> guard.verify(exchange)).isInstanceOf(UnauthorizedException.class);
        assertThat(exchange.getMessage().getHeader("webhook-signature")).isNull();
        Exchange notUtf8 = signed(new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xFF});
        assertThatThrownBy(() -> guard.verify(notUtf8)).isInstanceOf(InvalidEventException.class);
        assertThat(notUtf8.getMessage().getHeader("webhook-signature")).isNull();
    }

    /** An exchange carrying {@code raw}, with a signature computed over {@code signedBytes}. */
    Exchange signed(byte[] raw, byte[] signedBytes) {
        String id = "msg_1";
        long ts = Instant.now().getEpochSecond();
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(WebhookGuard.PROVIDER, "generic");
        exchange.setProperty(WebhookGuard.RAW_BODY, raw);
        exchange.getMessage().setHeader("webhook-id", id);
        exchange.getMessage().setHeader("webhook-timestamp", String.valueOf(ts));
        exchange.getMessage().setHeader("webhook-signature", "v1," + sign(id, ts, signedBytes));
        return exchange;
    }

    static String sign(String id, long ts, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET.substring("whsec_".length())), "HmacSHA256"));
            mac.update((id + "." + ts + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException();
    }
}
