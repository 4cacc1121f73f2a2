package callbridge.ingest;

import org.apache.camel.Exchange;

/**
 * A shared secret sent as it is in a header (Vapi's {@code X-Vapi-Secret}), compared in constant time. With a
 * {@code prefix} (e.g. {@code "Bearer "}) the header must start with it and the rest is compared.
 *
 * <pre>
 * - beans:
 *     - name: vapiSecret
 *       type: callbridge.ingest.SharedSecretCheck
 *       properties:
 *         header: X-Vapi-Secret
 *         secret: "{{vapi.webhook-secret:}}"
 *         secretVariable: VAPI_WEBHOOK_SECRET
 * </pre>
 */
public class SharedSecretCheck extends WebhookCheck {
    private String prefix = "";

    @Override
    protected void verify(Exchange exchange, String presented, byte[] raw) {
        if (!headerMayPass(presented)) {
            throw new UnauthorizedException();
        }
    }

    /** The whole credential is in the header: checked in full before the body is read. */
    @Override
    protected boolean headerMayPass(String presented) {
        String value = presented != null && presented.startsWith(prefix) ? presented.substring(prefix.length()) : null;
        // both sides hashed, then MessageDigest.isEqual: neither length nor content leaks
        return Credentials.matches(value, secret());
    }

    @Override
    protected void validate() {
        // header and secret are all it needs
    }

    @Override
    public String describe() {
        return "shared secret in " + getHeader();
    }

    /** Text before the secret in the header, e.g. {@code "Bearer "}; default none. */
    public void setPrefix(String prefix) {
        this.prefix = prefix == null ? "" : prefix;
    }
}
