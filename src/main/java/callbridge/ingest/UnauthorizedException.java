package callbridge.ingest;

/**
 * Missing or wrong credential: answered 401 without saying which. The reason is for the refusal counter
 * ({@link RefusedWebhooks}) only: {@code unauthorized}, {@code bad-signature} or {@code stale-signature}.
 */
public class UnauthorizedException extends RuntimeException {
    private final String reason;

    public UnauthorizedException() {
        this("unauthorized");
    }

    public UnauthorizedException(String reason) {
        super("missing or invalid credential");
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
