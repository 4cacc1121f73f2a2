package callbridge.ingest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The key that makes a re-sent event a duplicate. A provider route may set its own
 * ({@code bridgeDedupeKey} property, e.g. a delivery id); otherwise it is the SHA-256 of the raw body,
 * so only a byte-identical re-send is a duplicate.
 */
@Component("bridgeEventKeys")
public class EventKeys {
    public static final String DEDUPE_KEY = "bridgeDedupeKey";

    public String dedupeKey(Exchange exchange) {
        String chosen = exchange.getProperty(DEDUPE_KEY, String.class);
        if (chosen != null && !chosen.isBlank()) {
            return chosen.length() > 200 ? "sha256:" + sha256(chosen.getBytes(java.nio.charset.StandardCharsets.UTF_8)) : chosen;
        }
        return "sha256:" + sha256(exchange.getProperty(WebhookGuard.RAW_BODY, byte[].class));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
