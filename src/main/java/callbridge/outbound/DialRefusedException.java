package callbridge.outbound;

/** A platform answered the dial with a 2xx that says it did not place the call: the dial is failed, not retried. */
public class DialRefusedException extends RuntimeException {
    public DialRefusedException(String message) {
        super(message);
    }
}
