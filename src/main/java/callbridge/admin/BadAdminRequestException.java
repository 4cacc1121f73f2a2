package callbridge.admin;

/** An admin request with a parameter the endpoint does not take, or a bad value: answered 400 naming it. */
public class BadAdminRequestException extends RuntimeException {
    public BadAdminRequestException(String message) {
        super(message);
    }
}
