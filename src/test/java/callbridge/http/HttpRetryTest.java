package callbridge.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

/** The retry classifier Cekura delivery and dialing share. */
class HttpRetryTest {

    @Test
    void noAnswer408429And5xxAreRetryableOther4xxAreFinal() {
        assertThat(HttpRetry.of(new ConnectException("Connection refused")).retryable()).isTrue();
        assertThat(HttpRetry.of(new SocketTimeoutException("Read timed out")).retryable()).isTrue();
        for (int status : new int[] {408, 429, 500, 502, 503, 504}) {
            assertThat(HttpRetry.of(http(status, "{}", Map.of())).retryable()).as("HTTP %s", status).isTrue();
        }
        for (int status : new int[] {400, 401, 403, 404, 409, 422}) {
            assertThat(HttpRetry.of(http(status, "{}", Map.of())).retryable()).as("HTTP %s", status).isFalse();
        }
        assertThat(HttpRetry.of(new IllegalStateException("no id")).retryable()).isFalse();
    }

    @Test
    void theAnswerIsKeptInTheDetail() {
        HttpRetry refused = HttpRetry.of(http(403, "{\"error\":\"number not allowed\"}", Map.of()));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.detail()).isEqualTo("HTTP 403: {\"error\":\"number not allowed\"}");
        assertThat(HttpRetry.of(new ConnectException("Connection refused")).detail()).isEqualTo("unreachable: java.net.ConnectException: Connection refused");
    }

    @Test
    void retryAfterOf429And503OnlyInSecondsOrAsADate() {
        assertThat(HttpRetry.of(http(429, "", Map.of("Retry-After", "7"))).retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(HttpRetry.of(http(503, "", Map.of("retry-after", " 2 "))).retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(HttpRetry.of(http(500, "", Map.of("Retry-After", "7"))).retryAfter()).isNull();
        assertThat(HttpRetry.of(http(429, "", Map.of("Retry-After", "soon"))).retryAfter()).isNull();
        assertThat(HttpRetry.of(http(429, "", Map.of("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"))).retryAfter()).isEqualTo(Duration.ZERO);
        assertThat(HttpRetry.of(http(429, "", Map.of())).retryAfter()).isNull();
    }

    private static HttpOperationFailedException http(int status, String body, Map<String, String> headers) {
        return new HttpOperationFailedException("http://api.invalid/x", status, "status " + status, null, headers, body);
    }
}
