package callbridge.claims;

/**
 * A call this node has claimed, with the token of that claim. Every write made under the claim
 * names the token, so a stale holder (whose lease ran out and was taken over) changes nothing.
 */
public record Claim(CallKey key, String token) {
    public String provider() {
        return key.provider();
    }

    public String callId() {
        return key.callId();
    }
}
