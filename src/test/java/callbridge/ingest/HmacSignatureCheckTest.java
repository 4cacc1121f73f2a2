package callbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The HMAC check as the route files declare it, one scheme per nested class; requests are signed here with the JDK
 * alone, independently of the check's code.
 */
class HmacSignatureCheckTest {
    static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    static final String KEY = "key_3f9a1c0b2e";
    static final byte[] BODY = "{\"event\":\"call_ended\",\"call\":{\"call_id\":\"c1\",\"note\":\"caf\u00e9\"}}".getBytes(StandardCharsets.UTF_8);
    /** Started: its messages' headers are case-insensitive, as on a running bridge. */
    final CamelContext camel = started();

    static CamelContext started() {
        CamelContext context = new DefaultCamelContext();
        context.start();
        return context;
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Nested
    class Retell {   // x-retell-signature: v=<ms>,d=<hex HMAC(key, body + ms)>, 5 minutes
        HmacSignatureCheck check = declare("retellSignature", c -> {
            c.setHeader("x-retell-signature");
            c.setSignaturePart("d");
            c.setTimestampPart("v");
            c.setSignedPayload("{body}{timestamp}");
            c.setTimestampUnit("milliseconds");
            c.setTolerance("5m");
        });

        String header(String key, byte[] body, Instant at) {
            long ms = at.toEpochMilli();
            return "v=" + ms + ",d=" + hex(hmac(key, concat(body, String.valueOf(ms).getBytes(StandardCharsets.UTF_8))));
        }

        @Test
        void valid() {
            assertAccepted(check, BODY, Map.of("x-retell-signature", header(KEY, BODY, NOW.minusSeconds(10))));
            assertAccepted(check, BODY, Map.of("x-retell-signature", header(KEY, BODY, NOW.minusSeconds(290))));
            assertAccepted(check, BODY, Map.of("x-retell-signature", header(KEY, BODY, NOW.plusSeconds(290))));
        }

        @Test
        void wrongKeyTamperedStaleFutureMissingAndMalformed() {
            assertRefused(check, BODY, Map.of("x-retell-signature", header("another-key", BODY, NOW)));
            assertRefused(check, flipLastByteOfNote(BODY), Map.of("x-retell-signature", header(KEY, BODY, NOW)));
            assertRefused(check, nonUtf8(BODY), Map.of("x-retell-signature", header(KEY, BODY, NOW)));
            assertRefused(check, BODY, Map.of("x-retell-signature", header(KEY, BODY, NOW.minusSeconds(301))));
            assertRefused(check, BODY, Map.of("x-retell-signature", header(KEY, BODY, NOW.plusSeconds(301))));
            assertRefused(check, BODY, Map.of());
            String good = header(KEY, BODY, NOW);
            String digest = good.substring(good.indexOf("d=") + 2);
            assertRefused(check, BODY, Map.of("x-retell-signature", "d=" + digest));                    // no timestamp
            assertRefused(check, BODY, Map.of("x-retell-signature", "v=" + NOW.toEpochMilli()));       // no signature
            assertRefused(check, BODY, Map.of("x-retell-signature", "v=1e12,d=" + digest));            // not digits
            assertRefused(check, BODY, Map.of("x-retell-signature", "v=" + NOW.toEpochMilli() + ",d=zz" + digest)); // not hex
            assertRefused(check, BODY, Map.of("x-retell-signature", digest));                           // not parts
            assertRefused(check, BODY, Map.of("x-retell-signature", good + ",v=" + NOW.toEpochMilli())); // two timestamps
            // a timestamp moved after signing
            assertRefused(check, BODY, Map.of("x-retell-signature", "v=" + (NOW.toEpochMilli() + 1) + ",d=" + digest));
        }

        @Test
        void theSignatureHeaderGoesNoFurther() {
            Exchange exchange = exchange(BODY, Map.of("x-retell-signature", header(KEY, BODY, NOW)));
            check.process(exchange);
            assertThat(exchange.getMessage().getHeader("x-retell-signature")).isNull();
            assertThat(exchange.getProperty(WebhookGuard.RAW_BODY, byte[].class)).isEqualTo(BODY);
        }
    }

    @Nested
    class ElevenLabs {   // ElevenLabs-Signature: t=<s>,v0=<hex HMAC(secret, "t.body")>, 30 minutes
        HmacSignatureCheck check = declare("elevenlabsSignature", c -> {
            c.setHeader("ElevenLabs-Signature");
            c.setSignaturePart("v0");
            c.setTimestampPart("t");
            c.setSignedPayload("{timestamp}.{body}");
            c.setTolerance("30m");
        });

        String header(String key, byte[] body, Instant at) {
            long s = at.getEpochSecond();
            return "t=" + s + ",v0=" + hex(hmac(key, concat((s + ".").getBytes(StandardCharsets.UTF_8), body)));
        }

        @Test
        void validAndRotated() {
            assertAccepted(check, BODY, Map.of("ElevenLabs-Signature", header(KEY, BODY, NOW.minus(Duration.ofMinutes(29)))));
            String rotated = header("old-secret", BODY, NOW) + ",v0=" + header(KEY, BODY, NOW).replaceFirst(".*v0=", "");
            assertAccepted(check, BODY, Map.of("elevenlabs-signature", rotated));   // header names are not case-sensitive
        }

        @Test
        void wrongKeyTamperedStaleFutureMissingAndMalformed() {
            assertRefused(check, BODY, Map.of("ElevenLabs-Signature", header("another-key", BODY, NOW)));
            assertRefused(check, flipLastByteOfNote(BODY), Map.of("ElevenLabs-Signature", header(KEY, BODY, NOW)));
            assertRefused(check, nonUtf8(BODY), Map.of("ElevenLabs-Signature", header(KEY, BODY, NOW)));
            assertRefused(check, BODY, Map.of("ElevenLabs-Signature", header(KEY, BODY, NOW.minus(Duration.ofMinutes(31)))));
            assertRefused(check, BODY, Map.of("ElevenLabs-Signature", header(KEY, BODY, NOW.plus(Duration.ofMinutes(31)))));
            assertRefused(check, BODY, Map.of("ElevenLabs-Signature", ""));
            assertRefused(check, BODY, Map.of());
            assertRefused(check, BODY, Map.of("ElevenLabs-Signature", "t=,v0="));
            assertRefused(check, BODY, Map.of("ElevenLabs-Signature", "t=99999999999999999999,v0=00"));
            // the same signature read as milliseconds would be another time: seconds it is
            assertRefused(check, BODY, Map.of("ElevenLabs-Signature", header(KEY, BODY, NOW).replace("t=" + NOW.getEpochSecond(),
                    "t=" + NOW.toEpochMilli())));
        }
    }

    @Nested
    class Bland {   // X-Webhook-Signature: <hex HMAC(secret, body)>
        HmacSignatureCheck check = declare("blandSignature", c -> c.setHeader("X-Webhook-Signature"));

        @Test
        void validInEitherCase() {
            assertAccepted(check, BODY, Map.of("X-Webhook-Signature", hex(hmac(KEY, BODY))));
            assertAccepted(check, BODY, Map.of("X-Webhook-Signature", hex(hmac(KEY, BODY)).toUpperCase()));
        }

        @Test
        void wrongKeyTamperedMissingAndMalformed() {
            assertRefused(check, BODY, Map.of("X-Webhook-Signature", hex(hmac("another-key", BODY))));
            assertRefused(check, flipLastByteOfNote(BODY), Map.of("X-Webhook-Signature", hex(hmac(KEY, BODY))));
            assertRefused(check, nonUtf8(BODY), Map.of("X-Webhook-Signature", hex(hmac(KEY, BODY))));
            assertRefused(check, BODY, Map.of());
            assertRefused(check, BODY, Map.of("X-Webhook-Signature", hex(hmac(KEY, BODY)).substring(2)));   // cut short
            assertRefused(check, BODY, Map.of("X-Webhook-Signature", "not hex at all"));
            assertRefused(check, BODY, Map.of("X-Webhook-Signature", Base64.getEncoder().encodeToString(hmac(KEY, BODY))));
        }

        @Test
        void aBodyThatIsNotUtf8IsVerifiedOverItsBytes() {
            byte[] latin1 = "{\"note\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
            assertAccepted(check, latin1, Map.of("X-Webhook-Signature", hex(hmac(KEY, latin1))));
            // the bytes a lenient decoder would make of it (U+FFFD) are another body
            byte[] replaced = new String(latin1, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
            assertRefused(check, replaced, Map.of("X-Webhook-Signature", hex(hmac(KEY, latin1))));
        }
    }

    @Nested
    class VapiHmacCredential {   // x-signature: hex HMAC(secret, "{timestamp}.{body}"), x-timestamp in its own header
        HmacSignatureCheck check = declare("vapiHmac", c -> {
            c.setHeader("x-signature");
            c.setTimestampHeader("x-timestamp");
            c.setSignedPayload("{timestamp}.{body}");
            c.setTimestampUnit("auto");   // Vapi does not say seconds or milliseconds
        });

        Map<String, String> headers(String key, byte[] body, Instant at) {
            return signed(key, body, String.valueOf(at.toEpochMilli()));
        }

        Map<String, String> signed(String key, byte[] body, String ts) {
            return Map.of("x-signature", hex(hmac(key, concat((ts + ".").getBytes(StandardCharsets.UTF_8), body))), "x-timestamp", ts);
        }

        @Test
        void autoReadsSecondsAndMillisecondsAndRefusesEitherWhenStale() {
            assertAccepted(check, BODY, signed(KEY, BODY, String.valueOf(NOW.getEpochSecond())));
            assertAccepted(check, BODY, signed(KEY, BODY, String.valueOf(NOW.toEpochMilli())));
            assertRefused(check, BODY, signed(KEY, BODY, String.valueOf(NOW.minusSeconds(301).getEpochSecond())));
            assertRefused(check, BODY, signed(KEY, BODY, String.valueOf(NOW.minusSeconds(301).toEpochMilli())));
            assertRefused(check, BODY, signed(KEY, BODY, String.valueOf(NOW.toEpochMilli() / 10)));   // 1970s in ms: stale
        }

        @Test
        void validWrongKeyTamperedStaleAndMissingTimestamp() {
            assertAccepted(check, BODY, headers(KEY, BODY, NOW));
            assertRefused(check, BODY, headers("another-key", BODY, NOW));
            assertRefused(check, flipLastByteOfNote(BODY), headers(KEY, BODY, NOW));
            assertRefused(check, BODY, headers(KEY, BODY, NOW.minusSeconds(301)));   // the default tolerance: 5 minutes
            Map<String, String> noTimestamp = new LinkedHashMap<>(headers(KEY, BODY, NOW));
            noTimestamp.remove("x-timestamp");
            assertRefused(check, BODY, noTimestamp);
        }
    }

    @Nested
    class PrefixedBase64 {   // X-Hub-Signature-256 style: sha256=<base64>
        HmacSignatureCheck check = declare("prefixed", c -> {
            c.setHeader("X-Signature-256");
            c.setPrefix("sha256=");
            c.setEncoding("base64");
        });

        @Test
        void prefixIsRequiredAndStripped() {
            String b64 = Base64.getEncoder().encodeToString(hmac(KEY, BODY));
            assertAccepted(check, BODY, Map.of("X-Signature-256", "sha256=" + b64));
            assertRefused(check, BODY, Map.of("X-Signature-256", b64));
            assertRefused(check, BODY, Map.of("X-Signature-256", "sha1=" + b64));
            assertRefused(check, BODY, Map.of("X-Signature-256", "sha256=" + Base64.getEncoder().encodeToString(hmac("x", BODY))));
        }
    }

    @Test
    void withoutASecretEverythingPassesAndTheHeaderIsStillRemoved() {
        HmacSignatureCheck open = declare("open", c -> {
            c.setHeader("X-Webhook-Signature");
            c.setSecret("");
        });
        assertThat(open.isOpen()).isTrue();
        Exchange exchange = exchange(BODY, Map.of("X-Webhook-Signature", "anything"));
        open.process(exchange);
        assertThat(exchange.getMessage().getHeader("X-Webhook-Signature")).isNull();
        assertAccepted(open, BODY, Map.of());
    }

    @Test
    void neitherSecretNorSignatureIsInItsDescription() {
        HmacSignatureCheck check = declare("described", c -> c.setHeader("X-Webhook-Signature"));
        assertThat(check.toString()).isEqualTo("HmacSHA256 signature in X-Webhook-Signature").doesNotContain(KEY);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            encoding hexa                   | encoding=hexa                                   | unknown encoding 'hexa': use hex, base64 or base64url
            unknown placeholder             | signedPayload={bdy}                             | has an unknown placeholder {bdy}: use {body} and {timestamp}
            no body                         | signedPayload={timestamp}                       | must hold {body} once and {timestamp} at most once
            body twice                      | signedPayload={body}{body}                      | must hold {body} once and {timestamp} at most once
            unmatched brace                 | signedPayload={body}}                           | has an unmatched brace
            timestamp signed but not found  | signedPayload={timestamp}.{body}                | signs {timestamp}: say where it is with timestampPart or timestampHeader
            timestamp found but not signed  | timestampHeader=x-ts                            | the timestamp is checked but not signed
            timestamp part without parts    | timestampPart=t;signedPayload={timestamp}{body} | timestampPart 't' needs signaturePart
            two timestamp places            | timestampPart=t;timestampHeader=x-ts;signaturePart=v1;signedPayload={timestamp}{body} | set timestampPart or timestampHeader, not both
            bad tolerance                   | tolerance=five minutes                          | tolerance 'five minutes' is not a duration
            zero tolerance                  | tolerance=0s                                    | tolerance must be positive
            unit                            | timestampUnit=minutes                           | unknown timestampUnit 'minutes': use seconds, milliseconds or auto
            algorithm                       | algorithm=HmacSHA999                            | unknown algorithm 'HmacSHA999'
            no header                       | header=                                         | 'header' is required
            """)
    void aMalformedDeclarationStopsTheStartNamingTheBean(String what, String settings, String problem) {
        HmacSignatureCheck check = new HmacSignatureCheck();
        check.setHeader("X-Sig");
        check.setSecret(KEY);
        for (String setting : settings.split(";")) {
            String[] kv = setting.split("=", 2);
            switch (kv[0]) {
                case "encoding" -> check.setEncoding(kv[1]);
                case "signedPayload" -> check.setSignedPayload(kv[1]);
                case "timestampHeader" -> check.setTimestampHeader(kv[1]);
                case "timestampPart" -> check.setTimestampPart(kv[1]);
                case "signaturePart" -> check.setSignaturePart(kv[1]);
                case "tolerance" -> check.setTolerance(kv[1]);
                case "timestampUnit" -> check.setTimestampUnit(kv[1]);
                case "algorithm" -> check.setAlgorithm(kv[1]);
                case "header" -> check.setHeader(kv[1]);
                default -> throw new IllegalArgumentException(kv[0]);
            }
        }
        camel.getRegistry().bind("acmeSignature", check);
        check.setCamelContext(camel);
        assertThatThrownBy(check::init).isInstanceOf(InvalidWebhookCheckException.class)
                .hasMessageStartingWith("Webhook check 'acmeSignature' (HmacSignatureCheck): ")
                .hasMessageContaining(problem)
                .message().doesNotContain(KEY);
    }

    @Test
    void sharedSecretIsComparedWholeAndRemoved() {
        SharedSecretCheck check = new SharedSecretCheck();
        check.setHeader("X-Vapi-Secret");
        check.setSecret("vapi-secret-1");
        check.setCamelContext(camel);
        check.init();
        assertAccepted(check, BODY, Map.of("x-vapi-secret", "vapi-secret-1"));
        assertRefused(check, BODY, Map.of("X-Vapi-Secret", "vapi-secret-2"));
        assertRefused(check, BODY, Map.of("X-Vapi-Secret", "vapi-secret-1 "));
        assertRefused(check, BODY, Map.of("X-Vapi-Secret", "vapi-secret"));
        assertRefused(check, BODY, Map.of());
        Exchange exchange = exchange(BODY, Map.of("X-Vapi-Secret", "vapi-secret-1"));
        check.process(exchange);
        assertThat(exchange.getMessage().getHeaders()).doesNotContainKey("X-Vapi-Secret");

        SharedSecretCheck bearer = new SharedSecretCheck();
        bearer.setHeader("Authorization");
        bearer.setPrefix("Bearer ");
        bearer.setSecret("vapi-secret-1");
        bearer.init();
        assertAccepted(bearer, BODY, Map.of("Authorization", "Bearer vapi-secret-1"));
        assertRefused(bearer, BODY, Map.of("Authorization", "vapi-secret-1"));
    }

    HmacSignatureCheck declare(String name, Consumer<HmacSignatureCheck> settings) {
        HmacSignatureCheck check = new HmacSignatureCheck();
        check.setSecret(KEY);
        settings.accept(check);
        check.setClock(Clock.fixed(NOW, ZoneOffset.UTC));
        camel.getRegistry().bind(name, check);
        check.setCamelContext(camel);
        check.init();
        return check;
    }

    Exchange exchange(byte[] body, Map<String, String> headers) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(body);
        headers.forEach(exchange.getMessage()::setHeader);
        return exchange;
    }

    void assertAccepted(WebhookCheck check, byte[] body, Map<String, String> headers) {
        assertThatCode(() -> check.process(exchange(body, headers))).doesNotThrowAnyException();
    }

    void assertRefused(WebhookCheck check, byte[] body, Map<String, String> headers) {
        assertThatThrownBy(() -> check.process(exchange(body, headers))).isInstanceOf(UnauthorizedException.class);
    }

    static byte[] hmac(String key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** One bit of the é's second byte flipped: still valid UTF-8 (é → è), another body. */
    static byte[] flipLastByteOfNote(byte[] body) {
        byte[] changed = body.clone();
        int at = indexOf(changed, (byte) 0xA9);
        changed[at] ^= 0x02;
        return changed;
    }

    /** The é's lead byte flipped into an invalid UTF-8 sequence. */
    static byte[] nonUtf8(byte[] body) {
        byte[] changed = body.clone();
        changed[indexOf(changed, (byte) 0xC3)] = (byte) 0xFF;
        return changed;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException("byte not found");
    }
}
