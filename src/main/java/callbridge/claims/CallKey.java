package callbridge.claims;

/** A call is identified by the provider that reported it and that provider's call id. */
public record CallKey(String provider, String callId) {
    @Override
    public String toString() {
        return provider + "/" + callId;
    }
}
