package callbridge.ingest;

import callbridge.LogSafe;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Verifies a Standard Webhooks signature (webhook-id, webhook-timestamp, webhook-signature: one or
 * more {@code v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{raw body}">}, timestamp within 5 minutes
 * either way) with the standardwebhooks library, over the raw bytes before any parsing: the library takes a String,
 * so the bytes are decoded strictly and a body that is not valid UTF-8 is a 400 before any verifying. The secret is
 * {@code <provider>.webhook-secret} ({@code GENERIC_WEBHOOK_SECRET} for {@code generic}), {@code whsec_<base64>};
 * unset means the endpoint is open.
 */
@Component("bridgeStandardWebhooks")
public class StandardWebhooksGuard {
    private static final Logger LOG = LoggerFactory.getLogger(StandardWebhooksGuard.class);
    private static final List<String> SIGNED_HEADERS = List.of("webhook-id", "webhook-timestamp", "webhook-signature");
    private static final Webhook OPEN = null;

    private final Environment environment;
    private final Map<String, java.util.Optional<Webhook>> verifiers = new ConcurrentHashMap<>();

    public StandardWebhooksGuard(Environment environment) {
        this.environment = environment;
        verifier("generic"); // a malformed GENERIC_WEBHOOK_SECRET stops the start, not the first request
    }

    public void verify(Exchange exchange) {
        String provider = exchange.getProperty(WebhookGuard.PROVIDER, String.class);
        Webhook webhook = verifier(provider).orElse(OPEN);
        if (webhook == null) {
            return;
        }
        Map<String, List<String>> headers = new TreeMap<>();
        for (String name : SIGNED_HEADERS) {
            String value = RequestCredentials.header(exchange, name);   // the request's headers, never its query string
            if (value != null) {
                headers.put(name, List.of(value));
            }
        }
        byte[] raw = exchange.getProperty(WebhookGuard.RAW_BODY, byte[].class);
        try {
            webhook.verify(strictUtf8(raw), headers);   // not valid UTF-8: 400 before verifying
        } catch (WebhookVerificationException rejected) {
            LOG.debug("{} webhook rejected: {}", provider, LogSafe.of(rejected.getMessage()));
            throw new UnauthorizedException("bad-signature");
        } finally {
            exchange.getMessage().removeHeader("webhook-signature");
        }
    }

    /**
     * The body as text, decoded strictly. The library signs a String (its UTF-8 bytes), so only a body whose bytes
     * are exactly the UTF-8 encoding of that String may be verified: a lenient decode maps every malformed sequence
     * to U+FFFD, and two different byte sequences would then share one signature. A body that is not valid UTF-8
     * is refused before verifying, as 400: JSON must be UTF-8 (RFC 8259), so even a genuine sender's body of that
     * kind could not be taken, and the answer says nothing about the signature.
     */
    static String strictUtf8(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            throw new InvalidEventException("body is not valid UTF-8");
        }
    }

    private java.util.Optional<Webhook> verifier(String provider) {
        return verifiers.computeIfAbsent(provider, p -> {
            String secret = environment.getProperty(p + ".webhook-secret");
            if (secret == null || secret.isBlank()) {
                return java.util.Optional.empty();
            }
            try {
                return java.util.Optional.of(new Webhook(secret.trim()));
            } catch (IllegalArgumentException notBase64) {
                throw new IllegalStateException(p.toUpperCase() + "_WEBHOOK_SECRET is not a Standard Webhooks secret (whsec_<base64>)");
            }
        });
    }
}
