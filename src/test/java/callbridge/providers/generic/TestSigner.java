package callbridge.providers.generic;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs like a Standard Webhooks sender, with the JDK alone: independent of the bridge's verifier. */
final class TestSigner {
    private TestSigner() {
    }

    /** base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), key = base64-decoded part of whsec_... */
    static String sign(String whsecSecret, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(whsecSecret.replaceFirst("^whsec_", "")), "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
