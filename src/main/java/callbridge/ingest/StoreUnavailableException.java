package callbridge.ingest;

/** The event could not be committed: answered 503 so the provider sends it again. */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
