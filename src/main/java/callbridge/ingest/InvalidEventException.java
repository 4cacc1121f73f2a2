package callbridge.ingest;

/** The request is well-formed HTTP but its body is not an event we can take: answered 400. */
public class InvalidEventException extends RuntimeException {
    public InvalidEventException(String message) {
        super(message);
    }

    public static InvalidEventException missingField(String field) {
        return new InvalidEventException("missing required field: " + field);
    }
}
