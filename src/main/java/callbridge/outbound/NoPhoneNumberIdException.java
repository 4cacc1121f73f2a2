package callbridge.outbound;

/** The trigger's from_number has no entry in the platform's number map: the dial is failed, not retried. */
public class NoPhoneNumberIdException extends RuntimeException {
    public NoPhoneNumberIdException(String message) {
        super(message);
    }
}
