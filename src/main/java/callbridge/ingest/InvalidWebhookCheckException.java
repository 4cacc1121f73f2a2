package callbridge.ingest;

/** A credential check declared in a route file that cannot work as written; it stops the start, naming the bean. */
public class InvalidWebhookCheckException extends IllegalStateException {
    public InvalidWebhookCheckException(String message) {
        super(message);
    }
}
