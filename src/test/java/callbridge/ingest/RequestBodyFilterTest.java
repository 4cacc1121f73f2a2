package callbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.DelegatingServletInputStream;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Before the routes are up (the web server answers a moment earlier at start), a webhook gets 503, never 404. */
class RequestBodyFilterTest {

    @Test
    void aWebhookBeforeTheRoutesAreUpIs503WithRetryAfter() throws Exception {
        var readListener = new AtomicReference<ReadListener>();
        var request = new MockHttpServletRequest("POST", "/webhooks/salpre") {
            @Override
            public ServletInputStream getInputStream() {
                return new DelegatingServletInputStream(new ByteArrayInputStream(getContentAsByteArray())) {
                    @Override
                    public void setReadListener(ReadListener listener) {
                        readListener.set(listener);
                    }
                };
            }
        };
        request.setContent("{\"event_type\":\"call_initiated\"}".getBytes());
        request.setAsyncSupported(true);   // the unread body is refused by failing its read, in an async cycle
        var response = new MockHttpServletResponse();
        var chain = new MockFilterChain();

        filter(false).doFilter(request, response, chain);

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        assertThat(response.getContentAsString()).isEqualTo("{\"error\":\"starting or stopping, send again shortly\"}");
        assertThat(chain.getRequest()).isNull(); // nothing reached the routes
        // the body is not read: its first bytes fail the read, so that the container closes the connection
        assertThatThrownBy(() -> readListener.get().onDataAvailable()).isInstanceOf(IOException.class);
    }

    private static RequestBodyFilter filter(boolean routesStarted) {
        return new RequestBodyFilter(1024, Duration.ofSeconds(10), () -> routesStarted, null, List.of(), null, 1 << 20, true);
    }
}
