package callbridge.ingest;

/** Well-formed, understood, and refused (e.g. a caller ID Cekura would drop): answered 422. */
public class RefusedException extends RuntimeException {
    public RefusedException(String message) {
        super(message);
    }
}
