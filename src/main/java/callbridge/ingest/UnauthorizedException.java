package callbridge.ingest;

/** Missing or wrong credential: answered 401 without saying which. */
public class UnauthorizedException extends RuntimeException {
    public UnauthorizedException() {
        super("missing or invalid credential");
    }
}
