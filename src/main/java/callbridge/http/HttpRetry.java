package callbridge.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * The one answer to "is a failed call to an HTTP API worth another attempt?", shared by Cekura delivery and
 * outbound dialing: connection failures and timeouts (no answer at all), 408, 429 and 5xx are retryable; any
 * other answer is the API's final word. A 429 or 503 may say when to come back ({@code Retry-After}); the caller
 * waits that long instead of its own back-off, and still decides whether that lands inside its window.
 *
 * @param failure    what went wrong, in the words the store keeps
 * @param retryable  worth another attempt
 * @param retryAfter the API's {@code Retry-After} on a 429 or 503, null when it gave none
 */
public record HttpRetry(HttpFailure failure, boolean retryable, Duration retryAfter) {

    public static HttpRetry of(Exception cause) {
        HttpFailure failure = HttpFailure.of(cause);
        boolean retryable = failure.connection() || failure.serverSaysLater() || Integer.valueOf(408).equals(failure.status());
        Duration retryAfter = cause instanceof HttpOperationFailedException http && (http.getStatusCode() == 429 || http.getStatusCode() == 503)
                ? retryAfter(http.getResponseHeaders()) : null;
        return new HttpRetry(failure, retryable, retryAfter);
    }

    public Integer status() {
        return failure.status();
    }

    public String detail() {
        return failure.detail();
    }

    /** Retry-After as delta-seconds or an HTTP date; null when absent or unreadable. */
    public static Duration retryAfter(Map<String, String> headers) {
        if (headers == null) {
            return null;
        }
        for (var header : headers.entrySet()) {
            if ("Retry-After".equalsIgnoreCase(header.getKey()) && header.getValue() != null) {
                String value = header.getValue().trim();
                try {
                    return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
                } catch (NumberFormatException notSeconds) {
                    try {
                        Duration until = Duration.between(Instant.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                        return until.isNegative() ? Duration.ZERO : until;
                    } catch (DateTimeParseException unreadable) {
                        return null;
                    }
                }
            }
        }
        return null;
    }
}
