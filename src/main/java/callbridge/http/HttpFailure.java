package callbridge.http;

import java.io.IOException;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * What went wrong calling an HTTP API (Cekura, a dial API), in the words the store and the dead
 * letters keep: the status when there was an answer, and a detail with the answer body truncated.
 * {@link HttpRetry} decides what is worth another attempt.
 *
 * @param status     the HTTP status, or null when no answer came
 * @param detail     "HTTP 503: {body}", "unreachable: ...", or "failed: ..."
 * @param connection true when the call never got an answer (refused, reset, timed out)
 */
public record HttpFailure(Integer status, String detail, boolean connection) {
    private static final int MAX_DETAIL = 300;

    public static HttpFailure of(Exception cause) {
        if (cause instanceof HttpOperationFailedException http) {
            String body = http.getResponseBody();
            return new HttpFailure(http.getStatusCode(),
                    "HTTP " + http.getStatusCode() + (body == null || body.isBlank() ? "" : ": " + truncate(body)), false);
        }
        if (cause instanceof IOException) {
            return new HttpFailure(null, "unreachable: " + truncate(cause.toString()), true);
        }
        return new HttpFailure(null, "failed: " + truncate(String.valueOf(cause)), false);
    }

    /** 429 and 5xx: the API says "later", not "never". */
    public boolean serverSaysLater() {
        return status != null && (status == 429 || status >= 500);
    }

    public static String truncate(String text) {
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "…";
    }
}
