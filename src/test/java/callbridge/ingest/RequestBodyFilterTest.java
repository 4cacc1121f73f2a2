package callbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Before the routes are up (the web server answers a moment earlier at start), a webhook gets 503, never 404. */
class RequestBodyFilterTest {

    @Test
    void aWebhookBeforeTheRoutesAreUpIs503WithRetryAfter() throws Exception {
        var request = new MockHttpServletRequest("POST", "/webhooks/salpre");
        request.setContent("{\"event_type\":\"call_initiated\"}".getBytes());
        var response = new MockHttpServletResponse();
        var chain = new MockFilterChain();

        filter(false).doFilter(request, response, chain);

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        assertThat(response.getContentAsString()).isEqualTo("{\"error\":\"starting or stopping, send again shortly\"}");
        assertThat(chain.getRequest()).isNull(); // nothing reached the routes
    }

    private static RequestBodyFilter filter(boolean routesStarted) {
        return new RequestBodyFilter(1024, Duration.ofSeconds(10), () -> routesStarted, null, List.of());
    }
}
